@testable import GraphCore
import Testing
import TestSupport

/// `@`'s forward product, tangent and both VJPs through OpenBLAS against the plain loops they
/// replaced, on seeded random shapes: every pairing of vector and matrix the language allows
/// (a vector on the left is one row, on the right one column), with sides of 1 (1×n, n×1,
/// 1×1, a vector of one element) drawn often.
@Suite("Matrix products through BLAS agree with the plain loops")
struct MatrixProductTests {
    /// A side of 1 a third of the time (BLAS's dgemv paths and their degenerate cases).
    static func side(_ rng: inout SplitMix64) -> Int {
        Int.random(in: 0..<3, using: &rng) == 0 ? 1 : Int.random(in: 2...40, using: &rng)
    }

    static func values(_ count: Int, _ rng: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in Double.random(in: -3...3, using: &rng) }
    }

    /// |x − y| ≤ 1e-12 · max(1, the magnitudes summed): relative to the terms of the dot
    /// products, so cancellation to near 0 does not demand more than double precision gives.
    static func agree(_ blas: [Double], _ loops: [Double], scale: Double) -> Bool {
        blas.count == loops.count
            && zip(blas, loops).allSatisfy { abs($0 - $1) <= 1e-12 * Swift.max(1, scale) }
    }

    @Test(arguments: 0..<4)
    func blasAgreesWithLoops(seed: UInt64) {
        var rng = SplitMix64(seed: 0xB1A5 + seed)
        for _ in 0..<150 {
            let (m, k, n) = (Self.side(&rng), Self.side(&rng), Self.side(&rng))
            let a = Self.values(m * k, &rng), b = Self.values(k * n, &rng)
            let ta = Self.values(m * k, &rng), tb = Self.values(k * n, &rng)
            let g = Self.values(m * n, &rng)
            // Accumulating VJPs add into what is there: start both kernels from the same numbers.
            let abar0 = Self.values(m * k, &rng), bbar0 = Self.values(k * n, &rng)
            // Every product here sums at most 40 terms of at most 3·3 (tangent: 80).
            let scale = 9.0 * 80

            func run(_ kernel: MatrixProduct.Kernel) -> [[Double]] {
                let p = MatrixProduct(m: m, k: k, n: n, kernel: kernel)
                var c = [Double](repeating: .nan, count: m * n), t = c
                var abar = abar0, bbar = bbar0
                p.forward(a, b, into: &c)
                p.tangent(a, ta, b, tb, into: &t)
                p.adjointA(g, b, into: &abar)
                p.adjointB(a, g, into: &bbar)
                return [c, t, abar, bbar]
            }
            let (blas, loops) = (run(.blas), run(.loops))
            for (what, pair) in zip(["A·B", "Ȧ·B + A·Ḃ", "Ā", "B̄"], zip(blas, loops)) {
                expectTrue(Self.agree(pair.0, pair.1, scale: scale), "\(what) for (\(m)×\(k))·(\(k)×\(n))")
            }
        }
    }

    /// The loops themselves, on a product worked by hand: [[1, 2], [3, 4]] · [[5, 6], [7, 8]]
    /// = [[19, 22], [43, 50]]; with Ḡ = [[1, 0], [0, 1]], Ā = Ḡ·Bᵀ = Bᵀ and B̄ = Aᵀ·Ḡ = Aᵀ.
    @Test(arguments: [MatrixProduct.Kernel.loops, .blas])
    func aProductWorkedByHand(kernel: MatrixProduct.Kernel) {
        let p = MatrixProduct(m: 2, k: 2, n: 2, kernel: kernel)
        let a: [Double] = [1, 2, 3, 4], b: [Double] = [5, 6, 7, 8], g: [Double] = [1, 0, 0, 1]
        var c = [Double](repeating: 0, count: 4), abar = c, bbar = c, t = c
        p.forward(a, b, into: &c)
        p.tangent(a, [1, 0, 0, 0], b, [0, 0, 0, 1], into: &t)  // Ȧ = E₁₁, Ḃ = E₂₂
        p.adjointA(g, b, into: &abar)
        p.adjointB(a, g, into: &bbar)
        expectEqual(c, [19, 22, 43, 50])
        let tExpected: [Double] = [5, 6 + 2, 0, 4]  // E₁₁·B = [[5, 6], [0, 0]], A·E₂₂ = [[0, 2], [0, 4]]
        expectEqual(t, tExpected)
        expectEqual(abar, [5, 7, 6, 8])
        expectEqual(bbar, [1, 3, 2, 4])
    }

    /// `x @ W` through the engine (a vector on the left, so BLAS's row path), reverse sweep
    /// against sums written here: y = Σ_j (x·W)_j, ∂y/∂x_q = Σ_j W_qj, ∂y/∂W_qj = x_q.
    @Test func theEngineRoutesVectorTimesMatrixThroughTheKernels() throws {
        var b = TapeBuilder()
        let x = b.leaf(.param, .vector(3), [1, -2, 0.5], name: "x")
        let w = b.leaf(.param, .matrix(3, 2), [1, 2, 3, 4, 5, 6], name: "W")
        let y = try b.apply(.sum, try b.apply(.matmul, x, w))
        let tape = b.finish(output: y).tape
        let v = tape.evaluate(), g = tape.adjoints(values: v)
        let y0: Double = 1 * 1 - 2 * 3 + 0.5 * 5, y1: Double = 1 * 2 - 2 * 4 + 0.5 * 6
        let xBar: [Double] = [1 + 2, 3 + 4, 5 + 6], wBar: [Double] = [1, 1, -2, -2, 0.5, 0.5]
        expectEqual(v[Int(tape.entries[tape.output].offset)], y0 + y1)
        // The leaves come first in the buffers: x at 0..<3, W at 3..<9.
        expectEqual(Array(g[0..<3]), xBar)
        expectEqual(Array(g[3..<9]), wBar)
    }
}
