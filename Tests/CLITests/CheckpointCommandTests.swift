import Foundation
import Testing
import TestSupport

/// Issue 18: `trace --mode reverse --checkpoint K` shows what each step recomputed and the
/// memory and work against the plain tape.
@Suite struct CheckpointCommandTests {
    static let chain = repositoryRoot.appendingPathComponent("Graphs/checkpoint-chain.grad").path

    /// The chain v = sin(v) twelve times with K = 4, counted by hand: v₄, v₈ and v₁₂ kept;
    /// each segment recomputes its three other values before its first step; at most 6 held
    /// (v₄, v₈, v₁₂ and v₉ … v₁₁); 12 + 3·3 = 21 evaluations.
    @Test func theChainShowsWhatEachSegmentRecomputesAndTheCounts() async throws {
        let r = try await gradstep("trace", Self.chain, "--mode", "reverse", "--checkpoint", "4")
        expectEqual(r.status, 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        expectHasSuffix(lines[1], "recomputed")
        func row(_ label: String) -> String? { lines.first { $0.hasPrefix(label + " ") } }
        expectEqual(row("v̄₁₂")?.hasSuffix("v₉, v₁₀, v₁₁"), true)
        expectEqual(row("v̄₈")?.hasSuffix("v₅, v₆, v₇"), true)
        expectEqual(row("v̄₄")?.hasSuffix("v₁, v₂, v₃"), true)
        expectEqual(row("v̄₁₁")?.contains("v₉"), false)
        expectContains(r.stdout, "v₄, v₈ and the output v₁₂ kept, 3 of the 12 computed values")
        expectContains(r.stdout, "plain tape: 12 values held, 12 forward evaluations; "
                                  + "checkpoint every 4: 6 values held at most, 21 evaluations (9 recomputed)")
        expectContains(r.stdout, "gradients: bit for bit those of the plain tape")
    }

    @Test func theJSONCarriesTheSameCountsAndThePlainGradient() async throws {
        let r = try await gradstep("trace", Self.chain, "--mode", "reverse", "--checkpoint", "4", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let c = try #require(object["checkpoint"] as? [String: Any])
        expectTrue(c["every"] as? Int == 4 && c["computed"] as? Int == 12 && c["recomputed"] as? Int == 9)
        expectEqual(c["kept"] as? [String], ["v₄", "v₈", "v₁₂"])
        let plain = try #require(c["plain"] as? [String: Int]), held = try #require(c["checkpointed"] as? [String: Int])
        expectEqual(plain, ["values_held": 12, "numbers_held": 12, "forward_evaluations": 12])
        expectEqual(held, ["values_held": 6, "numbers_held": 6, "forward_evaluations": 21])
        expectEqual(c["identical_gradients"] as? Bool, true)
        let rows = try #require(object["rows"] as? [[String: Any]])
        expectEqual(rows.first?["recomputed"] as? [String], ["v₉", "v₁₀", "v₁₁"])
        // x̄ = Π cos vₖ₋₁ over the chain, by a hand loop.
        var v = 0.7, d = 1.0
        for _ in 1...12 { d *= cos(v); v = sin(v) }
        let x = try #require(rows.first { $0["name"] as? String == "x" })
        expectTrue(abs((x["adjoint"] as? Double ?? .nan) - d) <= 1e-15)
    }

    /// K = 1 keeps every value: the plain tape's counts, nothing recomputed.
    @Test func oneIsThePlainTape() async throws {
        let r = try await gradstep("trace", Self.chain, "--mode", "reverse", "--checkpoint", "1")
        expectContains(r.stdout, "checkpoint every 1: 12 values held at most, 12 evaluations (0 recomputed)")
        let plain = try await gradstep("trace", Self.chain, "--mode", "reverse")
        // The same table, the recomputed column empty (and so not printed), then the counts.
        expectHasPrefix(r.stdout, plain.stdout)
    }

    /// Tensors: a tensor seed and a recurrent net through time.
    @Test func tensorsAndATensorSeedGiveThePlainGradients() async throws {
        let bptt = repositoryRoot.appendingPathComponent("Graphs/bptt-rnn.grad").path
        let r = try await gradstep("trace", bptt, "--mode", "reverse", "--checkpoint", "5")
        expectTrue(r.status == 0 && r.stdout.contains("gradients: bit for bit those of the plain tape"))
        expectContains(r.stdout, "plain tape: 40 values (68 numbers) held")
        let s = try await gradstep("trace", "-e", "input x = [1, 2, 3]; y = exp(sin(x) * x)", "--mode", "reverse",
                                   "--seed-adjoint", "[1, -2, 0.5]", "--checkpoint", "2")
        expectTrue(s.status == 0 && s.stdout.contains("gradients: bit for bit those of the plain tape"), "\(s.stderr)")
    }

    @Test(arguments: ["0", "-3", "13", "99999999999999999999999", "four"])
    func aBadIntervalIsAUsageError(k: String) async throws {
        let r = try await gradstep("trace", Self.chain, "--mode", "reverse", "--checkpoint=\(k)")
        expectEqual(r.status, 2)
        expectContains(r.stderr, "--checkpoint \(k): give a whole number K from 1")
        expectContains(r.stderr, "to 12 (only the output kept)")
    }

    @Test func checkpointingIsForTheReverseSweep() async throws {
        let r = try await gradstep("trace", Self.chain, "--checkpoint", "2")
        expectTrue(r.status == 2 && r.stderr.contains("add --mode reverse"))
    }
}
