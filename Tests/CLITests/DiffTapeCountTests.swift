import Foundation
import Testing
import TestSupport

/// Issue 24: `diff` counts the tape nodes it lists.
@Suite struct DiffTapeCountTests {
    /// 4·x·(1 − x) lowers to x, the constants 4 and 1, and the nodes 4·x, 1 − x and their
    /// product: 4 nodes listed, and 2 constants written inside their formulas.
    @Test func diffCountsTheTapeNodesItLists() async throws {
        let r = try await gradstep("diff", "-e", "4*x*(1 - x)", "--set", "x=0.3")
        expectEqual(r.status, 0, "\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("tape, ") })
        let listed = line.split(separator: ": ", maxSplits: 1)[1].split(separator: "; ").count
        expectHasPrefix(line, "tape, \(listed) nodes (and 2 constants, written inside the formulas): ", "\(line)")
        expectEqual(listed, 4)
        // The swell table's tape column counts the constants too: 4 + 2 = 6 for f, and says so.
        let f = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("  f ") })
        expectEqual(f.split(separator: " ").map(String.init), ["f", "6", "5", "5"], "\(f)")
        expectContains(r.stdout, "  tape: what AD records, constants included; tree: the derivative written out")
    }
}
