import Codegen
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 20's hostile inputs to `codegen`: graphs that trapped a writer, names that collide
/// with a language's keywords, built-ins or the programs' own helpers, and a file name that
/// would inject code into the program's first comment.
@Suite("Codegen under hostile input")
struct HostileCodegenTests {
    /// Each program's NumPy, Python and C versions print what the engine computes.
    func expectAllLanguagesRun(_ program: String, _ values: [(name: String, text: String)] = [],
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let graph = try GraphLoader.load(expression: program, values: values).get()
        let expected = engineJSON(graph)
        for language in [CodeLanguage.numpy, .python, .c] {
            let printed = try await #require(try execute(code(graph, language), language, sourceLocation: sourceLocation),
                                             sourceLocation: sourceLocation)
            expectSameJSON(printed, expected, "\(program) in \(language)", sourceLocation: sourceLocation)
        }
        #expect(code(graph, .latex).contains("\\end{algorithmic}"), sourceLocation: sourceLocation)
    }

    /// `sum([[2]] @ x)` trapped the Python and C writers (rc 132): a one-element constant
    /// matrix was written inline as a number, losing its form.
    @Test func aOneElementConstantMatrixKeepsItsForm() async throws {
        try await expectAllLanguagesRun("y = sum([[2]] @ x)", [("x", "[[1, 2, 3]]")])
        try await expectAllLanguagesRun("y = sum(sum(x) * [5]) + sum([[0.5]] @ [[1, 2]])", [("x", "[1, 2]")])
    }

    /// Subscripts of rank 3 and 4 (products with 0/1 matrices, some 1 × 1, after a reshape).
    @Test func subscriptsOfRank3And4() async throws {
        let x4 = "[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]]"
        try await expectAllLanguagesRun("y = sum(x[0, 1] * x[1, 0]) + sum(x[:, 1]) + sum(x[:, :, 1:])", [("x", x4)])
        try await expectAllLanguagesRun("y = sum(t[1] @ t[0]) + sum(t[0, 1])", [("t", "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")])
    }

    /// `sum` and `softmax` of a scalar: Python's `sum` of a float and the helper's `x[0]`
    /// were errors.
    @Test func sumAndSoftmaxOfAScalar() async throws {
        try await expectAllLanguagesRun("y = sum(softmax(x)) * sum(x) + mean(x) + sum(log_softmax(x))", [("x", "0.5")])
    }

    /// Node names that are Python keywords or built-ins, C keywords or macros, or the
    /// programs' helpers: each is renamed (`x1`, with a comment naming it) and every program runs.
    @Test func namesThatCollideAreMangled() async throws {
        let names = ["conv", "flat", "shaped", "sum", "softmax", "_Bool", "EOF", "int", "lambda", "np", "math",
                     "print_nested", "reshape", "NAN", "stdout", "type", "__x", "_Complex", "bias_add", "len"]
        var program = names.enumerated().map { "input \($0.element) = [\($0.offset + 1), 0.5]" }
        program.append("y = " + names.map { "sum(softmax(\($0)) * \($0))" }.joined(separator: " + "))
        try await expectAllLanguagesRun(program.joined(separator: "\n"))
        let graph = try GraphLoader.load(expression: program.joined(separator: "\n"), values: []).get()
        let python = code(graph, .python), c = code(graph, .c)
        for (k, name) in names.enumerated() {
            expectContains(python, "x\(k + 1) = [\(k + 1).0, 0.5]  # \"\(name)\" in the graph")
            expectContains(c, "double x\(k + 1)[2] = {\(k + 1).0, 0.5};  /* \"\(name)\" in the graph */")
        }
    }

    /// A scalar node named as a helper or built-in, used where Python calls that helper.
    @Test func scalarNamesThatShadowHelpers() async throws {
        try await expectAllLanguagesRun("input sum = 2\ninput softmax = 0.5\ny = sum(softmax(sum)) * sum + softmax ^ 2")
        // `conv` and `flat` were globals that replaced the Python programs' helpers.
        try await expectAllLanguagesRun("input conv = [[[1, 2], [3, 4]]]\ninput flat = [[[[1, 0], [0, -1]]]]\ny = sum(conv2d(conv, flat))")
    }

    /// A graph file whose name holds line breaks, Python, C and LaTeX: the name reaches the
    /// programs' first comment escaped (`\u{A}`), so running or typesetting them runs none of it.
    @Test func aFileNameCannotInjectCode() async throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = "g\nimport os; os.system('touch PWNED')\r int pwned = system(\"touch PWNED\");"
            + "\u{2028}\\input{secret}\\immediate\\write18{touch PWNED}\n#.grad"
        let file = folder.appendingPathComponent(name)
        try "input x = 2\ny = x * x\n".write(to: file, atomically: true, encoding: .utf8)
        for language in CodeLanguage.allCases {
            let r = try await gradstep("codegen", "--lang", language.rawValue, file.path)
            expectEqual(r.status, 0, "\(r.stderr)")
            // The whole name sits on the first line, inside the comment.
            let first = try #require(r.stdout.split(separator: "\n").first)
            expectContains(first, "g\\u{A}import os; os.system('touch PWNED')\\u{D}", "\(language): \(first)")
            expectContains(first, "\\u{2028}\\input{secret}", "\(language): \(first)")
            let rest = r.stdout.split(separator: "\n").dropFirst()
            expectTrue(!rest.contains { $0.contains("PWNED") || $0.contains("secret") }, "\(language):\n\(r.stdout)")
            if language != .latex {
                let printed = try await execute(r.stdout, language)
                expectEqual(printed, "{\"output\": \"y\", \"value\": 4, \"gradient\": {\"x\": 4}}\n")
            }
        }
        expectTrue(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("PWNED").path))
    }

    /// A reduction of a vector with `keepdim=true` is a one-element vector gathered back to
    /// the vector's length: plain Python's `shaped(…, [])` gave a list where the scalar's
    /// adjoint is a number, and the program stopped on `list / float`.
    @Test func keepdimOfAVector() async throws {
        try await expectAllLanguagesRun("y = sum(x - mean(x, axis=0, keepdim=true)) + sum(x * max(x, axis=0, keepdim=true))",
                                        [("x", "[0.5, -0.3, 1.5]")])
    }

    /// A comparison is 0/1 numbers; written `np.where(c, 1, 0)` it was an int array, and the
    /// zero adjoint of a node with no path to the output made like it (`np.zeros_like`)
    /// stopped the NumPy program at its first float `+=`.
    @Test func aComparisonsAdjointTakesFloats() async throws {
        try await expectAllLanguagesRun("t = flatten(W)\nc = clip(t, -0.5, 1)\ny = sum(W * (W > 0.5)) + sum(x)",
                                        [("W", "[[-0.3, -1.25], [2, 0.75]]"), ("x", "[1, 2]")])
        let graph = try GraphLoader.load(expression: "y = sum(W * (W > 0.5))", values: [("W", "[[-0.3, 2]]")]).get()
        expectContains(code(graph, .numpy), "np.where(W > 0.5, 1.0, 0.0)")
    }

    /// ψ and ψ′ as the engine has them: NaN and +∞ at the poles, the reflection left of 0 (a
    /// recurrence from −1e300 never ended, in every language), and ψ′ at x = 10, where the
    /// series had stopped a term early (7·10⁻¹² relative off).
    @Test func digammaAndTrigammaEverywhere() async throws {
        try await expectAllLanguagesRun("y = sum(digamma(x))", [("x", "[0, -2, -1e300, -2.5, -9.5, 0.3, 1e300]")])
        try await expectAllLanguagesRun("y = digamma(x) - 2.25", [("x", "10")])
        // lgamma's poles: +∞ in NumPy as in C (math.lgamma raises; plain Python stops, as documented).
        let graph = try GraphLoader.load(expression: "y = sum(lgamma(x))", values: [("x", "[0, -2, 1e308, 7]")]).get()
        for language in [CodeLanguage.numpy, .c] {
            let printed = try await #require(try execute(code(graph, language), language))
            expectSameJSON(printed, engineJSON(graph), "lgamma at its poles in \(language)")
        }
    }

    /// A seed of rank 4 in LaTeX is nested to its extents: its 2-D form showed a (2, 1, 2, 2)
    /// seed as a 4 × 2 matrix. A matrix seed keeps its bmatrix.
    @Test func aRank4SeedInLatexKeepsItsExtents() throws {
        let graph = try GraphLoader.load(expression: "y = x * x", values: [("x", "[[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]]]")]).get()
        let latex = Codegen.program(tape: graph.tape, outputName: "y", language: .latex, origin: "t", seed: [1, 0, 0, 2, 3, 0, 0, 4])
        expectContains(latex, "\\State $\\bar{y} \\gets [[[[1, 0], [0, 2]]], [[[3, 0], [0, 4]]]]$ \\Comment{seed: a vector-Jacobian product}", "\(latex)")
        let matrix = try GraphLoader.load(expression: "y = x * x", values: [("x", "[[1, 2], [3, 4]]")]).get()
        let text = Codegen.program(tape: matrix.tape, outputName: "y", language: .latex, origin: "t", seed: [1, 0, 0, 2])
        expectContains(text, "\\gets \\begin{bmatrix}1 & 0 \\\\ 0 & 2\\end{bmatrix}$", "\(text)")
    }

    /// `*/` in the origin would end the C program's first comment.
    @Test func theOriginCannotCloseACComment() throws {
        let graph = try GraphLoader.load(expression: "y = x * x", values: [("x", "2")]).get()
        let c = Codegen.program(tape: graph.tape, outputName: "y", language: .c, origin: "a */ int pwned; /* b")
        expectHasPrefix(c, "/* The forward pass and the reverse sweep of a * / int pwned; /* b, written out by\n")
    }
}
