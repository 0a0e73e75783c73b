import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The embedding exercise in the explorer: stepping the reverse sweep to the table C, the
/// inspector says which rows of C received which rows of E's adjoint (row 1 twice), and the
/// neuron view draws the lookup's copies.
@Suite("Gathers in the explorer")
struct GatherExplorerTests {
    static func embedding() -> Graph {
        let path = repositoryRoot.appendingPathComponent("Graphs/embedding-cross-entropy.grad").path
        return try! GraphLoader.load(path: path).get()
    }

    @Test func theInspectorSaysWhichRowsReceivedWhat() {
        let g = Self.embedding()
        var s = ExplorerState(graph: g, size: (120, 40))
        let c = g.node(named: "C")!
        s.press("r")
        while s.stepper.current != c && s.stepper.position < s.stepper.count { s.press("n") }
        expectEqual(s.stepper.current, c)
        expectContains(s.screen, "scatter-added into the rows X", "the VJP's formula: \(s.screen)")
        s.press("tab", "tab")
        expectEqual(s.focus, .inspector)
        var seen = false
        for _ in 0..<80 where !seen {
            s.press("down")
            seen = s.screen.contains("1 ← rows 0 and 2 of v̄₁") && s.screen.contains("(copied 2 times:")
        }
        expectTrue(seen, "row 1 of C receives rows 0 and 2 of Ē, summed: \(s.screen)")
    }

    @Test func theNeuronViewOpensOnTheLookup() {
        var s = ExplorerState(graph: Self.embedding(), size: (120, 40))
        s.press("N")
        expectContains(s.screen, "C[1,0]", "one node per element of C: \(s.screen)")
    }

    @Test func theNeuronViewExpandsTheLookup() throws {
        let g = Self.embedding()
        let neurons = try g.tape.scalarExpansion()
        let values = neurons.tape.evaluate(), adjoints = neurons.tape.adjoints(values: values)
        let tensorValues = g.tape.evaluate(), tensorAdjoints = g.tape.adjoints(values: tensorValues)
        // The loss and the table's gradient agree with the tensor tape's, element by element.
        let out = neurons.tape.entries[neurons.tape.output], c = g.tape.entries[g.node(named: "C")!]
        expectTrue(Swift.abs(values[Int(out.offset)] - tensorValues[Int(g.tape.entries[g.tape.output].offset)]) < 1e-15)
        for k in 0..<c.count {
            let node = neurons.elementNodes[g.node(named: "C")!][k]
            let scalar = adjoints[Int(neurons.tape.entries[node].offset)]
            expectTrue(Swift.abs(scalar - tensorAdjoints[Int(c.offset) + k]) < 1e-15)
        }
    }
}
