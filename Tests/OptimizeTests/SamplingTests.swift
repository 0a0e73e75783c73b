import Foundation
import Optimize
import Testing
import TestSupport

/// `MiniBatches.Sampling` (course item F04): epochs use every row once per epoch, sampling
/// with replacement repeats some rows and skips others.
@Suite struct SamplingTests {
    static func batches(rows: Int, batch: Int, seed: UInt64, _ sampling: MiniBatches.Sampling) -> MiniBatches {
        let table = MiniBatches.Table(leaf: 0, rows: rows, columns: 1, values: (0..<rows).map(Double.init))
        return MiniBatches(tables: [table], batchSize: batch, seed: seed, sampling: sampling)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func epochsUseEveryRowOncePerEpoch(seed: UInt64) {
        var b = Self.batches(rows: 12, batch: 4, seed: seed, .epochs)
        for _ in 0..<3 {
            let epoch = (0..<3).flatMap { _ in b.nextRows() }
            expectEqual(epoch.sorted(), Array(0..<12))
        }
        expectEqual(b.timesDrawn, Array(repeating: 3, count: 12))
    }

    /// 10 rows in batches of 4: two batches, then the 2 rows left are dropped and a new
    /// shuffle starts, so every batch holds distinct rows and no row is used twice in an epoch.
    @Test func epochsDropTheIncompleteLastBatch() {
        var b = Self.batches(rows: 10, batch: 4, seed: 5, .epochs)
        for _ in 0..<4 {
            let epoch = b.nextRows() + b.nextRows()
            expectEqual(Set(epoch).count, 8)
        }
        expectEqual(b.timesDrawn.reduce(0, +), 32)
    }

    /// In N draws with replacement from N rows a row is missed with probability (1 − 1/N)^N ≈ 1/e.
    @Test func replacementMissesAboutOneRowInE() {
        var missed = 0
        for seed in 1...20 as ClosedRange<UInt64> {
            var b = Self.batches(rows: 50, batch: 5, seed: seed, .replacement)
            for _ in 0..<10 { _ = b.nextRows() }
            expectEqual(b.timesDrawn.reduce(0, +), 50)
            missed += b.timesDrawn.filter { $0 == 0 }.count
        }
        let expected: Double = 20 * 50 * Foundation.pow(0.98, 50.0)
        expectTrue(abs(Double(missed) - expected) < 0.15 * expected, "\(missed) against \(expected)")
    }

    @Test func independentBatchesHoldDistinctRows() {
        var b = Self.batches(rows: 6, batch: 6, seed: 9, .independent)
        for _ in 0..<5 { expectEqual(b.nextRows().sorted(), Array(0..<6)) }
    }
}
