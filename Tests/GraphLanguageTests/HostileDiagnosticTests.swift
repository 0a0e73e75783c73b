import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Diagnostics name the function the user wrote, and never echo invisible characters raw.
@Suite("Diagnostics under hostile input")
struct HostileDiagnosticTests {
    func error(_ program: String, _ values: [(name: String, text: String)] = []) throws -> String {
        guard case .failure(let f) = GraphLoader.load(expression: program, values: values) else {
            Issue.record("\(program) loaded")
            return ""
        }
        return f.rendered()
    }

    /// `where` was "cannot multiply [3] and [2]", the `mul` it is written as.
    @Test func whereNamesItself() throws {
        let text = try error("y = sum(where(c, a, b))", [("c", "[1, 0]"), ("a", "[1, 2, 3]"), ("b", "[1, 2]")])
        expectEqual(text, """
            -e:1:9: error: where(cond, a, b) needs cond [2], a [3] and b [2] to broadcast together
             1 | y = sum(where(c, a, b))
               |         ^~~~~
               = hint: shapes must match, or one be a scalar, or a vector match a matrix's rows

            """)
        expectNotContains(text, "multiply")
    }

    /// `linear` was "cannot multiply [2] @ [3×1]", the `@` of x @ Wᵀ.
    @Test func linearNamesItselfAndWsLayout() throws {
        let w = try error("y = sum(linear(x, W, b))", [("x", "[1, 2]"), ("W", "[[1, 2, 3]]"), ("b", "[1]")])
        expectHasPrefix(w, "-e:1:9: error: linear(x, W) needs W of (out × 2): x is [2] and W is [1×3]\n")
        expectContains(w, "= hint: W is (out × in), as PyTorch's nn.Linear: x @ transpose(W) + b")
        let b = try error("y = sum(linear(x, W, b))", [("x", "[[1, 2, 3]]"), ("W", "[[1, 2, 3]]"), ("b", "[1, 2]")])
        expectHasPrefix(b, "-e:1:9: error: linear(x, W, b) needs b of [1], one per output of W [1×3]: b is [2]\n")
        for text in [w, b] { expectTrue(!text.contains("transpose [") && !text.contains("multiply") && !text.contains("cannot add")) }
        // A right one still loads, and a batch with a bias per output.
        let g = try GraphLoader.load(expression: "y = sum(linear(x, W, b))", values: [("x", "[[1, 2, 3]]"), ("W", "[[1, 2, 3], [1, 1, 1]]"), ("b", "[1, 2]")]).get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 23)
    }

    /// Bidirectional overrides and isolates in a message, a quoted token or the source line
    /// are written as `\u{202E}`; the caret stays under the character it marks.
    @Test func bidiCharactersAreEscaped() throws {
        for u in ["\u{202E}", "\u{2066}", "\u{200F}"] {
            let text = try error("y = \"\(u)\" + x", [("x", "1")])
            expectTrue(!text.unicodeScalars.contains { Format.isInvisibleControl($0) && $0 != "\n" }, "\(text.debugDescription)")
        }
        let text = try error("y = \u{202E}x + \u{202E}1", [("x", "1")])
        expectContains(text, " 1 | y = \\u{202E}x + \\u{202E}1\n   |     ^~~~~~~~\n")
        expectContains(text, " 1 | y = \\u{202E}x + \\u{202E}1\n   |                 ^~~~~~~~\n")
    }

    /// A value of 100,000 digits is cut in the message, not echoed whole.
    @Test func aHugeValueIsCut() throws {
        let text = try error("y = x", [("x", String(repeating: "7", count: 100_000))])
        expectTrue(text.utf8.count < 400)
        expectContains(text, "…")
    }
}
