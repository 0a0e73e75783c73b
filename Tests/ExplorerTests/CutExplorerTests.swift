import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// stop_gradient in the explorer: stepping the reverse sweep to the stopped node, the
/// inspector says in words why nothing flows back through it, beside its numbers (v̄₂·0).
@Suite("Cut gradients in the explorer")
struct CutExplorerTests {
    @Test func theInspectorSaysWhyNothingFlowsBackThroughStopGradient() throws {
        let g = try GraphLoader.load(expression: "input x = 3; s = stop_gradient(x*x); y = s * x").get()
        var s = ExplorerState(graph: g, size: (120, 40))
        s.press("r")
        // The step after s's: the x·x node (v₁), whose adjoint s cuts.
        let cut = 1
        while s.stepper.current != cut && s.stepper.position < s.stepper.count { s.press("n") }
        expectEqual(s.stepper.current, cut)
        expectContains(s.screen, "3·0", "the cut term in numbers: v̄₂ = 3 times ∂v₂/∂v₁ = 0")
        s.press("tab", "tab")
        var seen = false
        for _ in 0..<40 where !seen {
            // The inspector wraps the sentence after "cut".
            seen = s.screen.contains("v₂ passes 0 back to v₁: the gradient is cut")
            s.press("down")
        }
        expectTrue(seen, "the cut in words")
    }
}
