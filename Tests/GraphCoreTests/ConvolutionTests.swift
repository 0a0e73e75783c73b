import GraphCore
import Testing
import TestSupport

/// conv1d, conv2d, maxpool2d and avgpool2d against loops written here from PyTorch's
/// definitions (the input copied into an explicitly zero-padded array first, unlike the
/// engine), on seeded random shapes, strides, paddings, with and without a batch.
@Suite("Convolution and pooling agree with direct loops")
struct ConvolutionTests {
    /// A random image batch: n images (nil: no batch axis) of c channels, h × w.
    struct Images {
        var n: Int?, c: Int, h: Int, w: Int
        var values: [Double]
        var shape: Shape { .tensor((n.map { [$0] } ?? []) + [c, h, w]) }
        var batch: Int { n ?? 1 }
        func at(_ b: Int, _ ch: Int, _ i: Int, _ j: Int) -> Double { values[((b * c + ch) * h + i) * w + j] }
    }

    static func images(_ rng: inout SplitMix64, maxSide: Int = 6) -> Images {
        let n: Int? = Bool.random(using: &rng) ? nil : Int.random(in: 1...2, using: &rng)
        let c = Int.random(in: 1...3, using: &rng), h = Int.random(in: 1...maxSide, using: &rng)
        let w = Int.random(in: 1...maxSide, using: &rng)
        let values = (0..<(n ?? 1) * c * h * w).map { _ in Double.random(in: -2...2, using: &rng) }
        return Images(n: n, c: c, h: h, w: w, values: values)
    }

    /// The output of `op` applied to leaves holding `x` (and `w`), evaluated by the engine.
    static func evaluate(_ op: Op, _ x: (Shape, [Double]), _ w: (Shape, [Double])?, _ window: Window) throws -> (Shape, [Double]) {
        var b = TapeBuilder()
        let xn = b.leaf(.input, x.0, x.1, name: "x")
        let wn = w.map { b.leaf(.param, $0.0, $0.1, name: "w") }
        let y = try b.apply(op, xn, wn, window: window)
        let tape = b.finish(output: y).tape
        let e = tape.entries[tape.output]
        return (e.shape, Array(tape.evaluate()[Int(e.offset) ..< Int(e.offset) + e.count]))
    }

    /// y[b, o, i, j] = Σ x_padded[b, c, i·s + p, j·s + q] · w[o, c, p, q].
    static func referenceConv(_ x: Images, _ w: [Double], out: Int, kh: Int, kw: Int,
                              strideH: Int, strideW: Int, padH: Int, padW: Int) -> [Double] {
        let (hp, wp) = (x.h + 2 * padH, x.w + 2 * padW)
        var padded = [Double](repeating: 0, count: x.batch * x.c * hp * wp)
        for b in 0..<x.batch { for c in 0..<x.c { for i in 0..<x.h { for j in 0..<x.w {
            padded[((b * x.c + c) * hp + i + padH) * wp + j + padW] = x.at(b, c, i, j)
        } } } }
        let oh = (hp - kh) / strideH + 1, ow = (wp - kw) / strideW + 1
        var y: [Double] = []
        for b in 0..<x.batch { for o in 0..<out { for i in 0..<oh { for j in 0..<ow {
            var s = 0.0
            for c in 0..<x.c { for p in 0..<kh { for q in 0..<kw {
                s += padded[((b * x.c + c) * hp + i * strideH + p) * wp + j * strideW + q] * w[((o * x.c + c) * kh + p) * kw + q]
            } } }
            y.append(s)
        } } } }
        return y
    }

    /// Each k × k window's maximum or mean, windows `stride` apart, no padding.
    static func referencePool(_ x: Images, kernel k: Int, stride s: Int, max: Bool) -> [Double] {
        var y: [Double] = []
        for b in 0..<x.batch { for c in 0..<x.c {
            for i in stride(from: 0, through: x.h - k, by: s) { for j in stride(from: 0, through: x.w - k, by: s) {
                let window = (0..<k).flatMap { p in (0..<k).map { q in x.at(b, c, i + p, j + q) } }
                y.append(max ? window.max()! : window.reduce(0, +) / Double(k * k))
            } }
        } }
        return y
    }

    static func expectClose(_ a: [Double], _ b: [Double], _ what: String) {
        expectEqual(a.count, b.count, "\(what): \(a.count) vs \(b.count) elements")
        for (x, y) in zip(a, b) { expectTrue(isClose(x, y, rel: 1e-12, abs: 1e-12), "\(what): \(x) vs \(y)") }
    }

    @Test(arguments: 1...40)
    func conv2dMatchesADirectLoop(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 31)
        let x = Self.images(&rng)
        let padding = Int.random(in: 0...2, using: &rng), stride = Int.random(in: 1...3, using: &rng)
        let out = Int.random(in: 1...3, using: &rng)
        let kh = Int.random(in: 1...(x.h + 2 * padding), using: &rng), kw = Int.random(in: 1...(x.w + 2 * padding), using: &rng)
        let w = (0..<out * x.c * kh * kw).map { _ in Double.random(in: -1...1, using: &rng) }
        let (shape, y) = try Self.evaluate(.conv2d, (x.shape, x.values), (.tensor([out, x.c, kh, kw]), w),
                                           Window(stride: stride, padding: padding))
        let oh = (x.h + 2 * padding - kh) / stride + 1, ow = (x.w + 2 * padding - kw) / stride + 1
        expectEqual(shape, .tensor((x.n.map { [$0] } ?? []) + [out, oh, ow]))
        Self.expectClose(y, Self.referenceConv(x, w, out: out, kh: kh, kw: kw, strideH: stride, strideW: stride,
                                               padH: padding, padW: padding), "seed \(seed)")
    }

    @Test(arguments: 1...40)
    func conv1dMatchesADirectLoop(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 37)
        var x = Self.images(&rng, maxSide: 8)
        x.h = 1
        x.values = Array(x.values.prefix(x.batch * x.c * x.w))
        let padding = Int.random(in: 0...2, using: &rng), stride = Int.random(in: 1...3, using: &rng)
        let out = Int.random(in: 1...3, using: &rng), k = Int.random(in: 1...(x.w + 2 * padding), using: &rng)
        let w = (0..<out * x.c * k).map { _ in Double.random(in: -1...1, using: &rng) }
        let xShape = Shape.tensor((x.n.map { [$0] } ?? []) + [x.c, x.w])
        let (shape, y) = try Self.evaluate(.conv1d, (xShape, x.values), (.tensor([out, x.c, k]), w),
                                           Window(stride: stride, padding: padding))
        let length = (x.w + 2 * padding - k) / stride + 1
        expectEqual(shape, .tensor((x.n.map { [$0] } ?? []) + [out, length]))
        Self.expectClose(y, Self.referenceConv(x, w, out: out, kh: 1, kw: k, strideH: 1, strideW: stride,
                                               padH: 0, padW: padding), "seed \(seed)")
    }

    @Test(arguments: 1...40)
    func poolingMatchesADirectLoop(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 41)
        let x = Self.images(&rng)
        let k = Int.random(in: 1...Swift.min(x.h, x.w), using: &rng), stride = Int.random(in: 1...3, using: &rng)
        for (op, isMax) in [(Op.maxpool2d, true), (.avgpool2d, false)] {
            let (shape, y) = try Self.evaluate(op, (x.shape, x.values), nil, Window(kernel: k, stride: stride))
            expectEqual(shape, .tensor((x.n.map { [$0] } ?? []) + [x.c, (x.h - k) / stride + 1, (x.w - k) / stride + 1]))
            Self.expectClose(y, Self.referencePool(x, kernel: k, stride: stride, max: isMax), "\(op.name) seed \(seed)")
        }
    }

    @Test func maxPoolSendsATiesGradientToTheFirstMaximumAndMarksAKink() throws {
        // One channel, 2×4, two 2×2 windows: the first all equal, the second with its maximum
        // (3) twice, at (0, 3) and (1, 2).
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([1, 2, 4]), [1, 1, 0, 3,
                                                    1, 1, 3, 2], name: "x")
        let y = try b.apply(.maxpool2d, x, window: Window(kernel: 2, stride: 2))
        let total = try b.apply(.sum, y)
        let tape = b.finish(output: total).tape
        let g = tape.adjoints(values: tape.evaluate())
        expectEqual(Array(g[0..<8]), [1, 0, 0, 1,
                                    0, 0, 0, 0])
        let checks = GradientCheck.check(tape)
        expectEqual(checks.filter(\.nearKink).map(\.element).sorted(), [0, 1, 3, 4, 5, 6])
    }

    @Test func biasAddsOneNumberPerChannel() throws {
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([2, 2, 1, 2]), [Double](repeating: 0, count: 8), name: "x")
        let bias = b.leaf(.param, .vector(2), [10, 20], name: "b")
        let y = try b.apply(.biasAdd, x, bias, window: Window(axis: 1))
        let total = try b.apply(.sum, y)
        let tape = b.finish(output: total).tape
        let v = tape.evaluate(), e = tape.entries[tape.output - 1]
        expectEqual(Array(v[Int(e.offset) ..< Int(e.offset) + 8]), [10, 10, 20, 20, 10, 10, 20, 20])
        // Each bias element reaches four outputs.
        expectEqual(Array(tape.adjoints(values: v)[8..<10]), [4, 4])
    }

    @Test func shapeErrorsSayWhatFits() {
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([3, 2, 2]), [Double](repeating: 0, count: 12))
        let w = b.leaf(.input, .tensor([4, 2, 3, 3]), [Double](repeating: 0, count: 72))
        let small = b.leaf(.input, .tensor([4, 3, 3, 3]), [Double](repeating: 0, count: 108))
        func message(_ body: () throws -> NodeID) -> String? {
            do { _ = try body() } catch { return (error as? ShapeError)?.description }
            return nil
        }
        expectEqual(message { try b.apply(.conv2d, x, w) }, "conv2d needs w of shape (out, C, kh, kw) with C = 3, got [4×2×3×3]")
        expectEqual(message { try b.apply(.conv2d, x, small) }, "kernel 3×3 does not fit a 2×2 image")
        expectEqual(message { try b.apply(.maxpool2d, x, window: Window(kernel: 3, stride: 3)) }, "kernel 3 does not fit a 2×2 image")
        let v = b.leaf(.input, .vector(2), [1, 2])
        expectEqual(message { try b.apply(.conv2d, v, w) }, "conv2d needs x of shape (C, H, W) or (N, C, H, W), got [2]")
        // With padding 1 the 3×3 kernel fits.
        #expect(throws: Never.self) { try b.apply(.conv2d, x, small, window: Window(padding: 1)) }
    }

    @Test func shapesOfRankThreeAndFourKeepTheirExtents() {
        let s = Shape.tensor([2, 3, 4, 5])
        expectTrue(s.dims == [2, 3, 4, 5] && s.count == 120 && s.rows == 24 && s.cols == 5)
        expectEqual(s.description, "[2×3×4×5]")
        expectEqual(Shape.tensor([3, 4, 5]).dims, [3, 4, 5])
        expectTrue(Shape.tensor([3, 4, 5]) != Shape.tensor([4, 3, 5]))
        expectTrue(Shape.tensor([12, 5]) != Shape.tensor([3, 4, 5]))
        expectTrue(MemoryLayout<TapeEntry>.stride == 32)
    }

    @Test func elementsOfRankFourAreNamedByFourIndices() throws {
        let s = Shape.tensor([2, 3, 4, 5])
        for k in [0, 1, 5, 20, 59, 60, 119] {
            let index = s.index(of: k)
            expectTrue(index.count == 4 && s.element(at: index) == k)
        }
        expectEqual(s.index(of: 1 * 60 + 2 * 20 + 3 * 5 + 4), [1, 2, 3, 4])
        expectTrue(s.element(at: [2, 0, 0, 0]) == nil && s.element(at: [0, 0, 0]) == nil)
        var b = TapeBuilder()
        let w = b.leaf(.param, s, [Double](repeating: 0.5, count: 120), name: "w")
        let y = try b.apply(.sum, w)
        let tape = b.finish(output: y).tape
        let seed = try ElementReference.seed("w[1,2,3,4]", in: tape).get()
        expectTrue(seed.element == 119 && seed.reference(tape) == "w[1,2,3,4]")
    }
}

/// Forward-over-reverse Hessian-vector products of the convolution, pooling, bias, reshape and
/// axis ops against central differences of the gradient, on every shape case of the op-derivative
/// tests (`sum(op(leaves) * w)`; a cube makes the second derivatives of the linear ops count).
@Test(arguments: opCases.filter { Op.windowed.contains($0.op) })
func windowedOpsHessianVectorProductsMatchFiniteDifferences(_ c: OpCase) throws {
    var rng = SplitMix64(seed: 23)
    for _ in 0..<2 {
        var b = TapeBuilder()
        let leaves = zip(c.shapes, c.domains).enumerated().map { k, sd in
            b.leaf(.input, sd.0, (0..<sd.0.count).map { _ in Double.random(in: sd.1, using: &rng) }, name: "x\(k)")
        }
        let y = if let target = c.target {
            try b.apply(c.op, leaves[0], leaves.count > 1 ? leaves[1] : nil, window: c.window, shape: target)
        } else {
            try b.apply(c.op, leaves[0], leaves.count > 1 ? leaves[1] : nil, window: c.window)
        }
        let cube = try b.apply(.mul, y, b.apply(.mul, y, y))
        let out = try b.apply(.sum, cube)
        HessianVectorTests.check(b.finish(output: out).tape, &rng, c.testDescription)
    }
}
