import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Optimize
import Testing
import TestSupport

/// Issue 24: `:optimize` takes `--batch-size`, `--seed` and `--sampling` as `gradstep optimize`
/// does. On four points (x, y) and L = mean((w·x − y)²), each step's gradient is
/// (2/B) Σ_batch (w·xᵣ − yᵣ)·xᵣ over the batch's rows, worked out here by hand; the loss shown
/// is on all four rows.
@Suite("Issue 24: :optimize with mini-batches")
struct OptimizeBatchTests {
    static let points: [(x: Double, y: Double)] = [(1, 2), (2, 3), (3, 7), (4, 8)]

    /// The graph in a folder of its own, beside its CSV.
    static func pointsGraph() throws -> (Graph, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = "x,y\n" + points.map { "\(Int($0.x)),\(Int($0.y))" }.joined(separator: "\n") + "\n"
        try csv.write(to: folder.appendingPathComponent("pts.csv"), atomically: true, encoding: .utf8)
        let source = """
            data D = "pts.csv"
            x = D @ [1, 0]
            y = D @ [0, 1]
            param w = 0
            L = mean((w*x - y)^2)
            output L
            """
        let file = folder.appendingPathComponent("points.grad")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return (try GraphLoader.load(path: file.path).get(), folder)
    }

    static func fullLoss(_ w: Double) -> Double {
        points.map { (w * $0.x - $0.y) * (w * $0.x - $0.y) }.reduce(0, +) / Double(points.count)
    }

    static func batchGradient(_ w: Double, _ rows: [Int]) -> Double {
        2 * rows.map { (w * points[$0].x - points[$0].y) * points[$0].x }.reduce(0, +) / Double(rows.count)
    }

    /// The rows the sampler draws for `seed` (the same sampler `gradstep optimize` uses).
    static func expectedRows(seed: UInt64, steps: Int, sampling: MiniBatches.Sampling) -> [[Int]] {
        let table = MiniBatches.Table(leaf: 0, rows: 4, columns: 2, values: points.flatMap { [$0.x, $0.y] })
        var sampler = MiniBatches(tables: [table], batchSize: 2, seed: seed, sampling: sampling)
        return (0...steps).map { _ in sampler.nextRows() }
    }

    @Test(arguments: [MiniBatches.Sampling.independent, .epochs, .replacement])
    func eachStepTakesItsBatchsGradient(sampling: MiniBatches.Sampling) async throws {
        let (graph, folder) = try Self.pointsGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        var s = ExplorerState(graph: graph, size: (120, 40))
        await s.command("optimize --lr 0.05 --steps 4 --batch-size 2 --seed 3 --sampling \(sampling.rawValue)")
        let session = try #require(s.optimization.session, "\(s.message?.text ?? "")")
        let rows = Self.expectedRows(seed: 3, steps: 4, sampling: sampling)
        expectEqual(session.batchRows, rows)
        var w = 0.0
        for k in 0...4 {
            let it = session.iterates[k]
            expectTrue(isClose(it.theta[0], w), "w at iteration \(k)")
            expectTrue(isClose(it.loss, Self.fullLoss(w)), "the loss on all four rows")
            expectTrue(isClose(it.gradient[0], Self.batchGradient(w, rows[k])), "the batch's gradient")
            w -= 0.05 * Self.batchGradient(w, rows[k])
        }
        expectEqual(s.message?.text.contains("batches of 2 (seed 3, \(sampling.rawValue))"), true, "\(s.message?.text ?? "")")
        s.press("n")
        let shown = "∇L on the batch's 2: rows \(rows[1].map(String.init).joined(separator: ", ")) (from 0)"
        expectContains(OptimizationScrollTests.columnText(s.screen), shown, "\(s.screen)")
        s.press("enter")
        expectEqual(s.message?.text.contains("the reverse sweep on all 4 rows (the update took the gradient of its batch's 2)"), true)
    }

    @Test func theCommandLinesRefusalsAreTheExplorers() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (120, 40))
        await s.command("optimize --batch-size 2")
        expectEqual(s.message?.text, ":optimize: --batch-size draws rows of the graph's data, but it declares none; add e.g. 'data D = \"points.csv\"'")
        expectTrue(s.optimization.session == nil)
        let (graph, folder) = try Self.pointsGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        var p = ExplorerState(graph: graph, size: (120, 40))
        await p.command("optimize --batch-size 5")
        expectEqual(p.message?.text, ":optimize: --batch-size 5 is more than the 4 rows of D")
        await p.command("optimize --sampling epochs")
        expectEqual(p.message?.text.contains("--sampling chooses how --batch-size draws its rows: give --batch-size too"), true, "\(p.message?.text ?? "")")
    }

    /// The run starts where the explorer stands: a value `:set` before `:optimize` is kept
    /// in the reloaded batch graph.
    @Test func theBatchRunStartsFromTheCurrentValues() async throws {
        let (graph, folder) = try Self.pointsGraph()
        defer { try? FileManager.default.removeItem(at: folder) }
        var s = ExplorerState(graph: graph, size: (120, 40))
        await s.command("set w=1.5")
        await s.command("optimize --lr 0.05 --steps 1 --batch-size 2 --seed 3")
        let session = try #require(s.optimization.session, "\(s.message?.text ?? "")")
        let rows = Self.expectedRows(seed: 3, steps: 1, sampling: .independent)
        expectEqual(session.iterates[0].theta, [1.5])
        expectTrue(isClose(session.iterates[1].theta[0], 1.5 - 0.05 * Self.batchGradient(1.5, rows[0])))
    }
}

/// `:optimize --clip-grad-norm N` (issue 18): each update takes ∇L scaled by N/(‖∇L‖ + 1e-6)
/// when ‖∇L‖ > N, as PyTorch's clip_grad_norm_, and the pane writes the factor out.
@Suite("Issue 18: :optimize --clip-grad-norm")
struct ClipGradNormExplorerTests {
    @Test func theClippedStepIsWrittenOut() async throws {
        var s = ExplorerState(graph: try graphFile("rosenbrock.grad"), size: (120, 40))
        await s.command("optimize --lr 0.01 --steps 3 --clip-grad-norm 1")
        let session = try #require(s.optimization.session, "\(s.message?.text ?? "")")
        var (x, y) = (-1.2, 1.0)
        var scales: [Double] = []
        for k in 1...3 {
            let (gx, gy) = rosenbrockGradient(x, y)
            let scale = 1 / ((gx * gx + gy * gy).squareRoot() + 1e-6)
            scales.append(scale)
            (x, y) = (x - 0.01 * scale * gx, y - 0.01 * scale * gy)
            expectTrue(isClose(session.iterates[k].theta[0], x) && isClose(session.iterates[k].theta[1], y), "iteration \(k)")
        }
        let screen = OptimizationScrollTests.columnText(s.screen)
        let norm = (215.6 * 215.6 + 88.0 * 88.0).squareRoot()
        expectContains(screen, "‖∇L‖ = \(Format.short(norm, digits: 5)) > 1: clipped, s = 1/(‖∇L‖ + 1e−6) = \(Format.short(scales[0], digits: 5))", "\(s.screen)")
        expectContains(screen, "g = s·∂L/∂x = \(Format.short(scales[0], digits: 5))·(−215.6) = \(Format.short(-215.6 * scales[0], digits: 5))", "\(s.screen)")
        expectEqual(s.message?.text.contains("gradient norm clipped to 1"), true)
    }
}
