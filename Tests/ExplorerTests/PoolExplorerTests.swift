import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// ResNet's stem pool in the explorer: the step and the inspector name the window as the
/// call wrote it, and the reverse sweep shows the pixel that four windows' adjoints reach.
@Suite("Padded pools in the explorer")
struct PoolExplorerTests {
    @Test func theStepNamesTheWindowAndTheOverlapGetsFourAdjoints() throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/resnet-stem-pool.grad").path
        let g = try GraphLoader.load(path: path).get()
        var s = ExplorerState(graph: g, size: (160, 48))
        let pooled = try #require(g.node(named: "pooled")), x = try #require(g.node(named: "x"))
        s.press("r")
        while s.stepper.current != pooled && s.stepper.position < s.stepper.count { s.press("n") }
        #expect(s.stepper.current == pooled)
        #expect(s.screen.contains("maxpool2d(v₀, kernel=3, stride=2, padding=1)"), "\(s.screen)")
        while s.stepper.current != x && s.stepper.position < s.stepper.count { s.press("n") }
        #expect(s.stepper.current == x)
        // The step's sentence: the 9 at [0, 1, 1] is the maximum of four windows (as
        // PoolWindowCommandTests counts them), the 5 at [0, 3, 3] of two.
        #expect(s.screen.contains("[[[0, 0, 0, 0, 1], [0, 4, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 2, 0], [1, 0, 0, 0, 1]]]"), "\(s.screen)")
    }
}
