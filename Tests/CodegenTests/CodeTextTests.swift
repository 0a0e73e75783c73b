import Codegen
import Foundation
import GraphLanguage
import Testing
import TestSupport

/// What the generated code says, line by line: the names, `+=` at fan-out, the sums that
/// undo a broadcast, the course's two NumPy exercises as a student would write them.
@Suite("What the generated code says")
struct CodeTextTests {
    func lines(_ file: String, _ language: CodeLanguage = .numpy) throws -> [String] {
        let url = repositoryRoot.appendingPathComponent("Graphs/\(file)")
        let graph = try GraphLoader.load(path: url.path, values: []).get()
        return code(graph, language).components(separatedBy: "\n")
    }

    @Test func twoLayerReluIsTheNumPyAnswer() throws {
        let code = try lines("two-layer-relu.grad")
        for line in ["h = np.maximum(z1, 0)", "L = np.sum((yhat - Y) ** 2) / 4",
                     "dyhat = dL * 2 * (yhat - Y) / 4", "db2 = np.sum(dyhat, axis=0)",
                     "dh = dv4 @ W2.T", "dW2 = h.T @ dv4", "dz1 = dh * (z1 > 0)",
                     "db1 = np.sum(dz1, axis=0)", "dX = dv1 @ W1.T", "dW1 = X.T @ dv1"] {
            expectContains(code, line, "missing: \(line)")
        }
    }

    @Test func dropoutIsTheSameMultiplicationBothWays() throws {
        let code = try lines("dropout.grad")
        // keep = mask / (1 − p) reads constants only: it is folded into one constant (issue 24),
        // mask / 0.8 with p = 0.2, and the comment says what it was.
        expectContains(code, "keep = np.array([0.0, 1.25, 1.25, 1.25, 1.25])  # = mask / 0.8; constant: no gradient")
        expectContains(code, "hd = h * keep")
        expectContains(code, "dh = dhd * keep")
        // The mask and its scaling are constants: no adjoint is computed for them.
        expectTrue(!code.contains { $0.hasPrefix("dkeep") || $0.hasPrefix("dmask") || $0.hasPrefix("dp ") })
    }

    @Test func aSecondConsumerAddsWithPlusEquals() throws {
        // micrograd's c is used twice by c2 = c + c: the second term is added, not assigned.
        let code = try lines("micrograd-readme.grad")
        let i = try #require(code.firstIndex(of: "dc = dv8"))
        expectEqual(code[i + 1], "dc += dv8")
        expectEqual(code.filter { $0.hasPrefix("da = ") }.count, 1)
        expectEqual(code.filter { $0.hasPrefix("da += ") }.count, 4)  // a has five consumers
    }

    @Test func aBroadcastScalarsAdjointIsSummed() throws {
        let code = try lines("mlp-relu-softmax.grad")
        expectContains(code, "dB = np.sum(dz)")
        expectContains(code, "dW1 = np.outer(do_, h)")  // `do` is a Python keyword
        expectContains(code, "dz = dh * (z > 0)")
        expectContains(code, "do_ = p * (dp - np.sum(dp * p))")
        let c = try lines("mlp-relu-softmax.grad", .c)
        expectContains(c, "    double dB = 0.0;")
        expectContains(c, "    for (int i = 0; i < 3; i++) dB += dz[i];")
    }

    @Test func namesNeverCollideWithKeywordsHelpersOrAdjoints() throws {
        let graph = try load("input h = 2; input dh = 3; input θ = 1; i = h * dh; do = i + θ; np = do * 2; y = np + h")
        let code = code(graph, .numpy)
        for line in ["h = np.float64(2.0)", "dh = np.float64(3.0)", "x3 = np.float64(1.0)  # \"θ\" in the graph",
                     "v1 = h * dh", "dh_ += dv1 * dh", "ddh = dv1 * h"] {
            expectContains(code, line + "\n", "missing: \(line)")
        }
        // The JSON keeps the graph's own names.
        expectContains(code, "', \"gradient\": {\"h\": ' + as_json(dh_)")
        expectContains(code, "+ ', \"θ\": ' + as_json(dx3)")
    }

    @Test func anInputTheOutputDoesNotUseGetsAZeroGradient() throws {
        let graph = try load("input x = 2; input u = [1, 2]; input W = [[1, 2], [3, 4]]; y = x * 3")
        let numpy = code(graph, .numpy)
        expectContains(numpy, "du = np.zeros_like(u)  # no path to the output\n")
        expectContains(numpy, "dW = np.zeros_like(W)  # no path to the output\n")
        expectContains(code(graph, .python), "dW = [[0.0] * 2 for i in range(2)]  # no path to the output\n")
        expectContains(code(graph, .c), "    double dW[2][2] = {{0}};\n")
    }

    @Test(arguments: CodeLanguage.allCases)
    func twoLayerReluSnapshot(language: CodeLanguage) throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/two-layer-relu.grad").path, values: []).get()
        let text = Codegen.program(tape: graph.tape, outputName: graph.outputName, language: language,
                                   origin: "Graphs/two-layer-relu.grad")
        assertSnapshot(text, named: "two-layer-relu.\(language.rawValue)")
    }

    @Test func latexWritesAdjointsAsBarsAndFanOutAsPlusEquals() throws {
        let code = try lines("micrograd-readme.grad", .latex)
        expectTrue(code.first { $0.hasPrefix("\\begin{algorithmic}") } != nil)
        expectContains(code, "\\State $\\bar{c} \\gets \\bar{v}_{8}$")
        expectContains(code, "\\State $\\bar{c} \\mathrel{+}= \\bar{v}_{8}$")
        expectEqual(code.last { !$0.isEmpty }, "\\end{algorithmic}")
    }

    @Test func latexNamesAPoolsWindow() throws {
        let code = try lines("resnet-stem-pool.grad", .latex)
        let window = "_{3\\times 3,\\ \\text{stride } 2,\\ \\text{padding } 1}"
        #expect(code.contains("\\State $\\mathit{pooled} \\gets \\operatorname{maxpool}\(window)(x)$"), "\(code)")
        #expect(code.contains { $0.contains("\\operatorname{maxpool\\_back}\(window)(") }, "\(code)")
    }
}

/// `Codegen.steps`: the statements of each step, for a view beside the explorer's inspector.
@Suite("The code of each step")
struct StepCodeTests {
    @Test(arguments: CodeLanguage.allCases)
    func theStepsSpellOutTheProgramsForwardAndReverseSections(language: CodeLanguage) throws {
        let graph = try load("input a = -4; input b = 2; input u = 1; c = a + b; d = a*b + b^3; y = c*d + relu(d)")
        let tape = graph.tape
        let steps = Codegen.steps(tape: tape, outputName: graph.outputName, language: language)
        let program = code(graph, language)
        let forward = (tape.firstComputed ..< tape.count).flatMap { steps.forward[$0] }
        let reverse = stride(from: tape.output, through: tape.firstComputed, by: -1).flatMap { steps.reverse[$0] }
            + tape.differentiableLeaves.flatMap { steps.reverse[$0] }
        // Each step's lines, in tape order and then in sweep order, are the program's lines.
        let indent = language == .c ? "    " : ""
        let body = program.components(separatedBy: "\n").filter { !$0.isEmpty }.joined(separator: "\n")
        expectContains(body, forward.map { indent + $0 }.joined(separator: "\n"))
        expectContains(body, reverse.map { indent + $0 }.joined(separator: "\n"))
        expectTrue(forward.count >= tape.count - tape.firstComputed)
        expectTrue((0..<tape.firstComputed).allSatisfy { steps.forward[$0].isEmpty })
    }

    @Test func numpyStepsNameTheStatementOfEachNode() throws {
        let graph = try load("input a = -4; input b = 2; input u = 1; c = a + b; y = c*c + relu(b)")
        let steps = Codegen.steps(tape: graph.tape, outputName: graph.outputName, language: .numpy)
        let c = try #require(graph.node(named: "c")), y = graph.tape.output
        expectEqual(steps.forward[c], ["c = a + b"])
        expectEqual(steps.reverse[c], ["# c = a + b", "da = dc", "db += dc"])  // relu(b) came first
        expectEqual(steps.reverse[y].first, "dy = 1.0  # seed: ∂y/∂y = 1")
        let u = try #require(graph.node(named: "u"))
        expectEqual(steps.reverse[u], ["du = 0.0  # no path to the output"])
    }
}
