import Foundation
import GraphCore
import GraphLanguage
import Optimize
import Testing
import TestSupport

/// Mini-batches drawn from a `data` matrix.
@Suite("Mini-batches")
struct MiniBatchTests {
    static let table = MiniBatches.Table(leaf: 0, rows: 10, columns: 2, values: (0..<20).map(Double.init))

    @Test func batchesAreDistinctRowsAndTheSeedReproducesThem() {
        var a = MiniBatches(tables: [Self.table], batchSize: 4, seed: 7)
        var b = MiniBatches(tables: [Self.table], batchSize: 4, seed: 7)
        var c = MiniBatches(tables: [Self.table], batchSize: 4, seed: 8)
        var differs = false
        for _ in 0..<20 {
            let rows = a.nextRows()
            expectTrue(Set(rows).count == 4 && rows.allSatisfy { (0..<10).contains($0) })
            expectEqual(rows, b.nextRows())
            if rows != c.nextRows() { differs = true }
        }
        expectTrue(differs)
        expectEqual(MiniBatches.gather(Self.table, rows: [3, 0]), [6, 7, 0, 1])
    }

    @Test func everyRowIsDrawnOverManyBatches() {
        var a = MiniBatches(tables: [Self.table], batchSize: 3, seed: 1)
        var seen: Set<Int> = []
        for _ in 0..<50 { seen.formUnion(a.nextRows()) }
        expectEqual(seen, Set(0..<10))
    }

    /// The mean of the rows of a data column, fitted by descent on mean((D·[1] − m)²): with a
    /// batch of all rows it is full-batch descent; with one row at a time, SGD.
    @Test func fullBatchesEqualGradientDescentAndSmallOnesDiffer() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-batches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "v\n1\n2\n3\n6\n".write(to: folder.appendingPathComponent("v.csv"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("mean.grad").path
        try "data D = \"v.csv\"\nparam m = 0\nL = mse(D @ [1], m)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let full = try GraphLoader.load(path: path).get()
        expectEqual(full.dataSets.first?.values, [1, 2, 3, 6])
        func run(batch: Int) throws -> DescentRun {
            let g = try GraphLoader.load(path: path, values: [("D", "[" + (0..<batch).map { _ in "[0]" }.joined(separator: ",") + "]")]).get()
            let table = MiniBatches.Table(leaf: g.node(named: "D")!, rows: 4, columns: 1, values: [1, 2, 3, 6])
            var d = Descent(objective: try objective(g, ["m"]),
                            options: DescentOptions(hyper: Hyperparameters(method: .sgd, learningRate: 0.25), steps: 5),
                            batches: MiniBatches(tables: [table], batchSize: batch, seed: 3),
                            fullData: try objective(full, ["m"]))
            return d.run()
        }
        // Full batch: m ← m − 0.25·2(m − 3) = (m + 3)/2.
        let gd = try run(batch: 4)
        let ms: [Double] = gd.trajectory.map { (m: [Double]) -> Double in m[0] }
        expectTrue(close(ms, [0, 1.5, 2.25, 2.625, 2.8125, 2.90625] as [Double]))
        // Reported losses are on all the data: mean((v − m)²).
        let rows: [Double] = [1, 2, 3, 6]
        let allDataLosses: [Double] = ms.map { (m: Double) -> Double in
            let squares: Double = rows.reduce(0.0) { (sum: Double, v: Double) -> Double in sum + (v - m) * (v - m) }
            return squares / 4
        }
        expectTrue(close(gd.losses, allDataLosses))
        let sgd = try run(batch: 1)
        expectTrue(sgd.trajectory != gd.trajectory)
        // One row a step: m moves halfway to that row's value.
        for (a, b) in zip(sgd.trajectory, sgd.trajectory.dropFirst()) {
            let target = 2 * b[0] - a[0]
            expectTrue(rows.contains { (v: Double) -> Bool in isClose(v, target, rel: 1e-12) })
        }
        try expectEqual(run(batch: 1).trajectory, sgd.trajectory)
    }
}
