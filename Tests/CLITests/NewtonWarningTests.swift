import Foundation
import Testing
import TestSupport

/// Issue 24: Newton's method where the Hessian is not positive definite is warned about.
@Suite struct NewtonWarningTests {
    /// L = x³ − 3x from x = −2: L″ = 6x < 0 there, Newton's x ← x − L′/L″ goes to −1.25 and
    /// on to the stationary point x = −1 where L″ = −6: the local maximum, L = 2 > L(−2) = −2.
    @Test func newtonClimbingToAMaximumIsWarnedAbout() async throws {
        let r = try await gradstep("optimize", "-e", "x^3 - 3*x", "--set", "x=-2", "--method", "newton", "--steps", "20")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stderr, "warning: Newton's method: the Hessian was not positive definite", "\(r.stderr)")
        expectTrue(r.stderr.contains("(smallest eigenvalue -12 at step 0)") || r.stderr.contains("(smallest eigenvalue −12 at step 0)"), "\(r.stderr)")
        expectTrue(r.stderr.contains("the loss rose from -2 to 2") || r.stderr.contains("the loss rose from −2 to 2"), "\(r.stderr)")
        expectContains(r.stderr, "the end point is a local maximum", "\(r.stderr)")
        expectTrue(r.stdout.contains("x = -1") || r.stdout.contains("x = −1"), "\(r.stdout)")
        // From x = 2 (L″ = 12 > 0) Newton goes to the minimum x = 1 and says nothing.
        let good = try await gradstep("optimize", "-e", "x^3 - 3*x", "--set", "x=2", "--method", "newton", "--steps", "20")
        expectNotContains(good.stderr, "warning", "\(good.stderr)")
    }
}
