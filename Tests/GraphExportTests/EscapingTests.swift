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
/// the same text as escaping it scalar by scalar (the reference below, as it was written).
@Suite("DOT text escaped")
struct EscapeTests {
    static func reference(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\\": out += "&#92;"
            case "\n", "\r", "\t": out += " "
            default:
                let v = u.value
                out += v < 0x20 || (0x7F ... 0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF ? "\u{FFFD}" : String(u)
            }
        }
        return out
    }

    @Test func everyScalarOfInterestAloneAndInText() {
        var scalars: [Unicode.Scalar] = (0 ... 0x2FF).compactMap(Unicode.Scalar.init)
        scalars += [0xFFFD, 0xFFFE, 0xFFFF, 0xEFFF, 0xFEFF, 0x2202, 0x1F916, 0x10FFFF, 0xC2, 0xEF].compactMap(Unicode.Scalar.init)
        var rng = SplitMix64(seed: 7)
        var texts = scalars.map { String($0) } + ["", "v̄₋₁ ∂ 🤖 graph", "0.693147", "−0.958924"]
        for _ in 0 ..< 3_000 {
            var text = String.UnicodeScalarView()
            for _ in 0 ..< Int.random(in: 0 ... 10, using: &rng) { text.append(scalars.randomElement(using: &rng)!) }
            texts.append(String(text))
        }
        for text in texts { expectEqual(DotWriter.escape(text), Self.reference(text), "\(Array(text.unicodeScalars))") }
    }
}
