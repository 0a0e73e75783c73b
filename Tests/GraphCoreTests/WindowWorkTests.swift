import Foundation
@testable import GraphCore
import Testing
import TestSupport

/// A convolution's work is bounded before it starts, as tensor sizes are (issue 20): a
/// 500×500 kernel over a 1000×1000 image is 501² outputs × 500² = 62,750,250,000 multiply-adds.
@Suite("Convolution work limit")
struct WindowWorkTests {
    @Test func aHugeKernelIsRefusedBeforeAnythingRuns() throws {
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([1, 1000, 1000]), [Double](repeating: 1, count: 1_000_000), name: "x")
        let w = b.leaf(.param, .tensor([1, 1, 500, 500]), [Double](repeating: 1, count: 250_000), name: "w")
        let start = Date()
        do {
            _ = try b.apply(.conv2d, x, w)
            Issue.record("accepted")
        } catch {
            expectContains(error.description, "conv2d with a 500×500 kernel over [1×1000×1000] would take \(Limits.grouped(501 * 501 * 500 * 500)) multiply-adds", "\(error.description)")
            expectContains(error.description, "at most 1,000,000,000")
        }
        expectTrue(Date().timeIntervalSince(start) < 60, "a hang guard: running it would take hours")
        // Read for its shapes only nothing is computed, and the same op is fine.
        var shapes = TapeBuilder()
        shapes.shapesOnly = true
        let xs = shapes.leaf(.input, .tensor([1, 1000, 1000]), [], name: "x")
        let ws = shapes.leaf(.param, .tensor([1, 1, 500, 500]), [], name: "w")
        let y = try shapes.apply(.conv2d, xs, ws)
        expectEqual(shapes.shape(of: y), .tensor([1, 501, 501]))
    }

    @Test func theWorkIsOutputsTimesKernelTimesChannels() {
        let g = WindowGeometry(.conv2d, x: .tensor([2, 3, 10, 10]), weight: .tensor([4, 3, 3, 3]), window: Window())
        expectEqual(g.work(of: .conv2d), 2 * 4 * 8 * 8 * 3 * 3 * 3)
        let p = WindowGeometry(.maxpool2d, x: .tensor([2, 3, 10, 10]), weight: nil, window: Window(kernel: 2, stride: 2))
        expectEqual(p.work(of: .maxpool2d), 2 * 3 * 5 * 5 * 2 * 2)
    }
}
