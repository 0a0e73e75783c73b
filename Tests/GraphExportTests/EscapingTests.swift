import Foundation
@testable import GraphExport
import Testing
import TestSupport

/// The frames page breaks every `</` in its JSON as `<\/`, byte by byte: the same text as
/// Foundation's `replacingOccurrences(of: "</", with: "<\\/")`, which it replaced.
@Suite("Frames page: no text closes the script element")
struct ScriptSafeTests {
    @Test func breaksEveryClosingTagAsFoundationWould() {
        var rng = SplitMix64(seed: 19)
        let pieces = ["<", "/", "</", "<<//", "\\", "a", "∂", "v̄₁", "🤖", "</script>", "\"", "\n", "<\\/"]
        var texts = ["", "<", "/", "</", "plain", "</B></FONT>", "x</", "</x", "<</", "<//", "∂</∂"]
        for _ in 0 ..< 2_000 {
            texts.append((0 ..< Int.random(in: 0 ... 12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for text in texts {
            let broken = FramesPage.scriptSafe(text)
            expectEqual(broken, text.replacingOccurrences(of: "</", with: "<\\/"), "\(text)")
            expectTrue(!broken.contains("</"), "\(text)")
        }
    }
}

/// `DotWriter.escape` returns text with nothing to replace as it is, after a look at its bytes:
/// the same text as escaping it scalar by scalar. A leading `&` sends any text through the
/// scalar-by-scalar escaping (escaping is scalar by scalar, so the rest is escaped as alone).
@Suite("DOT text escaped")
struct EscapeTests {
    @Test func everyScalarOfInterestAloneAndInText() {
        var scalars: [Unicode.Scalar] = (0 ... 0x2FF).compactMap(Unicode.Scalar.init)
        scalars += [0xFFFD, 0xFFFE, 0xFFFF, 0xEFFF, 0xFEFF, 0x2202, 0x1F916, 0x10FFFF].compactMap(Unicode.Scalar.init)
        var rng = SplitMix64(seed: 7)
        var texts = scalars.map { String($0) } + ["", "v̄₋₁ ∂ 🤖 graph", "0.693147", "−0.958924"]
        for _ in 0 ..< 3_000 {
            var text = String.UnicodeScalarView()
            for _ in 0 ..< Int.random(in: 0 ... 10, using: &rng) { text.append(scalars.randomElement(using: &rng)!) }
            texts.append(String(text))
        }
        for text in texts {
            let scalarByScalar = Array(DotWriter.escape("&" + text).utf8.dropFirst("&amp;".utf8.count))
            expectEqual(Array(DotWriter.escape(text).utf8), scalarByScalar, "\(Array(text.unicodeScalars))")
        }
        // C1 controls and the non-characters are replaced even in text with nothing else to replace.
        expectEqual(DotWriter.escape("a\u{85}b\u{FFFE}c\u{9F}"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
    }
}
