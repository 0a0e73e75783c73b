import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Loads `text` as the file `test.grad` and returns its errors as the user reads them, or
/// nil if it loaded.
func loweringErrors(_ text: String, values: [(name: String, text: String)] = []) -> String? {
    switch GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file, values: values) {
    case .success: nil
    case .failure(let failure): failure.rendered()
    }
}

/// Every error the lowering reports (names, functions, shapes, cycles, definitions, literals,
/// outputs, `--set`, `-e`), each shown by a snapshot `__Snapshots__/lowering-error-*.txt`.
@Suite("Lowering errors: one snapshot per message")
struct LoweringErrorTests {
    static let cases: [(name: String, source: String, mentions: [String])] = [
        ("unknown-name", "input rate = 0.1\ny = 2 * rat", ["unknown name 'rat'", "did you mean 'rate'?"]),
        ("unknown-name-no-suggestion", "input x = 1\ny = x * zebra", ["unknown name 'zebra'", "input zebra = 1"]),
        ("unknown-function", "input x = 1\ny = sigmod(x)", ["unknown function 'sigmod'", "did you mean 'sigmoid'?"]),
        ("unknown-function-no-suggestion", "input x = 1\ny = frobnicate(x)", ["unknown function 'frobnicate'", "functions:"]),
        ("too-few-arguments", "input x = 1\ny = max(x)", ["max takes 2 arguments, got 1"]),
        ("too-many-arguments", "input x = 1\ny = sin(x, x)", ["sin takes 1 argument, got 2"]),
        ("shape-mismatch-elementwise", "input a = [1, 2]\ninput b = [1, 2, 3]\ny = sum(a + b)", ["[2]", "[3]"]),
        ("shape-mismatch-matrix-rows", "input A = [[1, 2], [3, 4]]\ninput B = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\ny = sum(A * B)", ["cannot multiply [2×2] and [3×3]"]),
        ("shape-mismatch-max", "input a = [1, 2]\ny = sum(max(a, [1, 2, 3]))", ["cannot apply max to [2] and [3]"]),
        ("shape-mismatch-cross-entropy", "input p = [0.5, 0.5]\nconst t = [1, 0, 0]\ny = cross_entropy(p, t)", ["[2]", "[3]"]),
        ("matmul-with-a-scalar", "input x = 2\ninput v = [1, 2]\ny = sum(x @ v)", ["use '*' to scale"]),
        ("shape-mismatch-matmul", "input W = [[1, 2], [3, 4]]\ninput v = [1, 2, 3]\ny = sum(W @ v)", ["[2×2]", "[3]"]),
        ("shape-mismatch-matmul-matrices", "input A = [[1, 2, 3]]\ninput B = [[1, 2], [3, 4]]\ny = sum(A @ B)", ["[1×3]", "[2×2]"]),
        ("cycle", "input x = 1\na = b + x\nb = a * 2\ny = a", ["cycle: a → b → a"]),
        ("cycle-of-three", "input x = 1\np = r + x\nq = p * 2\nr = q - 1\ny = p", ["cycle: p → r → q → p"]),
        ("self-reference", "input x = 1\ny = y + x", ["cycle: y → y"]),
        ("duplicate-definition", "input x = 1\ny = x\ny = 2 * x", ["'y' is defined twice", "first defined on line 2"]),
        ("duplicate-input", "input x = 1\ninput x = 2\ny = x", ["'x' is defined twice"]),
        ("non-literal-input", "input x = 1\ninput z = 2 * x\ny = z", ["must be a literal"]),
        ("non-literal-param", "input x = 1\nparam w = [x, 1]\ny = sum(w)", ["must be a literal"]),
        ("ragged-matrix", "input W = [[1, 2], [3]]\ny = sum(W)", ["ragged matrix: row 2 has 1 element, row 1 has 2"]),
        ("ragged-matrix-in-expression", "input x = 1\ny = sum(x * [[1, 2], [3]])", ["ragged matrix"]),
        ("tensor-of-rank-five", "input T = [[[[[1]]]]]\ny = sum(T)", ["at most four dimensions"]),
        ("ragged-tensor-of-rank-three", "input T = [[[1, 2]], [[3], [4]]]\ny = sum(T)", ["ragged tensor: element 2 has shape [2×1], element 1 has [1×2]"]),
        ("conv2d-channels", "input x = [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 1], [2, 3]]]\nparam w = zeros([4, 2, 1, 1])\ny = sum(conv2d(x, w))",
         ["conv2d needs w of shape (out, C, kh, kw) with C = 3, got [4×2×1×1]", "[3×2×2] and [4×2×1×1]"]),
        ("conv2d-kernel-too-big", "input x = [[[1, 2], [3, 4]]]\nparam w = zeros([1, 1, 3, 3])\ny = sum(conv2d(x, w))", ["kernel 3×3 does not fit a 2×2 image"]),
        ("maxpool-kernel-too-big", "input x = [[[1, 2], [3, 4]]]\ny = sum(maxpool2d(x, 3))", ["kernel 3 does not fit a 2×2 image"]),
        ("conv2d-stride-not-whole", "input x = [[[1, 2], [3, 4]]]\nparam w = zeros([1, 1, 1, 1])\ny = sum(conv2d(x, w, stride=1.5))", ["stride must be a whole number from 1 to 255, got 1.5"]),
        ("conv2d-bias-shape", "input x = [[[1, 2], [3, 4]]]\nparam w = zeros([2, 1, 1, 1])\nparam b = [1, 2, 3]\ny = sum(conv2d(x, w, b))", ["the bias needs one number per output channel, shape [2], got [3]"]),
        ("conv2d-stride-twice", "input x = [[[1, 2], [3, 4]]]\nparam w = zeros([1, 1, 1, 1])\ny = sum(conv2d(x, w, 0, 1, stride=1))", ["'stride' is given twice"]),
        ("conv2d-too-few-arguments", "input x = [[[1, 2], [3, 4]]]\ny = sum(conv2d(x))", ["conv2d takes 2 to 5 positional arguments"]),
        ("unknown-output", "input x = 1\ny = x^2\noutput yy", ["unknown output 'yy'", "did you mean 'y'?"]),
        ("nothing-to-differentiate", "input x = 1", ["nothing to differentiate"]),
        ("several-errors", """
            input x1 = 2
            input x2 = 5
            param w = [[1, 2], [3]]
            input q = x1 + 1
            v = lnn(x1) + x1*x3
            u = [1, 2] + [1, 2, 3]
            a = b + 1
            b = a
            y = v - sin(x2, x1)
            """, ["lnn", "x3", "ragged", "literal", "[2]", "cycle: a → b → a", "sin takes 1 argument"]),
    ]

    @Test(arguments: cases)
    func snapshot(name: String, source: String, mentions: [String]) throws {
        let text = try #require(loweringErrors(source), "\(name) loaded without an error")
        for m in mentions { expectContains(text, m, "\(name): no '\(m)' in\n\(text)") }
        expectHasPrefix(text, "test.grad:", "errors are located")
        assertSnapshot(text, named: "lowering-error-\(name)")
    }

    @Test func severalErrorsAreAllReportedInSourceOrder() throws {
        let text = try #require(loweringErrors(Self.cases.first { $0.name == "several-errors" }!.source))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("test.grad:") }.map { Int($0.split(separator: ":")[1])! }
        expectTrue(lines.count >= 7)
        expectEqual(lines, lines.sorted())
    }

    @Test func aTieInDidYouMeanGoesToTheNameDefinedFirst() {
        // x3 is one edit from both x1 and x2. Loaded many times, since a dictionary's order
        // (which decided this before) changes from one instance to the next.
        for _ in 0..<20 {
            expectEqual(loweringErrors("input x1 = 2\ninput x2 = 5\ny = x3")?.contains("did you mean 'x1'?"), true)
            expectEqual(loweringErrors("input x2 = 5\ninput x1 = 2\ny = x3")?.contains("did you mean 'x2'?"), true)
            expectEqual(loweringErrors("input x1 = 2\ny1 = x1\ny2 = x1\noutput y3")?.contains("did you mean 'y1'?"), true)
        }
    }

    // MARK: - --set

    @Test func setForAMissingNameSuggestsOne() throws {
        let text = try #require(loweringErrors("input rate = 0.1\ny = 2 * rate", values: [("rat", "2")]))
        expectContains(text, "did you mean 'rate'?")
        assertSnapshot(text, named: "lowering-error-set-missing-name")
    }

    @Test func setForAMissingNameListsTheLeaves() throws {
        let text = try #require(loweringErrors("input x = 1\nparam w = 2\ny = w * x", values: [("zzz", "2")]))
        expectTrue(text.contains("x") && text.contains("w"))
        assertSnapshot(text, named: "lowering-error-set-missing-name-no-suggestion")
    }

    @Test func setWithANonLiteralValue() throws {
        let text = try #require(loweringErrors("input x = 1\ny = 2 * x", values: [("x", "2 * y")]))
        assertSnapshot(text, named: "lowering-error-set-non-literal")
    }

    @Test func setOverridesAFileValue() throws {
        let graph = try #require(try? GraphLoader.load(SourceFile(name: "t.grad", text: "input x = 1\ny = 3 * x"),
                                                       graphName: "t", mode: .file, values: [("x", "5")]).get())
        let s = Solved(graph)
        expectEqual(s.output, 15)
    }

    // MARK: - -e mode

    @Test func freeNameWithoutAValue() throws {
        guard case .failure(let failure) = GraphLoader.load(expression: "x * y + sin(z)", values: [("x", "1")]) else {
            Issue.record("loaded without values for y and z")
            return
        }
        let text = failure.rendered()
        expectTrue(text.contains("no value for input 'y'") && text.contains("no value for input 'z'"))
        expectContains(text, "--set y=VALUE")
        expectHasPrefix(text, "-e:1:")
        assertSnapshot(text, named: "lowering-error-expression-missing-value")
    }

    @Test func freeNamesBecomeInputsInOrderOfFirstUse() throws {
        let graph = try loadExpression("y*x + sin(x) - w", values: [("x", "2"), ("w", "0.5"), ("y", "3")])
        expectEqual(graph.differentiableLeaves.map(\.name), ["y", "x", "w"])
        expectTrue(graph.tape.differentiableLeaves.allSatisfy { graph.tape.entries[$0].op == .input })
        let s = Solved(graph)
        expectClose(s.output, 3 * 2 + sin(2.0) - 0.5, "value")
        expectClose(try s.gradient("x"), [3 + cos(2.0)], "∂/∂x")
        expectClose(try s.gradient("y"), [2], "∂/∂y")
        expectClose(try s.gradient("w"), [-1], "∂/∂w")
    }

    @Test func expressionAcceptsTensorValues() throws {
        let s = Solved(try loadExpression("sum(W @ v)", values: [("W", "[[1, 2], [3, 4]]"), ("v", "[1, -1]")]))
        expectEqual(s.output, -2)
        expectClose(try s.gradient("v"), [4, 6], "∂/∂v = column sums of W")
    }
}
