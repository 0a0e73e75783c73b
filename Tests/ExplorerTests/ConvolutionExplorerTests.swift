import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// A rank-3/4 value in the explorer: the inspector shows its 2-D slices, each under its index
/// (`[c,:,:]`, `[n,c,:,:]`); a padded pool's step names its window.
@Suite("Images with channels in the explorer")
struct ConvolutionExplorerTests {
    /// The explorer on `Graphs/FILE`, in the reverse sweep's first step.
    static func reverseSweep(_ file: String, size: (Int, Int)) throws -> (Graph, ExplorerState) {
        let g = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
        var s = ExplorerState(graph: g, size: size)
        s.press("r")
        return (g, s)
    }

    @Test func theInspectorShowsRankFourGradientsAsLabelledSlices() throws {
        var (_, s) = try Self.reverseSweep("conv-relu-pool.grad", size: (160, 60))
        while s.stepper.position < s.stepper.count { s.press("n") }
        let text = s.screen
        // The last step is x's, (3, 4, 4): its value and its adjoint as three 4 × 4 slices.
        expectContains(text, "= [3×4×4]")
        expectContains(text, "[ 0.29284   0.22171   0.14351   0.54797]", "∂y/∂x[0,0,:] as an aligned row")
        for label in ["[0,:,:]", "[1,:,:]", "[2,:,:]"] {
            expectContains(text, label, "\(label) in\n\(text)")
        }
    }

    /// ResNet's stem pool: the step names the window as the call wrote it, and x's step shows
    /// the pixel that four windows' adjoints reach.
    @Test func aPaddedPoolsStepNamesItsWindow() throws {
        var (g, s) = try Self.reverseSweep("resnet-stem-pool.grad", size: (160, 48))
        let pooled = try #require(g.node(named: "pooled")), x = try #require(g.node(named: "x"))
        while s.stepper.current != pooled && s.stepper.position < s.stepper.count { s.press("n") }
        #expect(s.stepper.current == pooled)
        #expect(s.screen.contains("maxpool2d(v₀, kernel=3, stride=2, padding=1)"), "\(s.screen)")
        while s.stepper.current != x && s.stepper.position < s.stepper.count { s.press("n") }
        #expect(s.stepper.current == x)
        // The 9 at [0, 1, 1] is the maximum of four windows (as PoolWindowCommandTests counts
        // them), the 5 at [0, 3, 3] of two.
        #expect(s.screen.contains("[[[0, 0, 0, 0, 1], [0, 4, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 2, 0], [1, 0, 0, 0, 1]]]"), "\(s.screen)")
    }
}
