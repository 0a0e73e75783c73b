import Foundation
@testable import GraphLanguage
import Testing

/// The lexer reads the `SourceFile`'s own bytes (issue 23): no copy of a file's text is made
/// to lex it, so a loaded file is in memory once.
@Suite("Lexer source bytes")
struct LexerSourceBytesTests {
    /// The address of a string's UTF-8 storage, or nil when it is not contiguous.
    private func storage(of text: String) -> UnsafePointer<UInt8>? {
        text.utf8.withContiguousStorageIfAvailable { $0.baseAddress }.flatMap { $0 }
    }

    @Test func aLongTextIsReadInPlace() throws {
        let text = String(repeating: "v1 = sin(v0)\n", count: 1_000) + "y = θ₁ + é\n"
        let file = SourceFile(name: "t", text: text)
        let lexer = Lexer(file)
        let address = try #require(storage(of: file.text))
        #expect(lexer.source.base == address)
        #expect(lexer.source.count == text.utf8.count)
    }

    @Test(arguments: ["", "x", "x = 1\n", "θ₁ = é", String(repeating: "a", count: 32)])
    func aShortTextIsCopiedWhole(_ text: String) {
        let lexer = Lexer(SourceFile(name: "t", text: text))
        #expect(Array(lexer.source.buffer) == Array(text.utf8))
    }

    @Test func aLongNonASCIITextIsReadWhole() {
        let text = String(repeating: "θ₁ = é\u{301} × 2\r\n", count: 50)
        let lexer = Lexer(SourceFile(name: "t", text: text))
        #expect(Array(lexer.source.buffer) == Array(text.utf8))
    }

    /// Line splitting reads the same bytes through `CharacterScanner` when a text has
    /// non-ASCII line breaks; its lines are the text's.
    @Test func lineSplittingReadsTheTextsBytes() {
        let text = String(repeating: "a = 1\u{2028}", count: 20) + "b = 2\r\nc"
        let file = SourceFile(name: "t", text: text)
        #expect(file.lineCount == 22)
        #expect(file.line(1) == "a = 1")
        #expect(file.line(21) == "b = 2")
        #expect(file.line(22) == "c")
    }
}
