import Foundation
import Testing
import TestSupport

/// Issue 24: an unnamed constant tensor was labelled by its shape in brackets (`[[2]]`, the
/// dropout mask `[[5]]`), which reads as a 1×1 matrix holding 2 or 5. A small one is now
/// written by its values, a larger one as `const` and its shape.
@Suite struct ConstantLabelTests {
    @Test func aSmallConstantTensorIsWrittenByItsValues() async throws {
        let r = try await gradstep("trace", "-e", "input v = [1, 3]; y = sum(v * [2, 0.5])", "--mode", "reverse")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "[2, 0.5]", "\(r.stdout)")
        expectNotContains(r.stdout, "[[2]]", "\(r.stdout)")
    }

    @Test func aLargerConstantTensorIsWrittenAsConstWithItsShape() async throws {
        let r = try await gradstep("trace", "-e", "input x = [1, 2, 3]; y = sum([[1, 2, 3], [4, 5, 6]] @ x)")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "const[2×3] @ v₀", "\(r.stdout)")
        expectNotContains(r.stdout, "[[2×3]]", "\(r.stdout)")
        // The dropout mask of Graphs/dropout-op.grad (5 units) likewise.
        let mask = try await gradstep("trace", graph("dropout-op.grad"), "--mode", "reverse")
        expectTrue(mask.stdout.contains("⊙ const[5]") && !mask.stdout.contains("[[5]]"), "\(mask.stdout)")
    }
}
