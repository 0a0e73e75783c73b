import Foundation
import Testing
import TestSupport

/// `gradstep hessian --vector V`: one Hessian-vector product on its own. Expected numbers by
/// hand from the Hessian worked out in the comments.
@Suite("hessian --vector")
struct HessianVectorCommandTests {
    static let file = repositoryRoot.appendingPathComponent("Graphs/second-derivative-grad.grad").path

    @Test func theProductAlongAVector() async throws {
        // L = w·x² + (2wx − 1)² at x = 2, w = 1.5: H = [[2w + 8w², 2x + 16wx − 4], [·, 8x²]]
        // = [[21, 48], [48, 32]]; along v = (1, 2): (21 + 96, 48 + 64) = (117, 112).
        let r = try await gradstep("hessian", Self.file, "--wrt", "x,w", "--vector", "[1, 2]", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, "{\"names\": [\"x\", \"w\"], \"vector\": [1, 2], \"hessian_vector\": [117, 112]}\n")
        let text = try await gradstep("hessian", Self.file, "--wrt", "x,w", "--vector", "[1, 2]")
        expectContains(text.stdout, "x  v = 1  H·v = 117\nw  v = 2  H·v = 112", "\(text.stdout)")
    }

    @Test func moreVariablesThanTheWholeHessianAllows() async throws {
        // y = Σ xᵢ³ over 400 elements (the whole Hessian stops at 300): H = diag(6xᵢ), so with
        // x = 1, 2, 1, 2, … and v = 1 everywhere H·v = 6, 12, 6, 12, ….
        let x = (0..<400).map { $0 % 2 == 0 ? "1" : "2" }.joined(separator: ", ")
        let v = "[" + Array(repeating: "1", count: 400).joined(separator: ", ") + "]"
        let program = "input x = [\(x)]; y = sum(x^3)"
        let whole = try await gradstep("hessian", "-e", program)
        expectEqual(whole.status, 1)
        let r = try await gradstep("hessian", "-e", program, "--vector", v, "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let product = try #require(json["hessian_vector"] as? [Double])
        expectTrue(product == (0..<400).map { $0 % 2 == 0 ? 6 : 12 })
    }

    @Test func aVectorOfTheWrongLengthIsAnError() async throws {
        let r = try await gradstep("hessian", Self.file, "--vector", "[1, 2]")
        expectEqual(r.status, 1)
        expectEqual(r.stderr, "error: --vector has 2 numbers; it needs one per variable element, 1 (w)\n")
    }
}
