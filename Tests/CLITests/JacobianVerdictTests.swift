import Foundation
import Testing
import TestSupport

/// Issue 24: `jacobian` calls equal counts a tie.
@Suite struct JacobianVerdictTests {
    /// (a + b)·(b + 1): 2 inputs, 1 output, 3 computed nodes. Forward: 2 sweeps × 3 = 6
    /// visits; reverse: a primal pass of 3 + 1 sweep × 3 = 6. A tie, not a win.
    @Test func jacobianCountsThatTieAreCalledATie() async throws {
        let r = try await gradstep("jacobian", "-e", "(a + b) * (b + 1)", "--set", "a=1", "--set", "b=2")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "= 6 node visits\n")
        expectNotContains(r.stdout, "mode wins")
        expectContains(r.stdout, "forward and reverse mode tie: 6 node visits each; reverse mode's fewer sweeps (1 < 2) are paid for by the primal pass it needs first")
    }
}
