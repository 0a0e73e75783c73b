import Foundation
import Testing
import TestSupport

/// `plot --format json`: the samples behind the picture, for scripts and autograders.
@Suite("plot --format json")
struct PlotJSONTests {
    struct Samples: Decodable {
        var input: String, output: String
        var x: [Double], f: [Double?], derivative: [Double?], kinks: [Double], undefined: [Double]
    }

    func samples(_ arguments: String...) async throws -> Samples {
        let r = try await gradstep(["plot"] + arguments + ["--format", "json"])
        expectEqual(r.status, 0, "\(r.stderr)")
        return try JSONDecoder().decode(Samples.self, from: Data(r.stdout.utf8))
    }

    @Test func reluHasItsKinkAtZeroAndSlopesZeroThenOne() async throws {
        let s = try await samples("-e", "relu(x)", "--wrt", "x", "--from", "-1", "--to", "1", "--width", "20")
        expectTrue(s.input == "x" && s.output == "y")
        expectTrue(s.x.count == 41 && s.x.first == -1 && s.x.last == 1)
        expectEqual(s.kinks, [0])
        for (x, (f, d)) in zip(s.x, zip(s.f, s.derivative)) where x != 0 {
            expectEqual(f, max(x, 0))
            expectTrue(d == (x > 0 ? 1 : 0))
        }
    }

    @Test func undefinedPointsAreNullAndListed() async throws {
        let s = try await samples("-e", "sqrt(x)", "--wrt", "x", "--from", "-1", "--to", "1", "--width", "20")
        let negative = s.x.filter { $0 < 0 }
        expectEqual(s.undefined.filter { $0 < 0 }, negative)
        for (x, f) in zip(s.x, s.f) where x < 0 { expectTrue(f == nil) }
        for (x, f) in zip(s.x, s.f) where x > 0 { expectTrue(abs(f! - x.squareRoot()) < 1e-15) }
    }

    @Test func aDataSetGivesItsColumns() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let csv = root.appendingPathComponent("Graphs/xor-points.csv")
        let r = try await gradstep("plot", "--data", csv.path, "--x", "x1", "--y", "x2", "--label", "label", "--format", "json")
        expectEqual(r.status, 0, "\(r.stderr)")
        struct Columns: Decodable { var x: [Double], y: [Double], label: [Double] }
        let c = try JSONDecoder().decode(Columns.self, from: Data(r.stdout.utf8))
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst().filter { !$0.isEmpty }
        expectTrue(c.x.count == rows.count && c.y.count == rows.count && c.label.count == rows.count)
    }
}
