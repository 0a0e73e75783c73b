import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// A rank-3/4 value in the explorer: the inspector shows its 2-D slices, each under its index
/// (`[c,:,:]`, `[n,c,:,:]`).
@Suite("Images with channels in the explorer")
struct ConvolutionExplorerTests {
    @Test func theInspectorShowsRankFourGradientsAsLabelledSlices() throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/conv-relu-pool.grad").path
        let g = try GraphLoader.load(path: path).get()
        var s = ExplorerState(graph: g, size: (160, 60))
        s.press("r")
        while s.stepper.position < s.stepper.count { s.press("n") }
        let text = s.screen
        // The last step is x's, (3, 4, 4): its value and its adjoint as three 4 × 4 slices.
        expectContains(text, "= [3×4×4]")
        expectContains(text, "[ 0.29284   0.22171   0.14351   0.54797]", "∂y/∂x[0,0,:] as an aligned row")
        for label in ["[0,:,:]", "[1,:,:]", "[2,:,:]"] {
            expectContains(text, label, "\(label) in\n\(text)")
        }
    }
}
