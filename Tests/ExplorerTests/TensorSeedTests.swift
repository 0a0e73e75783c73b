import Foundation
import Explorer
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 24: the explorer's `:seed` takes a tensor of the output's shape, as `eval` and
/// `trace` do: y = w ⊙ w at w = [1, 2, 3] seeded with v = [0, 1, 0] ends the reverse sweep
/// with w̄ = vᵀ·diag(2w) = [0, 4, 0].
@Suite struct TensorSeedTests {
    @Test func seedTakesATensorOfTheOutputsShape() async throws {
        var s = ExplorerState(graph: try GraphLoader.load(expression: "input w = [1, 2, 3]; y = w*w").get(), size: (120, 40))
        s.press("r")
        await s.command("seed [0, 1, 0]")
        expectEqual(s.message?.text, "output seed v̄₁ = [0, 1, 0]", "\(s.message?.text ?? "")")
        expectEqual(s.outputSeedTensor, [0, 1, 0])
        s.press("G")
        let w = try #require(s.graph.node(named: "w"))
        expectEqual(Array(s.stepper.explanation.slice(s.stepper.explanation.adjoints, w)), [0, 4, 0])
        expectContains(s.screen, "seed ȳ = [0, 1, 0]", "\(s.screen)")
        // A tensor of another shape is refused; a number seeds every element again.
        await s.command("seed [1, 2]")
        expectTrue(s.message?.kind == .error && s.message!.text.contains("a tensor of the output's 3 elements"))
        await s.command("seed 2")
        expectTrue(s.outputSeedTensor == nil && s.outputSeed == 2)
        expectEqual(Array(s.stepper.explanation.slice(s.stepper.explanation.adjoints, w)), [4, 8, 12])
    }
}
