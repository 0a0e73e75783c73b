import Foundation
import Testing
import TestSupport

/// `gradstep plot --data FILE --x C --y C --label C` (course item A20): a data set's rows as
/// points coloured by class, to judge whether the classes are linearly separable.
@Suite("gradstep plot --data")
struct PlotDataTests {
    /// Graphs/xor-points.csv read here independently of gradstep: its rows' labels.
    static func labels() throws -> [String] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/xor-points.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) }
    }

    @Test func svgHasOneMarkPerRowOfEachClass() async throws {
        let r = try await gradstep("plot", "--data", graph("xor-points.csv"), "--x", "x1", "--y", "x2", "--label", "label", "--format", "svg")
        expectEqual(r.status, 0, "\(r.stderr)")
        let labels = try Self.labels()
        for c in Set(labels) {
            let marks = r.stdout.components(separatedBy: "class=\"scatter\" data-name=\"label = \(c)\"").count - 1
            expectEqual(marks, labels.filter { $0 == c }.count, "class \(c)")
        }
    }

    @Test func terminalPlotCountsTheClasses() async throws {
        let r = try await gradstep("plot", "--data", graph("xor-points.csv"), "--x", "x1", "--y", "x2", "--label", "label")
        expectEqual(r.status, 0, "\(r.stderr)")
        let labels = try Self.labels()
        let zeros = labels.filter { $0 == "0" }.count
        expectContains(r.stdout, "\(labels.count) points from")
        expectContains(r.stdout, "\(zeros) label = 0 (●), \(labels.count - zeros) label = 1 (▲)")
    }

    @Test func anUnknownColumnIsAnErrorWithASuggestion() async throws {
        let r = try await gradstep("plot", "--data", graph("xor-points.csv"), "--x", "x1", "--y", "x3")
        expectEqual(r.status, 1)
        expectTrue(r.stderr.contains("has no column 'x3'") && r.stderr.contains("did you mean"))
    }

    @Test func columnsWithoutDataOrDataWithAGraphAreUsageErrors() async throws {
        try await expectEqual(gradstep("plot", "-e", "x^2", "--x", "x1").status, 2)
        try await expectEqual(gradstep("plot", "-e", "x^2", "--data", graph("xor-points.csv"), "--x", "x1", "--y", "x2").status, 2)
        try await expectEqual(gradstep("plot", "--data", graph("xor-points.csv"), "--x", "x1").status, 2)
    }

    @Test func aMissingFileIsAClearError() async throws {
        let r = try await gradstep("plot", "--data", "no-such.csv", "--x", "a", "--y", "b")
        expectEqual(r.status, 1)
        expectTrue(r.stderr.contains("no-such.csv") && r.stderr.contains("no such file"))
    }
}
