import Foundation
import Explorer
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Issue 18: `:checkpoint K` in the explorer shows the counts of `trace --checkpoint K` in the
/// status line and, while stepping, the values each segment recomputes before its first step.
@Suite struct CheckpointExplorerTests {
    /// x, then v = sin(v) twelve times (v₁ … v₁₂): with K = 4, v₄, v₈, v₁₂ are kept, at most 6
    /// values held (v₄, v₈, v₁₂ and v₉ … v₁₁), 12 + 9 = 21 evaluations (counted by hand).
    static func chain() throws -> ExplorerState {
        let source = "input x = 0.7; v = x; for t in 0..<12 { v = sin(v) }; output v"
        return ExplorerState(graph: try GraphLoader.load(expression: source).get(), size: (160, 40))
    }

    @Test func theStatusLineCarriesTheCountsAndWhatEachStepRecomputes() async throws {
        var s = try Self.chain()
        s.press("r")
        await s.command("checkpoint 4")
        expectEqual(s.message?.text, "plain tape: 12 values held, 12 forward evaluations; "
                + "checkpoint every 4: 6 values held at most, 21 evaluations (9 recomputed)", "\(s.message?.text ?? "")")
        expectContains(s.screen, "checkpoint 4: 6/12 held, 21/12 evaluations", "\(s.screen)")
        // Step 1 visits v₁₂, the first of its segment: v₉, v₁₀, v₁₁ were recomputed first.
        await s.command("goto 1")
        expectEqual(s.recomputedAtStep.map(s.tape.label), ["v₉", "v₁₀", "v₁₁"])
        expectContains(s.screen, "recomputed v₉, v₁₀, v₁₁", "\(s.screen)")
        // Step 2 (v₁₁) recomputes nothing; step 5 (v₈) starts the next segment.
        await s.command("goto 2")
        expectTrue(s.recomputedAtStep.isEmpty && !s.screen.contains("recomputed"))
        await s.command("goto 5")
        expectEqual(s.recomputedAtStep.map(s.tape.label), ["v₅", "v₆", "v₇"])
        // Off: the plain tape again.
        await s.command("checkpoint off")
        expectTrue(s.checkpoint == nil && !s.screen.contains("checkpoint 4"))
    }

    @Test(arguments: ["0", "-1", "13", "many", ""])
    func aBadIntervalIsRefused(k: String) async throws {
        var s = try Self.chain()
        s.press("r")
        await s.command("checkpoint \(k)")
        expectEqual(s.message?.kind, .error)
        expectEqual(s.message?.text.contains("from 1 (every value kept) to 12 (only the output kept)"), true, "\(s.message?.text ?? "")")
        expectTrue(s.checkpoint == nil)
    }

    /// K = 1 is the plain tape: the same counts, nothing recomputed at any step.
    @Test func oneIsThePlainTape() async throws {
        var s = try Self.chain()
        s.press("r")
        await s.command("checkpoint 1")
        expectContains(s.screen, "checkpoint 1: 12/12 held, 12/12 evaluations")
        for step in 1...13 {
            await s.command("goto \(step)")
            expectTrue(s.recomputedAtStep.isEmpty)
        }
    }
}
