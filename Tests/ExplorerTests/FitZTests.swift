import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Issue 24: `z` fits the neuron view and the convolution graphs into the graph pane, where
/// the layouts it tried overflowed the pane's width and it showed the empty corner of a long
/// chain of layers.
@Suite("Issue 24: z fits wide and long graphs")
struct FitZTests {
    static func pane(_ s: ExplorerState, _ width: Int, _ height: Int) -> String {
        let view = ScreenLayout(width: width, height: height).graph.inset(by: 1)
        return s.render().lines()[view.y..<view.maxY].joined(separator: "\n")
    }

    /// VGG's 30 layers in a chain are too long for any pane: `z` lays them top to bottom in
    /// the pane's width and shows where the sweep starts, not an empty corner.
    @Test(arguments: [(80, 24), (120, 40)] as [(Int, Int)])
    func aLongConvolutionChainFitsTheWidthAndShowsItsStart(width: Int, height: Int) throws {
        var s = ExplorerState(graph: try graphFile("vgg11-shapes.grad"), size: (width, height))
        s.press("z")
        let view = ScreenLayout(width: width, height: height).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width, "\(s.layout.width) in \(view.width)")
        let pane = Self.pane(s, width, height)
        expectTrue(pane.contains("[x]") && pane.contains("[conv2d]"), "\(pane)")
        expectEqual(s.message?.text, "z: no layout of these \(s.tape.count) nodes fits the \(view.width)×\(view.height) pane; this one is \(s.layout.width)×\(s.layout.height) (arrow keys pan)")
    }

    /// The neuron view of the MLP (53 scalar nodes) fits the pane's width from 160 columns on,
    /// its one-line labels cut where they must be; every layer's neurons are on screen.
    @Test func theNeuronViewFitsTheWidth() async throws {
        var s = ExplorerState(graph: try graphFile("mlp-relu-softmax.grad"), size: (160, 50))
        await s.command("granularity scalar")
        s.press("z")
        let view = ScreenLayout(width: 160, height: 50).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width, "\(s.layout.width) in \(view.width)")
        var seen = Self.pane(s, 160, 50)
        for _ in 0..<30 { s.press("down"); seen += Self.pane(s, 160, 50) }
        for name in ["[x[0]]", "[z[0]]", "[z[2]]", "[h[1]]"] { expectContains(seen, name, "\(name)") }
        expectEqual(s.pan.x, 0, "nothing to pan sideways")
    }

    /// A graph that fits still fits as before, and says nothing.
    @Test func aGraphThatFitsSaysNothing() throws {
        var s = ExplorerState(graph: try graphFile("conv-relu-pool.grad"), size: (120, 40))
        s.press("z")
        let view = ScreenLayout(width: 120, height: 40).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width && s.layout.height <= view.height)
        expectTrue(s.message == nil)
        expectContains(Self.pane(s, 120, 40), "v₁ conv2d")
    }
}
