import Foundation
@testable import GraphLanguage
import Testing
import TestSupport

/// The lexer reads plain-ASCII tokens on a fast path (`Lexer+ASCII.swift`) and everything else
/// on the general one. Both must give the same tokens, locations and messages: each input here
/// is lexed both ways and the two transcripts compared.
@Suite("Lexer fast path")
struct LexerFastPathTests {
    /// Every lexeme as one line (kind, range with line, column and byte offset, spelling,
    /// number, keyword), then every diagnostic.
    private func transcript(_ text: String, fastPath: Bool) -> [String] {
        var lexer = Lexer(SourceFile(name: "t", text: text))
        lexer.usesASCIIFastPath = fastPath
        var lines: [String] = []
        while true {
            let l = lexer.nextLexeme()
            let r = l.range
            let spelling = l.kind == .name ? lexer.names.spelling(l.name) : lexer.text(of: l)
            lines.append("\(l.kind) \(r.start.line):\(r.start.column)@\(r.start.offset)-\(r.end.line):\(r.end.column)@\(r.end.offset) "
                + "'\(spelling)' \(l.value) \(l.keyword.map { "\($0)" } ?? "-")")
            if l.kind == .endOfFile || lines.count > 100_000 { break }
        }
        return lines + lexer.diagnostics.map { "\($0.severity) \($0.range) \($0.message) | \($0.hint ?? "")" }
    }

    /// Where ASCII meets what the fast path leaves alone: combining marks after ASCII letters,
    /// digits, blanks and operators; subscripts; `\r\n` and other line breaks; numbers with
    /// points, exponents, glued names and too many digits; `**`; comparisons (`==` beside `=`); strings; comments; NUL bytes.
    static let edges = [
        "v12 = sin(v11)\noutput v12\n", "x\u{301} = 1", "e\u{301}2 + 1", "x₁ + y₂*z₁₀", "1\u{301} + 2", "a\r\nb = 1\r\n",
        "a\rb", "a\u{0B}b\u{0C}c", "a\u{2028}b\u{85}c", "2x", "2 x", "1.2.3", "1e3 + 1E-3", "1e+", "1e", "x = .5 + 5. + 9.",
        "12345678901234567", "123456789012345 + 1234567890123456", "a**b", "a * *b", "*", "**", "data d = \"p.csv\"\n",
        "\"open", "x\t=\t1 # comment ** $\ny", "\u{0B}", "$$$ x", "x\u{0}y", "θ = 1; é = θ", "_a9 = b_ + _", " \u{301}x",
        "+\u{301}1", "(\u{301}", "a.b", "{ } [ ] ( ) , ; : = @ ^ / - +", "group g {\n input x = 1\n}", "x", "x ", "9",
        "input x = [[1, 2],\n [3, 4]]\n", "y = x[1:2, :]\n", "a == b", "a <= b >= c != d < e > f", "x = =", "a=== b", "ＡＢ = 1", "x\u{FE0F} = 1", "a\t\u{301}b", "",
    ]

    /// Which texts take the plain path (every byte one `Character`): all ASCII, and `\n` the
    /// only line break. The others take the ASCII path, which looks a byte ahead.
    @Test func aTextIsPlainASCIIWhenEveryByteIsACharacter() {
        for text in ["", "x", "v1 = sin(v0)\noutput v1\n", "a\tb # c\n\n", "x\u{0}y", "\u{7F}"] {
            expectTrue(SourceFile(name: "t", text: text).isPlainASCII, "\(text.debugDescription)")
        }
        for text in ["a\r\nb", "a\rb", "a\u{0B}b", "a\u{0C}b", "θ = 1", "x\u{301}", "a\u{85}b", "x = 1\n# é\n"] {
            expectTrue(!SourceFile(name: "t", text: text).isPlainASCII, "\(text.debugDescription)")
        }
    }

    @Test(arguments: edges)
    func bothPathsReadAnEdgeAlike(_ text: String) {
        expectEqual(transcript(text, fastPath: true), transcript(text, fastPath: false))
    }

    /// The same edges at the end of a text too long to be copied (`SourceBytes` reads it in
    /// place), so the fast path meets each at the text's last byte, where it stops short.
    @Test(arguments: edges)
    func bothPathsReadAnEdgeAlikeAtTheEndOfALongText(_ edge: String) {
        let text = String(repeating: "v1 = sin(v0)\n", count: 4) + edge
        #expect(text.utf8.count > 32)
        #expect(transcript(text, fastPath: true) == transcript(text, fastPath: false))
    }

    /// The graphs shipped in `Graphs/` and the fuzzer's corpus, hostile inputs included.
    static var files: [URL] {
        ["Graphs", "Tests/GraphLanguageFuzz/Corpus"].flatMap { folder -> [URL] in
            let url = repositoryRoot.appendingPathComponent(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            return names.filter { folder != "Graphs" || $0.hasSuffix(".grad") }.map { url.appendingPathComponent($0) }
        }
    }

    @Test func theFilesAreFound() {
        expectTrue(Self.files.count > 60)
    }

    @Test(arguments: files)
    func bothPathsReadAFileAlike(_ url: URL) throws {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        expectEqual(transcript(text, fastPath: true), transcript(text, fastPath: false))
    }
}
