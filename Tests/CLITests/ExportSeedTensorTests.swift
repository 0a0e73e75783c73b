import Foundation
import Testing
import TestSupport

/// `gradstep export --seed-adjoint` with a tensor: the reverse sweep's picture and frames are
/// seeded with that vector (a vector-Jacobian product), as `trace` and `eval` seed it. The
/// adjoints expected are computed here: for y = W @ x and the seed e₁, ∂/∂W is x in row 1 and
/// zeros elsewhere, ∂/∂x is W's row 1.
@Suite("gradstep export --seed-adjoint with a tensor")
struct ExportSeedTensorTests {
    static let W: [[Double]] = [[1, 2], [3, 4], [5, 6]]
    static let x: [Double] = [0.5, -1.5]
    static let program = "input W = [[1, 2], [3, 4], [5, 6]]; input x = [0.5, -1.5]; y = W @ x"

    /// A number as the pictures write it: 2, 0.5, −1.5 (a true minus sign).
    static func shown(_ v: Double) -> String {
        (v == v.rounded() ? String(Int(v)) : "\(v)").replacingOccurrences(of: "-", with: "−")
    }
    static func list(_ v: [Double]) -> String { "[" + v.map(shown).joined(separator: ", ") + "]" }

    @Test func thePictureShowsTheVectorJacobianProduct() async throws {
        let out = try temporaryFolder()
        let r = try await gradstep("export", "-e", Self.program, "--format", "dot", "--out", out.path, "--seed-adjoint", "[0, 1, 0]")
        expectEqual(r.status, 0, "\(r.stderr)")
        let dot = try String(contentsOf: out.appendingPathComponent("expression.dot"), encoding: .utf8)
        let dW = "[" + (0..<3).map { i in Self.list(i == 1 ? Self.x : [0, 0]) }.joined(separator: ", ") + "]"
        expectContains(dot, "v̄₋₁ = \(dW)", "∂/∂W is x in row 1")
        expectContains(dot, "v̄₀ = \(Self.list(Self.W[1]))", "∂/∂x is W's row 1")
        expectContains(dot, "reverse mode, seed v̄₁ = [0, 1, 0] (a vector-Jacobian product vᵀ·∂y/∂x)")
    }

    @Test func theFramesStartFromTheSeedAndSayWhatItIs() async throws {
        let out = try temporaryFolder()
        let r = try await gradstep("export", "-e", Self.program, "--format", "dot", "--frames", "--out", out.path, "--seed-adjoint", "[0, 1, 0]")
        expectEqual(r.status, 0, "\(r.stderr)")
        let folder = out.appendingPathComponent("expression-frames")
        let page = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        expectContains(page, "start: seed v̄₁ = [0, 1, 0] (a vector-Jacobian product vᵀ·∂y/∂x)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("-reverse-") }.sorted()
        let last = try String(contentsOf: folder.appendingPathComponent(try #require(files.last)), encoding: .utf8)
        expectContains(last, "v̄₀ = \(Self.list(Self.W[1]))")
    }

    @Test func aSeedOfTheWrongShapeNamesBothShapes() async throws {
        let out = try temporaryFolder()
        let r = try await gradstep("export", "-e", Self.program, "--format", "dot", "--out", out.path, "--seed-adjoint", "[0, 1]")
        expectEqual(r.status, 2)
        expectEqual(r.stderr, "error: --seed-adjoint [0, 1]: the seed has shape [2] but y has shape [3]; give a number or a tensor of shape [3]\n")
    }
}
