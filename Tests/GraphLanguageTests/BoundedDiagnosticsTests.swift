import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The rendered failure of loading `text` as a file, or nil when it loads.
private func failure(_ text: String, name: String = "test.grad") -> String? {
    switch GraphLoader.load(SourceFile(name: name, text: text), graphName: "test", mode: .file) {
    case .success: nil
    case .failure(let f): f.rendered()
    }
}

/// At most this many bytes for one rendered diagnostic of a long line: a header, the window of
/// `Limits.diagnosticLineWidth` characters (each at most 4 bytes, `…` on both sides), its caret
/// line and a hint.
private let boundPerDiagnostic = 4 * Limits.diagnosticLineWidth + 2 * Limits.diagnosticLineWidth + 400

/// Hostile input gets a bounded answer: one error per run of bad characters, at most
/// `Limits.maximumDiagnostics` errors and a count of the rest, long lines echoed as a window.
/// Sizes are asserted, not times.
@Suite("Diagnostics: bounded in count and size")
struct BoundedDiagnosticsTests {
    @Test func aLineOfTenThousandDollarsIsOneError() throws {
        let text = "y = " + String(repeating: "$", count: 10_000)
        let (_, _, diagnostics) = parse(text)
        expectEqual(diagnostics.count, 1)
        let d = try #require(diagnostics.first)
        expectEqual(d.message, "unexpected character '$', 10,000 times in a row")
        expectEqual(d.range.start.column, 5)
        let rendered = try #require(failure(text))
        expectTrue(rendered.utf8.count < boundPerDiagnostic)
        expectHasPrefix(rendered, "test.grad:1:5: error: unexpected character '$', 10,000 times in a row\n")
    }

    @Test func tenKilobytesOfNULBytesAreOneBoundedError() throws {
        let text = String(repeating: "\u{0}", count: 10_240)
        let rendered = try #require(failure(text))
        expectTrue(rendered.utf8.count < boundPerDiagnostic)
        expectHasPrefix(rendered, "test.grad:1:1: error: unexpected character U+0000, 10,240 times in a row\n")
        expectContains(rendered, "is this a binary file?")
        // The line is shown cut, with the caret under its first character.
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        expectHasPrefix(lines[1], " 1 | \u{FFFD}")
        expectHasSuffix(lines[1], "…")
        expectHasPrefix(lines[2], "   | ^~~~")
    }

    @Test func aOneMegabyteFileOfNULBytesIsAnsweredWithABoundedMessage() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gradstep-nul-\(UUID().uuidString).grad")
        try Data(count: 1 << 20).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        guard case .failure(let f) = GraphLoader.load(path: url.path) else {
            Issue.record("a file of NUL bytes loaded")
            return
        }
        let rendered = f.rendered()
        expectEqual(f.diagnostics.count, 1)
        expectTrue(rendered.utf8.count < boundPerDiagnostic)
        expectContains(rendered, "unexpected character U+0000, 1,048,576 times in a row")
    }

    @Test func nulBytesOnManyLinesAreCappedWithACount() throws {
        let text = String(repeating: "\u{0}\n", count: 50_000)
        let (file, _, diagnostics) = parse(text)
        expectEqual(diagnostics.count, Limits.maximumDiagnostics + 1)
        let rendered = DiagnosticRenderer().render(diagnostics, in: file)
        expectHasSuffix(rendered, "test.grad: error: and 49980 more errors (only the first 20 are shown)\n")
        expectTrue(rendered.utf8.count < Limits.maximumDiagnostics * 300)
    }

    @Test func aRunOfMixedCharactersIsOneError() {
        expectEqual(parse("y = x $%& 2").diagnostics.map(\.message), ["unexpected characters '$%&'"])
        expectEqual(parse("y = x $ % 2").diagnostics.map(\.message), ["unexpected character '$'", "unexpected character '%'"])
        let mixed = "y = " + String(repeating: "$%", count: 40)
        expectEqual(parse(mixed).diagnostics.map(\.message), ["80 unexpected characters, starting with '$'"])
        // Look-alike operators keep their hint.
        expectEqual(parse("y = a ×× b").diagnostics.first?.hint, "write multiplication as '*'")
    }

    @Test func syntaxErrorsAreCappedAndCounted() {
        let text = String(repeating: "y = )\n", count: 100)
        let (file, _, diagnostics) = parse(text)
        expectEqual(diagnostics.count, Limits.maximumDiagnostics + 1)
        expectEqual(diagnostics.prefix(Limits.maximumDiagnostics).map(\.range.start.line), Array(1...20))
        let summary = diagnostics.last!
        expectEqual(summary.omittedCount, 80)
        expectEqual(summary.message, "and 80 more errors (only the first 20 are shown)")
        let rendered = DiagnosticRenderer().render(diagnostics, in: file)
        expectEqual(rendered.components(separatedBy: "error:").count - 1, 21)
    }

    @Test func loweringErrorsAreCappedAndCounted() throws {
        // Every line uses a name defined nowhere: one error each, in source order.
        let text = (1...60).map { "v\($0) = u\($0) + 1" }.joined(separator: "\n")
        guard case .failure(let f) = GraphLoader.load(SourceFile(name: "t.grad", text: text), graphName: "t", mode: .file) else {
            Issue.record("unknown names loaded")
            return
        }
        expectEqual(f.diagnostics.count, Limits.maximumDiagnostics + 1)
        expectEqual(f.diagnostics.first?.message, "unknown name 'u1'")
        expectEqual(f.diagnostics.last?.message, "and 40 more errors (only the first 20 are shown)")
    }

    @Test func lexicalAndSyntaxErrorsTogetherKeepTheFirstInSourceOrder() {
        // Lexical errors on odd lines, syntax errors on even lines.
        let text = (1...40).map { $0 % 2 == 1 ? "a\($0) = $" : "b\($0) = )" }.joined(separator: "\n")
        let diagnostics = parse(text).diagnostics
        expectEqual(diagnostics.prefix(Limits.maximumDiagnostics).map(\.range.start.line), Array(1...20))
        expectEqual(diagnostics.last?.message, "and 20 more errors (only the first 20 are shown)")
    }

    @Test func aLongLineIsShownAsAWindowWithTheCaretUnderTheError() throws {
        let prefix = "y = " + Array(repeating: "x1", count: 400).joined(separator: " + ")
        let text = prefix + " + $ + " + Array(repeating: "x2", count: 400).joined(separator: " + ")
        let column = prefix.count + 4
        let rendered = try #require(failure(text))
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expectEqual(lines[0], "test.grad:1:\(column): error: unexpected character '$'")
        expectTrue(rendered.utf8.count < boundPerDiagnostic)
        // The window is cut on both sides, and the caret stands under the '$'.
        let excerpt = lines[1], carets = lines[2]
        expectTrue(excerpt.hasPrefix(" 1 | …") && excerpt.hasSuffix("…"))
        expectTrue(excerpt.count <= Limits.diagnosticLineWidth + 10)
        let caretColumn = try #require(carets.firstIndex(of: "^")).utf16Offset(in: carets)
        let above = excerpt[excerpt.index(excerpt.startIndex, offsetBy: caretColumn)]
        expectEqual(above, "$")
    }

    @Test func aLongLineOfUnicodeNamesKeepsTheCaretAligned() throws {
        let name = String(repeating: "θ", count: 500)
        let text = "\(name) = 1; y = \(name) * sni(2)"
        let rendered = try #require(failure(text))
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expectEqual(lines[0], "test.grad:1:\(2 * 500 + 14): error: unknown function 'sni'")
        let excerpt = Array(lines[1]), carets = Array(lines[2])
        let caret = try #require(carets.firstIndex(of: "^"))
        expectEqual(String(excerpt[caret ..< caret + 3]), "sni")
        expectEqual(String(carets[caret...]), "^~~")
    }

    @Test func aShortLineIsShownWhole() throws {
        let rendered = try #require(failure("y = 2 $"))
        expectEqual(rendered, """
            test.grad:1:7: error: unexpected character '$'
             1 | y = 2 $
               |       ^

            """)
    }
}
