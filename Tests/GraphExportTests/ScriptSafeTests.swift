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
