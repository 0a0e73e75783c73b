@testable import GraphCore
import Testing
import TestSupport

/// The convolution through im2col and BLAS against the plain loops of `forEachProduct` it
/// replaces for large convolutions: seeded random conv1d and conv2d shapes, with and without a
/// batch, strides 1–3, paddings 0–2, kernels that overhang the image, one channel or several.
@Suite("Convolution through im2col agrees with the plain loops")
struct ConvolutionKernelTests {
    static func values(_ count: Int, _ rng: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in Double.random(in: -3...3, using: &rng) }
    }

    /// A random conv1d or conv2d geometry, the kernel fitting the padded input.
    static func geometry(_ rng: inout SplitMix64) -> (op: Op, g: WindowGeometry) {
        let twoD = Bool.random(using: &rng), batched = Bool.random(using: &rng)
        let n = batched ? Int.random(in: 1...3, using: &rng) : 1
        let c = Int.random(in: 1...3, using: &rng), out = Int.random(in: 1...4, using: &rng)
        let stride = Int.random(in: 1...3, using: &rng), padding = Int.random(in: 0...2, using: &rng)
        let kw = Int.random(in: 1...4, using: &rng), kh = twoD ? Int.random(in: 1...4, using: &rng) : 1
        let w = Int.random(in: Swift.max(1, kw - 2 * padding)...9, using: &rng)
        let h = twoD ? Int.random(in: Swift.max(1, kh - 2 * padding)...9, using: &rng) : 1
        let x: Shape = twoD ? .tensor(batched ? [n, c, h, w] : [c, h, w]) : .tensor(batched ? [n, c, w] : [c, w])
        let weight: Shape = twoD ? .tensor([out, c, kh, kw]) : .tensor([out, c, kw])
        let op: Op = twoD ? .conv2d : .conv1d
        return (op, WindowGeometry(op, x: x, weight: weight, window: Window(stride: stride, padding: padding)))
    }

    @Test(arguments: 0..<4)
    func im2colAgreesWithLoops(seed: UInt64) {
        var rng = SplitMix64(seed: 0x1A2C + seed)
        for _ in 0..<120 {
            let (op, g) = Self.geometry(&rng)
            let (xs, ws, ys) = (g.n * g.c * g.h * g.w, g.out * g.c * g.kh * g.kw, g.n * g.out * g.oh * g.ow)
            var x = Self.values(xs, &rng), wt = Self.values(ws, &rng), gy = Self.values(ys, &rng)
            // Every kernel adds into what is there: both start from the same numbers.
            let y0 = Self.values(ys, &rng), xBar0 = Self.values(xs, &rng), wBar0 = Self.values(ws, &rng)

            func run(_ kernel: WindowGeometry.ConvolutionKernel) -> [[Double]] {
                var y = y0, xBar = xBar0, wBar = wBar0
                g.correlate(&x, &wt, into: &y, kernel: kernel)
                g.correlateBackInput(&gy, &wt, into: &xBar, kernel: kernel)
                g.correlateBackWeight(&gy, &x, into: &wBar, kernel: kernel)
                return [y, xBar, wBar]
            }
            let (fast, loops) = (run(.im2col), run(.loops))
            // A sum has at most 3·3·4·4 = 144 terms (w̄: 3·9·9 = 243) of at most 3·3 each.
            let scale = 9.0 * 243
            for (what, pair) in zip(["y", "x̄", "w̄"], zip(fast, loops)) {
                expectTrue(pair.0.count == pair.1.count
                        && zip(pair.0, pair.1).allSatisfy { abs($0 - $1) <= 1e-12 * scale }, "\(what) of \(op.name) n \(g.n) c \(g.c) out \(g.out) \(g.h)×\(g.w) kernel \(g.kh)×\(g.kw) stride \(g.sw) padding \(g.pw)")
            }
        }
    }

    /// A 1×1 image of one channel padded by 1, a 3×3 kernel: the only tap that reads the image
    /// is the centre one, y = w[1, 1]·x; x̄ = w[1, 1]·ḡ; w̄ is ḡ·x at the centre and 0 elsewhere
    /// (every other tap reads the padding).
    @Test(arguments: [WindowGeometry.ConvolutionKernel.im2col, .loops])
    func paddingIsZeroByHand(kernel: WindowGeometry.ConvolutionKernel) {
        let g = WindowGeometry(.conv2d, x: .tensor([1, 1, 1]), weight: .tensor([1, 1, 3, 3]), window: Window(padding: 1))
        var x: [Double] = [2], wt: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9], gy: [Double] = [10]
        var y: [Double] = [0], xBar: [Double] = [0], wBar = [Double](repeating: 0, count: 9)
        g.correlate(&x, &wt, into: &y, kernel: kernel)
        g.correlateBackInput(&gy, &wt, into: &xBar, kernel: kernel)
        g.correlateBackWeight(&gy, &x, into: &wBar, kernel: kernel)
        expectEqual(y, [10])
        expectEqual(xBar, [50])
        expectEqual(wBar, [0, 0, 0, 0, 20, 0, 0, 0, 0])
    }

    /// The size rule: the benchmark's CNN layer (8 images, 1→8 channels, 3×3 over 28×28) is
    /// unrolled; a student's 1→1 channel 2×2 kernel over a 4×4 image runs the loops.
    @Test func largeConvolutionsAreUnrolledAndSmallOnesLooped() {
        let cnn = WindowGeometry(.conv2d, x: .tensor([8, 1, 28, 28]), weight: .tensor([8, 1, 3, 3]), window: .none)
        let small = WindowGeometry(.conv2d, x: .tensor([1, 4, 4]), weight: .tensor([1, 1, 2, 2]), window: .none)
        expectEqual(cnn.convolutionKernel, .im2col)
        expectEqual(small.convolutionKernel, .loops)
    }

    /// Through the engine, a convolution big enough for the im2col path (2 images, 2→3
    /// channels, 3×3 over 10×10 padded by 1: 10,800 multiply-adds): f = Σ conv2d(x, w)³, its
    /// gradient for x and w against central differences (GradientCheck) and its Hessian-vector
    /// product against differences of the gradient.
    @Test func theEngineDifferentiatesAnUnrolledConvolution() throws {
        var rng = SplitMix64(seed: 0xC0117)
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([2, 2, 10, 10]), Self.values(400, &rng).map { $0 / 3 }, name: "x")
        let w = b.leaf(.param, .tensor([3, 2, 3, 3]), Self.values(54, &rng).map { $0 / 3 }, name: "w")
        let y = try b.apply(.conv2d, x, w, window: Window(padding: 1))
        let f = try b.apply(.sum, b.apply(.mul, y, b.apply(.mul, y, y)))
        let tape = b.finish(output: f).tape
        let g = WindowGeometry(.conv2d, x: .tensor([2, 2, 10, 10]), weight: .tensor([3, 2, 3, 3]), window: Window(padding: 1))
        expectEqual(g.convolutionKernel, .im2col)
        let results = GradientCheck.check(tape)
        expectEqual(results.count, 454)
        expectTrue(results.allSatisfy { GradientCheck.Verdict($0) == .pass })
        HessianVectorTests.check(tape, &rng, "Σ conv2d(x, w)³")
    }
}
