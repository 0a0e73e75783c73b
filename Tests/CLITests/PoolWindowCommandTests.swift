import Foundation
import Testing
import TestSupport

/// Padded and rectangular pools through the real binary: the ResNet stem file's gradient and
/// Hessian worked by hand, `check`'s kinks at a padded window's ties, and the window named in
/// the exported picture.
@Suite("Padded and rectangular pools on the command line")
struct PoolWindowCommandTests {
    static let stem = repositoryRoot.appendingPathComponent("Graphs/resnet-stem-pool.grad").path
    /// The stem file's image, row by row.
    static let image: [[Double]] = [[1, 3, 0, 2, 8], [2, 9, 1, 0, 1], [4, 1, 0, 0, 3], [0, 2, 1, 5, 0], [7, 0, 2, 1, 6]]

    /// How many of the 3 × 3 windows (2 apart, padded by 1) have their first maximum at each
    /// pixel, counted by a loop over the windows here.
    static func maximumCounts() -> [[Double]] {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 5)
        for i in 0..<3 { for j in 0..<3 {
            var best: (Int, Int)? = nil
            for r in (2 * i - 1)...(2 * i + 1) where (0..<5).contains(r) {
                for c in (2 * j - 1)...(2 * j + 1) where (0..<5).contains(c) {
                    if best == nil || image[r][c] > image[best!.0][best!.1] { best = (r, c) }
                }
            }
            counts[best!.0][best!.1] += 1
        } }
        return counts
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theStemsOverlappingWindowsSendOnePixelFourAdjoints() async throws {
        let r = try await gradstep("eval", Self.stem, "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try Self.json(r.stdout)
        let counts = Self.maximumCounts()
        #expect(counts[1][1] == 4 && counts[3][3] == 2)
        // y is the sum of the window maxima: each pixel's value times the windows it wins.
        let y = zip(Self.image.joined(), counts.joined()).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(json["value"] as? Double == y && y == 67)
        let gradient = try #require((json["gradient"] as? [String: Any])?["x"] as? [[[Double]]])
        #expect(gradient == [counts])
    }

    @Test func theHessianOfSquaredMaximaCountsTheWindows() async throws {
        // y = Σ_k x[a(k)]², a(k) the window's maximum: ∂y/∂x_i = 2·n_i·x_i and H = diag(2·n_i).
        let source = try String(contentsOfFile: Self.stem, encoding: .utf8)
            .replacingOccurrences(of: "y = sum(pooled)", with: "y = sum(pooled * pooled)")
        let r = try await gradstep("hessian", "-e", source, "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try Self.json(r.stdout)
        let counts = Array(Self.maximumCounts().joined()), pixels = Array(Self.image.joined())
        let hessian = try #require(json["hessian"] as? [[Double]])
        #expect(hessian.count == 25)
        for i in 0..<25 { for j in 0..<25 { #expect(hessian[i][j] == (i == j ? 2 * counts[i] : 0), "H[\(i)][\(j)]") } }
        let gradient = try #require((json["gradient"] as? [String: Any])?["x"] as? [[[Double]]])
        #expect(Array(gradient[0].joined()) == zip(counts, pixels).map { 2 * $0 * $1 })
    }

    @Test func checkMarksATieInAPaddedWindowAsAKink() async throws {
        // Kernel 3, stride 2, padding 1 over 3 × 3: window (0, 1) holds 3 twice, (1, 1) holds 1
        // twice; the other two have one maximum each.
        let r = try await gradstep("check", "-e", "input x = [[[1, 3, 3], [2, 0, 1], [4, 1, 0]]]; y = sum(maxpool2d(x, 3, 2, 1))")
        #expect(r.status == 0, "\(r.stderr)")
        for tied in ["x[0,0,1]", "x[0,0,2]", "x[0,1,2]", "x[0,2,1]"] {
            #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix(tied) && $0.hasSuffix("kink") }, "\(tied): \(r.stdout)")
        }
        #expect(r.stdout.contains("9 entries: 5 pass, 4 kink, 0 fail"), "\(r.stdout)")
    }

    @Test func theExportedPictureNamesTheWindow() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pool-window-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try await gradstep("export", "-e", "input x = [[[1, 5, 2, 0], [3, 3, 7, 8]]]; y = sum(avgpool2d(x, kernel=[1, 2], padding=[0, 1]))",
                                   "--format", "dot", "--out", folder.path)
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".dot") }
        let dot = try String(contentsOf: folder.appendingPathComponent(try #require(files.first)), encoding: .utf8)
        #expect(dot.contains("avgpool2d(v₀, kernel=[1, 2], stride=[1, 2], padding=[0, 1])"))
    }
}
