import GraphCore
import GraphLanguage
import Symbolic
import Testing
import TestSupport

@Suite("Reading tapes and printing terms")
struct ReadingAndPrintingTests {
    /// Printed text parses back (same spellings and precedence as the graph language) and,
    /// read again, prints the same: negative numbers, powers of sums, nested quotients.
    @Test(arguments: ["x^2 * -3", "(x + 1)^2 / (2 - x)", "-(x * y)", "2^(x - y)", "x - (y - 1)",
                      "max(x, y) * leaky_relu(x, 0.01)", "1 / (1 + exp(-x))", "x / (y / 3)",
                      "0.1 * x + 1e-07", "(-2)^x", "x^-2"])
    func printedTextReadsBackTheSame(text: String) throws {
        let f = try function(text)
        let printed = try f.terms.source(f.root)
        let again = try function(printed)
        try expectEqual(again.terms.source(again.root), printed, "\(text) prints as \(printed)")
        let point = ["x": 3, "y": -1.3]
        expectTrue(close(again.terms.evaluate(again.root, point), f.terms.evaluate(f.root, point), rel: 1e-14), "\(text) ↦ \(printed)")
    }

    /// A file's named intermediates are inlined, its consts become numbers, and nodes the
    /// output does not use are not read.
    @Test func filesAreReadWithIntermediatesInlined() throws {
        let graph = try GraphLoader.load(expression: "input a = 2; const c = 3; param w = 0.5; unused = w * 7; h = a * c; y = h + w*a").get()
        var f = try SymbolicFunction(tape: graph.tape)
        // Factors are kept in the order their variables were declared: a before w.
        try expectEqual(f.terms.source(f.root), "3 * a + a * w")
        let d = f.derivative(wrt: "w")
        try expectEqual(f.terms.source(d), "a")
        expectNotContains(f.terms.nodes, .constant(7), "unused = w * 7 is not read")
        expectEqual(f.terms.variables(in: f.root), ["a", "w"])
    }

    @Test func tensorOpsAreRefusedByName() throws {
        let graph = try GraphLoader.load(expression: "input x = [1, 2]; p = softmax(x); y = sum(p) * 2").get()
        #expect(throws: SymbolicError.self) { try SymbolicFunction(tape: graph.tape) }
        do {
            _ = try SymbolicFunction(tape: graph.tape)
        } catch {
            expectHasPrefix(error.description, "sum (v₂)", "\(error)")
            expectContains(error.description, "tensor op", "\(error)")
        }
    }

    @Test func tensorLeavesAreRefusedWithTheirShape() throws {
        let graph = try GraphLoader.load(expression: "input x = [1, 2]; y = sin(x)").get()
        do {
            _ = try SymbolicFunction(tape: graph.tape)
            Issue.record("a vector input was accepted")
        } catch {
            expectContains(error.description, "[2]", "\(error)")
            expectContains(error.description, "scalar expressions only", "\(error)")
        }
    }

    @Test func termsTooDeepToReadBackAreNotPrinted() throws {
        var g = TermGraph()
        var t = g.variable("x")
        for _ in 0..<(TermGraph.maximumPrintedHeight + 5) { t = g.apply(.sin, t) }
        #expect(throws: TooLargeToPrint.self) { try g.source(t) }
    }

    /// A long chain is read, differentiated and measured without recursion.
    @Test func longChainsAreDifferentiatedWithoutRecursion() throws {
        var b = TapeBuilder()
        var node = b.leaf(.input, .scalar, [0.1], name: "x")
        for _ in 0..<30_000 { node = try b.apply(.sin, node) }
        var f = try SymbolicFunction(tape: b.finish(output: node).tape)
        let d = f.derivative(wrt: "x")
        expectTrue(f.terms.dagSize(d) > 30_000 && f.terms.dagSize(d) < 4 * 30_000, "\(f.terms.dagSize(d)): one cos and one product per link")
        expectTrue(f.terms.treeSize(d) > f.terms.dagSize(d))
    }
}
