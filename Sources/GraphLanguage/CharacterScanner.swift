/// Steps through source text one `Character` at a time by UTF-8 byte offset, cheaply.
///
/// ```swift
/// let scanner = CharacterScanner(SourceBytes("x₁ = 2"))
/// scanner.scan(at: 0)   // nameStart, byte "x", 1 byte long
/// scanner.scan(at: 1)   // subscriptDigit, 3 bytes long
/// ```
/// Text is mostly ASCII, and two ASCII bytes in a row are always two `Character`s (except
/// `\r\n`), so such a byte is classified by a table lookup. Anything else (a non-ASCII byte,
/// `\r`, or an ASCII byte followed by a non-ASCII one, which may start a cluster such as `e`
/// and a combining accent) is decoded as a `Character` and asked for its properties. The
/// lexer and `SourceFile`'s line splitting share this, so they agree on every line break.
struct CharacterScanner {
    /// The text's bytes, read in place (`SourceBytes`): `base` and `count` are its own, held
    /// here so each lookup is one load rather than two.
    let source: SourceBytes
    private let base: UnsafePointer<UInt8>
    private let count: Int
    /// `asciiClasses`, held here so the per-character lookup skips the global's lazy-init check.
    private let classes: [CharacterClass] = Self.asciiClasses

    init(_ source: SourceBytes) {
        self.source = source
        self.base = source.base
        self.count = source.count
    }

    /// What the lexer needs to know of one `Character`: its class, its byte if it is a single
    /// ASCII scalar (0 otherwise, so it matches no punctuation), and its length in bytes.
    struct Scanned {
        var kind: CharacterClass
        var byte: UInt8
        var length: Int

        var continuesName: Bool { kind == .nameStart || kind == .digit || kind == .subscriptDigit }
    }

    /// The character starting at byte `position`, which must be a character boundary; nil at
    /// the end of the text.
    @inline(__always)
    func scan(at position: Int) -> Scanned? {
        guard position < count else { return nil }
        let byte = base[position]
        if byte < 0x80, byte != UInt8(ascii: "\r"), position + 1 == count || base[position + 1] < 0x80 {
            return Scanned(kind: classes[Int(byte)], byte: byte, length: 1)
        }
        let character = self.character(at: position)
        let utf8 = character.utf8
        return Scanned(kind: CharacterClass(character), byte: utf8.count == 1 ? utf8.first! : 0, length: utf8.count)
    }

    /// The `Character` starting at byte `position`, a character boundary.
    func character(at position: Int) -> Character {
        let text = source.text
        return text[text.utf8.index(text.utf8.startIndex, offsetBy: position)]
    }

    /// The class of each ASCII character, worked out once from `Character`'s own properties so
    /// the fast path cannot disagree with the slow one.
    static let asciiClasses: [CharacterClass] = (0..<128).map {
        CharacterClass(Character(Unicode.Scalar(UInt8($0))))
    }
}

/// The UTF-8 bytes of a source text, read where the `String` keeps them rather than copied:
/// the lexer, its ASCII fast path and `SourceFile`'s line splitting all read this one buffer,
/// so a loaded file's text is in memory once (issue 23: two copies of a million-statement
/// file's bytes were 56 bytes a node at the peak of loading).
///
/// `base` points into `text`'s own storage, which `text` (a `let`, never mutated) keeps alive
/// and in place: a native `String`'s UTF-8 is one immutable, reference-counted allocation.
/// A text that is not native contiguous UTF-8 is made so first (a copy only then), and a
/// short one, which may live inside the `String` value itself rather than in an allocation,
/// is copied into a buffer owned here.
final class SourceBytes {
    let text: String
    let base: UnsafePointer<UInt8>
    let count: Int
    /// The copy of a short text, freed with this.
    private let copy: UnsafeMutablePointer<UInt8>?

    /// Longer than any small (inline) `String`: 15 bytes on 64-bit platforms, 10 on 32-bit.
    private static let longestInline = 32

    init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        count = text.utf8.count
        if count <= Self.longestInline {
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
            _ = UnsafeMutableBufferPointer(start: copy, count: count).initialize(fromContentsOf: text.utf8)
            self.copy = copy
            base = UnsafePointer(copy)
        } else {
            copy = nil
            // Contiguous after `makeContiguousUTF8`, so the storage is always available.
            base = text.utf8.withContiguousStorageIfAvailable { $0.baseAddress! }!
        }
    }

    deinit { copy?.deallocate() }

    /// All the bytes, as a buffer.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

/// The lexer's view of a `Character`.
enum CharacterClass: UInt8 {
    /// A letter of any script, or `_`.
    case nameStart
    case digit
    /// `₀`…`₉`: continues a name, as in `x₁`, but does not start one.
    case subscriptDigit
    /// A line break (`\n`, `\r\n`, U+2028, ...), as `Character.isNewline` has it.
    case newline
    /// Whitespace that is not a line break.
    case blank
    /// Punctuation, operators and everything else.
    case other

    init(_ character: Character) {
        self = if character.isNewline { .newline }
            else if character.isWhitespace { .blank }
            else if character == "_" || character.isLetter { .nameStart }
            else if character.isASCII && character.isWholeNumber { .digit }
            else if character.isSubscriptDigit { .subscriptDigit }
            else { .other }
    }
}

extension Character {
    /// The subscript digits `₀`…`₉` (U+2080–U+2089), so `x₁` is one name.
    var isSubscriptDigit: Bool {
        guard let scalar = unicodeScalars.first, unicodeScalars.count == 1 else { return false }
        return (0x2080...0x2089).contains(scalar.value)
    }
}
