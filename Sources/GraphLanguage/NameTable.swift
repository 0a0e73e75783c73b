import Foundation
import GraphCore

/// Every distinct name of a file, numbered in order of first appearance, so the parser and the
/// lowering compare and look up small integers instead of hashing strings at every use.
///
/// ```swift
/// var names = NameTable()
/// let v = names.intern(Array("v1".utf8)[...])   // a new id
/// names.intern(Array("v1".utf8)[...]) == v       // true: the same spelling, the same id
/// names.spelling(v)                              // "v1"
/// ```
/// The statement keywords and the function names come first, so whether a name is one of them
/// is a comparison of its id.
struct NameTable {
    /// The UTF-8 bytes of every spelling, one after another; `ends[id]` is where id's end.
    /// A spelling is made a `String` only when asked for (`spelling(_:)`): a string per name
    /// was 16 bytes a name of a large file, and most are never asked for (issue 23).
    private var bytes: [UInt8] = []
    private var ends: [Int32] = []
    /// Open addressing: each slot holds an id, or -1. Its count is a power of two, at least
    /// twice the number of names.
    private var slots = [Int32](repeating: -1, count: 1024)

    /// `input`, `param`, `const`, `output`, by id.
    static let keywords: [Statement.Kind] = Statement.Kind.allCases.filter { $0.keyword != nil }
    /// The names of `Op.functions`, alphabetically, by id after the keywords.
    static let functionNames: [String] = Op.functions.keys.sorted()
    static let functions: [Op] = functionNames.map { Op.functions[$0]! }
    /// The ids of `def` and `group`, numbered right after the functions: they start a
    /// definition or a block only before a name and `(` or `{`, so they stay usable as names.
    static let defID = Int32(keywords.count + functionNames.count)
    static let groupID = defID + 1
    /// The id of `for`, which starts a loop before a name (`for t in 0..<4 {`).
    static let forID = groupID + 1

    /// A table expecting about `expectedNames` names, so it need not grow (and rehash) on the
    /// way there; it still grows past them, as ever when more than half full. The slots
    /// start at the power of two past 1.5 times the (rough) estimate: past twice it, they
    /// took up to four times the names (17 bytes a name of a million-statement file whose
    /// estimate was a little over a power of two, issue 23).
    init(expectedNames: Int = 0) {
        var slots = 1024
        while slots < expectedNames + expectedNames / 2 { slots *= 2 }
        self.slots = [Int32](repeating: -1, count: slots)
        ends.reserveCapacity(expectedNames)
        bytes.reserveCapacity(expectedNames * 4)
        for keyword in Self.keywords { intern(Array(keyword.rawValue.utf8)[...]) }
        for name in Self.functionNames { intern(Array(name.utf8)[...]) }
        intern(Array("def".utf8)[...])
        intern(Array("group".utf8)[...])
        intern(Array("for".utf8)[...])
    }

    var count: Int { ends.count }

    func spelling(_ id: Int32) -> String {
        let start = id == 0 ? 0 : Int(ends[Int(id) - 1])
        return String(decoding: bytes[start ..< Int(ends[Int(id)])], as: UTF8.self)
    }

    /// The statement kind a name introduces when it starts a statement (`input`, ...).
    func keyword(_ id: Int32) -> Statement.Kind? {
        Int(id) < Self.keywords.count ? Self.keywords[Int(id)] : nil
    }

    /// The op a function name stands for (`sin`), or nil for other names.
    func function(_ id: Int32) -> Op? {
        let k = Int(id) - Self.keywords.count
        return k >= 0 && k < Self.functions.count ? Self.functions[k] : nil
    }

    /// The id of `name`, if the file uses it.
    func id(of name: String) -> Int32? {
        var name = name
        return name.withUTF8 { find($0).id }
    }

    /// The id of the spelling `name`, numbering it if it is new.
    @discardableResult
    mutating func intern(_ name: ArraySlice<UInt8>) -> Int32 {
        name.withUnsafeBufferPointer { intern($0) }
    }

    /// `intern` of bytes the caller holds, e.g. a slice of the lexer's text.
    @discardableResult
    mutating func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (found, slot) = find(name)
        if let found { return found }
        let id = Int32(ends.count)
        bytes.append(contentsOf: name)
        ends.append(Int32(bytes.count))
        slots[slot] = id
        if ends.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `name` if present, and otherwise the empty slot where it belongs.
    private func find(_ name: UnsafeBufferPointer<UInt8>) -> (id: Int32?, slot: Int) {
            bytes.withUnsafeBufferPointer { bytes in
                ends.withUnsafeBufferPointer { ends in
                    slots.withUnsafeBufferPointer { slots in
                        let mask = slots.count - 1
                        var slot = Self.hash(name) & mask
                        while true {
                            let id = slots[slot]
                            if id < 0 { return (nil, slot) }
                            let end = Int(ends[Int(id)])
                            let start = id == 0 ? 0 : Int(ends[Int(id) - 1])
                            if end - start == name.count,
                               name.count == 0 || memcmp(bytes.baseAddress! + start, name.baseAddress!, name.count) == 0 {
                                return (id, slot)
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        var start = 0
        for id in ends.indices {
            let end = Int(ends[id])
            var slot = Self.hash(bytes[start ..< end]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
            start = end
        }
    }

    /// FNV-1a: names are short, and a file's names are not chosen to collide.
    private static func hash(_ name: ArraySlice<UInt8>) -> Int {
        name.withUnsafeBufferPointer { hash($0) }
    }

    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}

/// A parsed program's names, numbered by a `NameTable`, for the lowering.
struct ProgramNames {
    var table: NameTable
    /// The name id of each statement's name (`x` of `input x = 2`, `y` of `output y`), by
    /// statement index; -1 for a bare expression.
    var defined: [Int32]
    /// The name ids of every `.name` node, statement by statement, each statement's in source
    /// order (the order `Lowering.forEachName` visits them); statement `k`'s are
    /// `uses[useStart[k] ..< useStart[k + 1]]`.
    var uses: [Int32]
    var useStart: [Int]
}
