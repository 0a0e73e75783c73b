import Foundation
import Testing
import TestSupport

// stop_gradient, comparisons and clip through the commands: the explanation says where the
// gradient is cut, the picture draws that edge cut, and the example file's numbers (worked
// out by hand in Graphs/detach-and-clip.grad) come out of eval.

@Suite("Cut gradients in the commands")
struct CutCommandTests {
    @Test func theTraceSaysWhyNothingFlowsBackThroughStopGradient() async throws {
        let r = try await gradstep("trace", "-e", "input x = 3; s = stop_gradient(x*x); y = s * x", "--mode", "reverse")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "no gradient flows back to v₁ through it (∂v₂/∂v₁ = 0 by definition)")
        expectContains(r.stdout, "v̄₁: v₂ passes 0 back to v₁: the gradient is cut there")
        // x's adjoint: 1·sg(x²) = 9 from y = s·x, and 0 through the cut x² (twice, x·x).
        expectContains(r.stdout, "1·9 + 0·3 + 0·3  9")
    }

    @Test func theForwardTraceSaysTheTangentStopsAtAComparison() async throws {
        let r = try await gradstep("trace", "-e", "input x = 3; y = (x > 2) * x", "--mode", "forward")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "the tangent stops here: v̇₁ = 0 whatever its operands' tangents")
    }

    @Test func thePictureDrawsTheCutEdgeDashed() async throws {
        let out = try temporaryFolder()
        let r = try await gradstep("export", "-e", "input x = 3; s = detach(x*x); y = s * x", "--format", "dot", "--out", out.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let dot = try String(contentsOf: out.appendingPathComponent("expression.dot"), encoding: .utf8)
        // The edge x·x → detach (consumer node 2) is the one cut; x → y (consumer 3) is not.
        let edges = dot.split(separator: "\n").filter { $0.contains("->") }
        let cut = edges.filter { $0.contains("style=dashed, arrowhead=tee") }
        expectTrue(cut.count == 1 && cut[0].contains("id=\"e2_0\""), "\(edges)")
    }

    @Test func theExampleFileGivesTheHandWorkedNumbers() async throws {
        let r = try await gradstep("eval", graph("detach-and-clip.grad"), "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        // error = 0.5 + 0.9·1.6 − 1.2 = 0.74; L = ½·0.74² = 0.2738; ∂L/∂w = 0.74·(−1.5) = −1.11.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let value = try #require(json["value"] as? Double)
        let w = try #require((json["gradient"] as? [String: Any])?["w"] as? Double)
        expectTrue(abs(value - 0.2738) < 1e-12 && abs(w + 1.11) < 1e-12)
    }

    @Test func theExampleFilePassesTheGradientCheck() async throws {
        let r = try await gradstep("check", graph("detach-and-clip.grad"))
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "1 entries: 1 pass, 0 kink, 0 fail")
    }
}
