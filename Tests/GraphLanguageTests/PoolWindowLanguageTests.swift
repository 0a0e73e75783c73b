import GraphCore
import GraphLanguage
import Testing

/// `maxpool2d`/`avgpool2d` with `padding=` and rectangular `kernel=[kh, kw]`, `stride=[sh, sw]`
/// in the graph language: the forms of the arguments, the values worked by hand, the trace's
/// formula, and an error with file:line:col and a caret for every misuse.
@Suite("Pooling windows in the graph language")
struct PoolWindowLanguageTests {
    static let image = "input x = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]\n"

    func tape(_ text: String) throws -> Tape {
        try GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file).get().tape
    }

    /// The value of the node named `name`.
    func value(_ t: Tape, _ name: String) throws -> [Double] {
        let i = try #require(t.names.firstIndex(of: name)), e = t.entries[i]
        return Array(t.evaluate()[Int(e.offset) ..< Int(e.offset) + e.count])
    }

    @Test func paddingByPositionOrKeywordIsTheSame() throws {
        // Kernel 3, stride 2, padding 1 over 1 … 9: the 2×2 block at each corner (worked in
        // PoolingPaddingTests); the mean divides by all 9 cells.
        for call in ["maxpool2d(x, 3, 2, 1)", "maxpool2d(x, kernel=3, stride=2, padding=1)", "maxpool2d(x, [3, 3], [2, 2], [1, 1])"] {
            let t = try tape(Self.image + "p = \(call)\ny = sum(p)")
            #expect(try value(t, "p") == [5, 6, 8, 9], "\(call)")
            #expect(t.entries[t.names.firstIndex(of: "p")!].shape == .tensor([1, 2, 2]))
        }
        let t = try tape(Self.image + "p = avgpool2d(x, 3, stride=2, padding=1)\ny = sum(p)")
        let means: [Double] = [12.0 / 9, 16.0 / 9, 24.0 / 9, 28.0 / 9]
        #expect(try value(t, "p") == means)
    }

    @Test func aRectangularKernelAndStride() throws {
        // 1×2 windows, 1 row and 2 columns apart, over a 2×4 image; the stride defaults to the kernel.
        let head = "input x = [[[1, 5, 2, 0], [3, 3, 7, 8]]]\n"
        let m = try tape(head + "p = maxpool2d(x, kernel=[1, 2])\ny = sum(p)")
        #expect(try value(m, "p") == [5, 2, 3, 8])
        let a = try tape(head + "p = avgpool2d(x, [1, 2], stride=[1, 2])\ny = sum(p)")
        #expect(try value(a, "p") == [3, 1, 3, 7.5])
        // 2×1 windows 1 apart down, padded by one row: (H + 2 − 2)/1 + 1 = 3 rows of 4.
        let p = try tape(head + "p = avgpool2d(x, [2, 1], 1, padding=[1, 0])\ny = sum(p)")
        #expect(try value(p, "p") == [0.5, 2.5, 1, 0, 2, 4, 4.5, 4, 1.5, 1.5, 3.5, 4])
    }

    @Test func theTracesFormulaNamesTheWindow() throws {
        let t = try tape(Self.image + "p = maxpool2d(x, 3, 2, 1)\nq = avgpool2d(x, kernel=[1, 2], stride=[1, 2])\nr = maxpool2d(x, 2)\ny = sum(p) + sum(q) + sum(r)")
        func formula(_ name: String) -> String { t.formula(t.names.firstIndex(of: name)!) }
        #expect(formula("p") == "maxpool2d(v₀, kernel=3, stride=2, padding=1)")
        #expect(formula("q") == "avgpool2d(v₀, kernel=[1, 2], stride=[1, 2])")
        #expect(formula("r") == "maxpool2d(v₀, kernel=2, stride=2)")
    }

    /// The error's first line and the caret under the source line, for a call on line 2.
    func expectError(_ call: String, _ message: String, column: Int, width: Int, hint: String? = nil) {
        guard let text = loweringErrors(Self.image + "y = sum(\(call))") else {
            Issue.record("\(call) lowered")
            return
        }
        #expect(text.contains("test.grad:2:\(column): error: \(message)\n"), "\(text)")
        #expect(text.contains(" 2 | y = sum(\(call))\n   | " + String(repeating: " ", count: column - 1) + "^"
                              + String(repeating: "~", count: width - 1) + "\n"), "\(text)")
        if let hint { #expect(text.contains("hint: " + hint), "\(text)") }
    }

    @Test func badWindowsAreErrorsWithACaret() {
        // `y = sum(` is 8 columns; the call starts at column 9.
        expectError("maxpool2d(x, 3, stride=2, padding=2)", "padding 2 is more than half the kernel 3", column: 43, width: 1,
                    hint: "PyTorch pads a pooling window by at most half its size (here 1)")
        expectError("avgpool2d(x, [2, 4], padding=[1, 3])", "padding 3 is more than half the kernel 4", column: 38, width: 6)
        expectError("maxpool2d(x, 2, ceil_mode=true)", "maxpool2d's ceil_mode= is not supported", column: 25, width: 9,
                    hint: "maxpool2d always rounds the output size down, as PyTorch's default ceil_mode=False")
        expectError("avgpool2d(x, 2, padding=1, count_include_pad=false)", "avgpool2d's count_include_pad= is not supported", column: 36, width: 17,
                    hint: "avgpool2d always counts the padding's zeros in the divisor (kh·kw)")
        expectError("avgpool2d(x, kernel=[1, 2, 3])", "the kernel size is one number or a list of two, [rows, columns]; got a list of 3",
                    column: 29, width: 9)
        expectError("maxpool2d(x, [2, 1], [0, 1])", "stride must be a whole number from 1 to 255, got 0", column: 31, width: 1)
        expectError("maxpool2d(x, [2, 1.5])", "the kernel size must be a whole number from 1 to 255, got 1.5", column: 26, width: 3)
        expectError("maxpool2d(x)", "maxpool2d needs a kernel size", column: 9, width: 12)
        expectError("maxpool2d(x, [4, 1])", "kernel 4×1 does not fit a 3×3 image", column: 9, width: 9)
        expectError("maxpool2d(x, 6, padding=1)", "kernel 6 does not fit a 3×3 image padded by 1", column: 9, width: 9)
        expectError("maxpool2d(x, 2, kernel=2)", "'kernel' is given twice", column: 25, width: 6)
        // PyTorch's tuple is a parse error whose hint gives the list.
        expectError("maxpool2d(x, kernel=(3, 2))", "expected ')' to close the '(' at 2:29, found ','", column: 31, width: 1,
                    hint: "the language has no tuples: write a list in brackets, such as [2, 3] for kernel=(2, 3)")
    }
}
