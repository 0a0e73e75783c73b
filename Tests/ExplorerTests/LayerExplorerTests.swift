import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Exercise 12 in the explorer: the batch-norm node is one box, and the inspector at h's
/// adjoint says the batch-norm VJP with its numbers and, in words, its three paths.
@Suite("Layers in the explorer")
struct LayerExplorerTests {
    static func batchnorm() -> Graph {
        let path = repositoryRoot.appendingPathComponent("Graphs/batchnorm-backward.grad").path
        return try! GraphLoader.load(path: path).get()
    }

    @Test func theInspectorSaysBatchNormsVJPInNumbersAndWords() {
        let g = Self.batchnorm()
        var s = ExplorerState(graph: g, size: (120, 40))
        let h = g.node(named: "h")!
        s.press("r")
        while s.stepper.current != h && s.stepper.position < s.stepper.count { s.press("n") }
        expectEqual(s.stepper.current, h)
        let screen = s.screen
        expectContains(screen, "BN ĥ", "the batch-norm node's box")
        expectContains(screen, "(4·[", "N = 4 in the VJP's numbers")
        assertSnapshot(screen, named: "batchnorm-reverse-h-120x40")
        // The words come after the numbers: scroll the inspector down to them.
        s.press("tab", "tab")
        expectEqual(s.focus, .inspector)
        var seen = false
        for _ in 0..<60 where !seen {
            s.press("down")
            seen = s.screen.contains("the adjoint reaches v₂ three") && s.screen.contains("through the variance")
        }
        expectTrue(seen, "batch norm's three paths in words")
    }
}
