import Explorer
import GraphLanguage
import Testing
import TestSupport

/// Issue 24: in the neuron view, a tensor folded back into one box (`x` expands the selected
/// node alone) showed its last element as if it were the tensor: `▸ x 2` for x = [1, −1, 2].
@Suite("Folded tensors in the neuron view")
struct FoldedTensorBoxTests {
    @Test func aFoldedInputShowsTheWholeTensor() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (140, 80))
        s.enter("/h")
        s.press("x")
        expectContains(s.screen, "neurons of h", "\(s.screen)")
        s.enter("/x")
        expectContains(s.screen, "[1, −1, 2]", "\(s.screen)")
    }

    /// After the backward pass the folded x carries ∂L/∂x, the column sums of W = [5, 7, 9]
    /// (L = Σ W x), every element's adjoint, not x[2]'s 9 alone; read where the box is wide
    /// enough (the inspector of the folded box's node lists the same numbers per element).
    @Test func aFoldedInputShowsEveryElementsAdjoint() {
        var s = ExplorerState(graph: matrixVectorGraph(), size: (200, 80))
        s.enter("/h")
        s.press("x", "r", "G")
        s.enter("/x")
        let screen = s.screen
        expectTrue(screen.contains("v̄ [5, 7, 9]") || screen.contains("v̄ [3]"), "\(screen)")
        expectTrue(!screen.split(separator: "\n").contains { $0.contains("│v̄ 9 ") || $0.contains("│v̄ 9│") }, "\(screen)")
    }
}

/// Issue 24: a node with no path to the output (p[1] of Graphs/mlp-relu-softmax.grad's neuron
/// view, whose label weight is 0) kept `v̄ …` to the end of the sweep; its adjoint is 0.
@Suite("Nodes the reverse sweep skips")
struct DeadNodeAdjointTests {
    @Test func aNodeWithNoPathToTheOutputShowsAdjointZero() throws {
        guard case .success(let graph) = GraphLoader.load(expression: "input x = 1; b = cos(x) * 3; a = sin(x); output a", values: []) else {
            Issue.record("the graph did not load"); return
        }
        var s = ExplorerState(graph: graph, size: (120, 40))
        s.press("r", "G")
        s.enter("/b")
        let box = s.screen.split(separator: "\n").filter { $0.contains("│v̄ ") }
        expectTrue(box.contains { $0.contains("│v̄ 0 ") }, "\(s.screen)")
        expectTrue(!box.contains { $0.contains("│v̄ …") }, "\(s.screen)")
    }
}
