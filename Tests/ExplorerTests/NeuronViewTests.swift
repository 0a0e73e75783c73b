import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// `h = W @ x` with W [2×3] and x [3], L = Σ h: 9 leaves, 6 products, 2 partial sums,
/// h[0] and h[1], and L.
func matrixVectorGraph() -> Graph {
    let text = """
        param W = [[1, 2, 3], [4, 5, 6]]
        input x = [1, -1, 2]
        h = W @ x
        L = sum(h)
        output L
        """
    return try! GraphLoader.load(SourceFile(name: "neurons.grad", text: text), graphName: "neurons", mode: .file).get()
}

@Suite("The neuron-level view in the explorer")
struct NeuronViewTests {
    @Test func keyExpandsTheWholeGraphToNeuronsAndBack() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        expectTrue(s.granularity == .tensor && s.tape.count == 4)
        s.press("N")
        expectEqual(s.granularity, .scalar)
        expectEqual(s.tape.count, 20)
        expectTrue(s.tape.entries.allSatisfy { $0.shape.isScalar })
        expectContains(s.screen, "neuron view: 20 scalar nodes for 4 tensor nodes")
        s.press("N")
        expectTrue(s.granularity == .tensor && s.tape.count == 4)
        expectContains(s.screen, "tensor view: 4 nodes")
    }

    /// Stepping, the inspector and the trace work in the expanded view: the backward pass ends
    /// with ∂L/∂W[1,2] = x[2] = 2, ∂L/∂x[0] = W[0,0] + W[1,0] = 5.
    @Test func reverseModeStepsThroughTheNeurons() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (140, 45))
        s.press("N", "r", "G")
        expectEqual(s.stepper.position, s.stepper.count)
        s.enter("/W[1,2]")
        expectEqual(s.tape.names[s.inspected ?? 0], "W[1,2]")
        expectContains(s.screen, "∂L/∂W[1,2] = 2")
        s.enter("/x[0]")
        expectContains(s.screen, "∂L/∂x[0] = 5")
    }

    /// The inspector says where a scalar node sits in the tensor view.
    @Test func inspectorNamesTheTensorElement() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (140, 45))
        s.press("N")
        s.enter("/h[1]")
        expectContains(s.screen, "tensor view: h[1], element of h (matmul, [2])")
        s.enter("/W[1,2]·x[2]")
        expectContains(s.screen, "tensor view: a step of h[1] (matmul, [2])")
        s.enter("/W[0,1]")
        expectContains(s.screen, "tensor view: W[0,1], element of W (param, [2×3])")
        s.press("N")
        expectNotContains(s.screen, "element of W")
    }

    /// A finished sweep stays finished across the switch, so the gradients can be compared.
    @Test func finishedSweepStaysFinished() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        s.press("r", "G", "N")
        expectTrue(s.phase == .reverse && s.stepper.position == s.stepper.count && s.stepper.count > 4)
        s.press("g", "n", "N")
        expectEqual(s.stepper.position, 0)
    }

    @Test func selectionGoesAlongBothWays() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        s.enter("/h")
        let h = s.inspected
        s.press("N")
        expectEqual(s.inspected.map { s.tape.names[$0] }, "h[0]")
        s.enter("/W[1,2]·x[2]")
        expectEqual(s.inspected.map { s.tape.names[$0] }, "W[1,2]·x[2]")
        s.press("N")
        expectEqual(s.inspected, h)
    }

    @Test func commandSwitchesGranularityAndRefusesOtherWords() async {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        await s.command("granularity scalar")
        expectEqual(s.granularity, .scalar)
        await s.command("granularity scalar")
        expectContains(s.screen, "already in the scalar view")
        await s.command("granularity neurons")
        expectContains(s.screen, ":granularity takes scalar or tensor")
        await s.command("granularity tensor")
        expectEqual(s.granularity, .tensor)
    }

    /// A value edited in the neuron view is the tensor leaf's element when the view collapses.
    @Test func editedValuesGoBackToTheTensorGraph() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        s.press("N")
        s.enter("/x[1]")
        s.press("e")
        s.reduce(.input(.key(.ctrl("u"))))
        s.enter("3")
        s.press("N")
        let x = try! #require(s.graph.node(named: "x"))
        expectEqual(Array(s.evaluation.value(x)), [1, 3, 2])
        // h = [1 + 6 + 6, 4 + 15 + 12]
        expectEqual(Array(s.evaluation.value(s.tape.output)), [44])
    }

    @Test func tooBigAGraphStaysInTheTensorViewWithAnError() {
        let text = "param W = randn([300, 300], 1)\ninput x = ones([300])\nL = sum(W @ x)\noutput L\n"
        let graph = try! GraphLoader.load(SourceFile(name: "big.grad", text: text), graphName: "big", mode: .file).get()
        var s = ExplorerState(graph: graph, size: (120, 40))
        s.press("N")
        expectEqual(s.granularity, .tensor)
        expectEqual(s.message?.kind, .error)
        expectEqual(s.message?.text.contains("more than 50,000 nodes"), true)
    }

    /// The README's numbers: exercise B01's network is 12 tensor nodes and 137 scalar ones, X @ W1
    /// ([2×3] @ [3×4]) 24 products and 16 additions.
    @Test func twoLayerNetworkInNeurons() throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/two-layer-relu.grad").path).get()
        var s = ExplorerState(graph: graph, size: (120, 40))
        s.press("N")
        expectEqual(s.message?.text, "neuron view: 137 scalar nodes for 12 tensor nodes (N: back to tensors)")
        let view = try #require(s.neurons)
        let matmul = try #require(graph.tape.entries.indices.first { graph.tape[$0].op == .matmul })
        let own = view.expansion.scalarNodes(of: matmul)
        expectEqual(own.filter { s.tape[$0].op == .mul }.count, 24)
        expectEqual(own.filter { s.tape[$0].op == .add }.count, 16)
        expectEqual(s.tape.differentiableLeaves.count, 32)
    }

    @Test func helpListsTheKey() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 80))
        s.press("?")
        expectContains(s.screen, "N             neuron view (one node per element and multiply-add) / tensor view")
    }

    @Test func screenOfTheNeuronView() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (120, 40))
        s.press("N", "r", "n", "n", "n")
        assertSnapshot(s.screen, named: "neurons-reverse-120x40")
    }
}

/// `x` expands one tensor node into its neurons and leaves the others folded as tensor boxes.
@Suite("Expanding one node into its neurons")
struct NeuronsOfOneNodeTests {
    /// h's neurons (6 products, 2 partial sums, h[0], h[1]) open; W, x and L stay one box each.
    @Test func xOpensTheSelectedNodeOnly() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (140, 45))
        s.enter("/h")
        s.press("x")
        expectEqual(s.granularity, .scalar)
        expectContains(s.screen, "neurons of h: 10 scalar nodes, the rest folded as tensors")
        let h = s.tape.names.firstIndex(of: "h[0]")!
        let w = s.tape.names.firstIndex(of: "W[1,2]")!
        expectTrue(s.foldedGroup(of: h) == nil)
        expectEqual(s.foldedGroup(of: w)?.name, "W")
        expectEqual(s.folding.groups.map(\.name).sorted(), ["W", "h", "x"])
        // In the neuron view, x on a node folds its neurons back into one box.
        s.enter("/h[1]")
        s.press("x")
        expectEqual(s.foldedGroup(of: h)?.name, "h")
        expectContains(s.screen, "folded h into one box")
    }

    /// N opens every node's neurons, and the numbers are those of the tensor view.
    @Test func wholeGraphIsOpenAndGradientsAgree() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (140, 45))
        s.press("N")
        expectTrue(s.folding.isFlat)
        s.press("*")
        expectTrue(!s.folding.isFlat)
        expectContains(s.screen, "folded all 3 groups")
        s.press("r", "G")
        s.enter("/x[0]")
        expectContains(s.screen, "∂L/∂x[0] = 5")
    }
}

/// `x` on a node that is one scalar in both views (any node of Baydin's scalar graph) keeps
/// the tensor view and says there is nothing to expand.
@Test func xOnASingleNeuronStaysInTheTensorView() {
    var s = ExplorerState(graph: try! GraphLoader.load(expression: "x1 * x2 + sin(x2)", values: [("x1", "2"), ("x2", "5")]).get(),
                          size: (120, 40))
    s.enter("/x1")
    s.press("x")
    expectEqual(s.granularity, .tensor)
    expectContains(s.screen, "x1 is a single neuron already: nothing to expand")
}
