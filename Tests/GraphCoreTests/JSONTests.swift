import Foundation
import GraphCore
import Testing
import TestSupport

/// The one JSON writer: its text reads back (Foundation's parser) as the value written, and it
/// keeps the conventions the `--json` outputs have always had.
@Suite("JSON")
struct JSONTests {
    @Test func objectsKeepTheirOrderOnOneLine() {
        let v: JSON = ["b": 1, "a": [true, false, nil], "c": ["d": "e"], "f": [], "g": [:]]
        expectEqual(v.text, #"{"b": 1, "a": [true, false, null], "c": {"d": "e"}, "f": [], "g": {}}"#)
    }

    /// Shortest round-trip form; NaN and ±∞ as null, which is what every `--json` output has
    /// printed (JSON has no literal for them).
    @Test func numbersRoundTripAndNonFiniteIsNull() throws {
        let xs: [Double] = [0.1, 1e-20, -0.0, 3, 2.5e300, 5e-324, 1 / 3, -1.7976931348623157e308, 123456789012345678]
        let text = JSON.numbers(xs).text
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [NSNumber]).map(\.doubleValue)
        expectTrue(back == xs.map { $0 == 0 ? 0 : $0 })
        expectHasPrefix(text, "[0.1, 1e-20, 0, 3, 2.5e+300, 5e-324, 0.3333333333333333, ")
        expectEqual(JSON.numbers([.nan, .infinity, -.infinity]).text, "[null, null, null]")
        expectEqual(JSON.number(orNull: nil).text, "null")
        expectEqual(JSON.int(UInt64.max).text, "18446744073709551615")
        expectEqual(JSON.int(-3).text, "-3")
    }

    /// Every control character escaped (the short forms where JSON has them), quotes and
    /// backslashes escaped, everything else (accents, subscripts, emoji outside the BMP) as
    /// UTF-8; Foundation reads each string back unchanged.
    @Test func stringsEscapeEveryControlCharacter() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let samples = [controls, "quote \" and \\ backslash", "v̄₋₁ ∂L/∂W[2,0] é", "🙂 𝔸 \u{10FFFF}", "\u{7F}\u{2028}", "</script>"]
        for s in samples {
            let text = JSON.strings([s]).text
            expectTrue(!text.unicodeScalars.contains { $0.value < 0x20 }, "no raw control character in \(text)")
            let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String])
            expectEqual(back, [s])
        }
        expectEqual(JSON.string("a\nb\tc\r\u{0}\u{1F}\u{8}").text, #""a\nb\tc\r\u0000\u001f\u0008""#)
        expectEqual(JSON.string("🙂").text, "\"🙂\"")
        // Keys are escaped the same way.
        expectEqual(JSON.object([(key: "a\"b", value: 1)]).text, #"{"a\"b": 1}"#)
    }

    /// A tensor as nested lists, row-major (NumPy's `tolist()`).
    @Test func tensorsNestOneListPerExtent() {
        expectEqual(JSON.tensor([7], .scalar).text, "7")
        expectEqual(JSON.tensor([], .scalar).text, "null")
        expectEqual(JSON.tensor([1, 2, 3], .vector(3)).text, "[1, 2, 3]")
        expectEqual(JSON.tensor([1, 2, 3, 4, 5, 6], .matrix(3, 2)).text, "[[1, 2], [3, 4], [5, 6]]")
        expectEqual(JSON.tensor((0..<8).map(Double.init), .tensor([2, 1, 2, 2])).text, "[[[[0, 1], [2, 3]]], [[[4, 5], [6, 7]]]]")
        expectEqual(JSON.tensor([1, 2, 3, 4][1...], .vector(3)).text, "[2, 3, 4]", "a slice keeps its own indices")
    }

    /// The trace's layout: the outer two levels a member per line, the rows each on one line.
    @Test func expandedLevelsPutOneItemPerLine() {
        let v: JSON = ["phase": "reverse", "rows": [["node": 0, "v": [1, 2]], ["node": 1, "v": []]], "none": []]
        expectEqual(v.text(expanding: 2), """
            {
              "phase": "reverse",
              "rows": [
                {"node": 0, "v": [1, 2]},
                {"node": 1, "v": []}
              ],
              "none": []
            }
            """)
        expectEqual(JSON.array([1, 2]).text(expanding: 1), "[\n  1,\n  2\n]")
        expectEqual(JSON.array([1, 2]).text(expanding: 0), "[1, 2]")
    }
}
