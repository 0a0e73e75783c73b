import Foundation
@testable import GraphLanguage
import Testing
import TestSupport

/// The lowering drops each statement's syntax tree once its nodes are built (issue 23: the
/// trees are most of what loading a large file holds), and keeps the trees it still needs.
@Suite("Lowering frees syntax trees")
struct SyntaxTreeReleaseTests {
    private func lowered(_ text: String) -> Lowering {
        let file = SourceFile(name: "t", text: text)
        let (program, _, names) = Parser.parseResolvingNames(file)
        var lowering = Lowering(file: file, program: program, names: names, mode: .file, overrides: [:])
        lowering.run()
        return lowering
    }

    @Test func eachLoweredAssignmentDropsItsTree() throws {
        // In any order: `b` is written before the `a` it uses.
        var lowering = lowered("input x = 0.5\nb = a * x\na = sin(x)\ny = b + a\n")
        expectTrue(!lowering.collector.containsErrors)
        // The declaration keeps its literal (leaves are not lowered statement by statement);
        // the three assignments keep nothing.
        expectEqual(lowering.statements.map { $0.expression == nil }, [false, true, true, true])
        expectEqual(lowering.releasedTrees, 3)
        // The graph is whole: y = sin(x)·x + sin(x) at x = 0.5, by hand.
        let finished = lowering.finish(graphName: "t")
        let graph = try #require(finished)
        let values = graph.tape.evaluate()
        let y = values[Int(graph.tape.entries[graph.tape.output].offset)]
        expectTrue(abs(y - (sin(0.5) * 0.5 + sin(0.5))) < 1e-15)
        expectEqual(graph.symbols.keys.sorted(), ["a", "b", "x", "y"])
    }

    @Test func statementsOnACycleKeepTheirTreesForTheMessage() {
        let lowering = lowered("input x = 1\na = b + x\nb = a * 2\nc = sin(x)\n")
        // `c` was lowered and dropped its tree; `a` and `b`, never lowered, keep theirs.
        expectEqual(lowering.statements.map { $0.expression == nil }, [false, false, false, true])
        expectEqual(lowering.diagnostics.map(\.message), ["cycle: a → b → a"])
    }
}
