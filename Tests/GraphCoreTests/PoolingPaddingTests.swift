import GraphCore
import Testing
import TestSupport

/// Max and average pooling with padding and rectangular windows, as
/// `torch.nn.functional.max_pool2d` / `avg_pool2d` define them: forward values and VJPs
/// against loops written here over an explicitly padded copy of the input (−∞ for the max,
/// zeros for the mean, divided by all kh·kw cells as `count_include_pad=True`), small cases
/// worked by hand, central differences and forward against reverse mode.
@Suite("Pooling with padding and rectangular windows")
struct PoolingPaddingTests {
    typealias Images = ConvolutionTests.Images

    /// Each window of the padded image: its values and the input index of each (nil for a
    /// padded cell), row by row.
    static func windows(_ x: Images, _ p: PoolWindow) -> [[(value: Double, index: Int?)]] {
        let oh = (x.h + 2 * p.ph - p.kh) / p.sh + 1, ow = (x.w + 2 * p.pw - p.kw) / p.sw + 1
        var out: [[(value: Double, index: Int?)]] = []
        for b in 0..<x.batch { for c in 0..<x.c { for i in 0..<oh { for j in 0..<ow {
            var cells: [(value: Double, index: Int?)] = []
            for r in 0..<p.kh { for q in 0..<p.kw {
                let (ii, jj) = (i * p.sh + r - p.ph, j * p.sw + q - p.pw)
                if ii >= 0 && ii < x.h && jj >= 0 && jj < x.w {
                    cells.append((x.at(b, c, ii, jj), ((b * x.c + c) * x.h + ii) * x.w + jj))
                } else {
                    cells.append((0, nil))
                }
            } }
            out.append(cells)
        } } } }
        return out
    }

    /// The first maximum of a window in scan order, a padded cell counting as −∞.
    static func firstMaximum(_ cells: [(value: Double, index: Int?)]) -> Int {
        var best: (value: Double, index: Int)? = nil
        for cell in cells {
            guard let at = cell.index else { continue }
            if best == nil || cell.value > best!.value { best = (cell.value, at) }
        }
        return best!.index
    }

    static func referenceForward(_ x: Images, _ p: PoolWindow, max: Bool) -> [Double] {
        windows(x, p).map { cells in
            max ? x.values[firstMaximum(cells)] : cells.reduce(0) { $0 + $1.value } / Double(p.kh * p.kw)
        }
    }

    /// ∂/∂x of Σ_k r[k]·y[k].
    static func referenceVJP(_ x: Images, _ p: PoolWindow, max: Bool, _ r: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: x.values.count)
        for (k, cells) in windows(x, p).enumerated() {
            if max {
                g[firstMaximum(cells)] += r[k]
            } else {
                for cell in cells { if let at = cell.index { g[at] += r[k] / Double(p.kh * p.kw) } }
            }
        }
        return g
    }

    /// Σ r ⊙ pool(x) on a tape: the pooled node, the tape, and x's leaf.
    static func weightedPool(_ op: Op, _ x: Images, _ p: PoolWindow, _ r: [Double]) throws -> (pooled: Int, tape: Tape) {
        var b = TapeBuilder()
        let xn = b.leaf(.input, x.shape, x.values, name: "x")
        let y = try b.apply(op, xn, window: try #require(Window.pooling(p)))
        let rn = b.leaf(.constant, b.shape(of: y), r)
        let total = try b.apply(.sum, try b.apply(.mul, y, rn))
        let tape = b.finish(output: total).tape
        return (tape.entries.indices.first { tape.entries[$0].op == op }!, tape)
    }

    static func randomWindow(_ x: Images, _ rng: inout SplitMix64) -> PoolWindow {
        let kh = Int.random(in: 1...Swift.min(x.h + 2, 4), using: &rng), kw = Int.random(in: 1...Swift.min(x.w + 2, 4), using: &rng)
        // Padding at most half the kernel, and enough for the kernel to fit.
        let ph = Int.random(in: Swift.max(0, (kh - x.h + 1) / 2)...(kh / 2), using: &rng)
        let pw = Int.random(in: Swift.max(0, (kw - x.w + 1) / 2)...(kw / 2), using: &rng)
        return PoolWindow(kh: kh, kw: kw, sh: Int.random(in: 1...3, using: &rng), sw: Int.random(in: 1...3, using: &rng), ph: ph, pw: pw)
    }

    @Test(arguments: 1...40)
    func paddedRectangularPoolsMatchDirectLoops(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 43)
        let x = ConvolutionTests.images(&rng)
        let p = Self.randomWindow(x, &rng)
        guard x.h + 2 * p.ph >= p.kh, x.w + 2 * p.pw >= p.kw else { return }
        let oh = (x.h + 2 * p.ph - p.kh) / p.sh + 1, ow = (x.w + 2 * p.pw - p.kw) / p.sw + 1
        let count = x.batch * x.c * oh * ow
        let r = (0..<count).map { _ in Double.random(in: -1...1, using: &rng) }
        for (op, isMax) in [(Op.maxpool2d, true), (.avgpool2d, false)] {
            let what = "\(op.name) \(p) seed \(seed)"
            let (pooled, tape) = try Self.weightedPool(op, x, p, r)
            let e = tape.entries[pooled], v = tape.evaluate()
            #expect(e.shape == .tensor((x.n.map { [$0] } ?? []) + [x.c, oh, ow]), "\(what)")
            ConvolutionTests.expectClose(Array(v[Int(e.offset) ..< Int(e.offset) + e.count]), Self.referenceForward(x, p, max: isMax), what)
            let g = tape.adjoints(values: v)
            ConvolutionTests.expectClose(Array(g[0 ..< x.values.count]), Self.referenceVJP(x, p, max: isMax, r), what + " VJP")
            // Forward mode along a random direction gives ⟨x̄, d⟩.
            let d = x.values.map { _ in Double.random(in: -1...1, using: &rng) }
            let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: 0, direction: d))
            let dot = zip(g[0 ..< x.values.count], d).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(isClose(t[Int(tape.entries[tape.output].offset)], dot, rel: 1e-12, abs: 1e-12), "\(what) forward")
            // Central differences (random values: no window's maximum is tied).
            for result in GradientCheck.check(tape) {
                #expect(GradientCheck.Verdict(result) == .pass, "\(what) element \(result.element)")
            }
        }
    }

    /// The neuron view: a max-pool's element is its window's maximum's own node, an average
    /// pool's the sum of the window's elements in the image over kh·kw; values, tangents and
    /// gradients as in the tensor view.
    @Test(arguments: 1...10)
    func theNeuronViewHasTheTensorViewsNumbers(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 47)
        let x = ConvolutionTests.images(&rng, maxSide: 5)
        let p = Self.randomWindow(x, &rng)
        let oh = (x.h + 2 * p.ph - p.kh) / p.sh + 1, ow = (x.w + 2 * p.pw - p.kw) / p.sw + 1
        let r = (0..<x.batch * x.c * oh * ow).map { _ in Double.random(in: -1...1, using: &rng) }
        for op in [Op.maxpool2d, .avgpool2d] {
            let tape = try Self.weightedPool(op, x, p, r).tape
            expectSameNumbers(tape, try tape.scalarExpansion(), "\(op.name) \(p) seed \(seed)")
        }
    }

    @Test func aPaddedThreeByThreeStrideTwoPoolWorkedByHand() throws {
        // x = 1 … 9 in a 3×3 image; kernel 3, stride 2, padding 1: four windows centred on the
        // corners, each holding the 2×2 block of the image at that corner.
        let x = Images(n: nil, c: 1, h: 3, w: 3, values: (1...9).map(Double.init))
        let p = PoolWindow(kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1)
        let ones = [Double](repeating: 1, count: 4)
        let (maxNode, maxTape) = try Self.weightedPool(.maxpool2d, x, p, ones)
        let v = maxTape.evaluate(), e = maxTape.entries[maxNode]
        #expect(e.shape == .tensor([1, 2, 2]))
        #expect(Array(v[Int(e.offset) ..< Int(e.offset) + 4]) == [5, 6, 8, 9])
        // Each maximum is one element of the image: 5, 6, 8 and 9 get 1 each.
        #expect(Array(maxTape.adjoints(values: v)[0..<9]) == [0, 0, 0, 0, 1, 1, 0, 1, 1])
        // The mean divides by all 9 cells, the 5 padded zeros counted: (1+2+4+5)/9 …
        let (avgNode, avgTape) = try Self.weightedPool(.avgpool2d, x, p, ones)
        let a = avgTape.evaluate(), ea = avgTape.entries[avgNode]
        let expected: [Double] = [12.0 / 9, 16.0 / 9, 24.0 / 9, 28.0 / 9]
        ConvolutionTests.expectClose(Array(a[Int(ea.offset) ..< Int(ea.offset) + 4]), expected, "avg")
        // … and each element gets 1/9 per window it lies in: the centre 4, the edges 2, corners 1.
        ConvolutionTests.expectClose(Array(avgTape.adjoints(values: a)[0..<9]), [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 9 }, "avg VJP")
    }

    @Test func aRectangularWindowWorkedByHand() throws {
        // 2×4 image, kernel 1×2, stride (1, 2): each row's pairs.
        let x = Images(n: nil, c: 1, h: 2, w: 4, values: [1, 5, 2, 0,
                                                           3, 3, 7, 8])
        let p = PoolWindow(kh: 1, kw: 2, sh: 1, sw: 2)
        let r: [Double] = [1, 2, 3, 4]
        let (m, mt) = try Self.weightedPool(.maxpool2d, x, p, r)
        let v = mt.evaluate()
        #expect(mt.entries[m].shape == .tensor([1, 2, 2]))
        let maxStart = Int(mt.entries[m].offset)
        let maxes: [Double] = [5, 2, 3, 8]
        let maxValues: [Double] = Array(v[maxStart ..< maxStart + 4])
        #expect(maxValues == maxes)
        // The tie 3, 3 sends its adjoint to the first.
        let maxAdjoints: [Double] = [0, 1, 2, 0, 3, 0, 0, 4], maxGradient: [Double] = Array(mt.adjoints(values: v)[0..<8])
        #expect(maxGradient == maxAdjoints)
        let (a, at) = try Self.weightedPool(.avgpool2d, x, p, r)
        let u = at.evaluate()
        let meanStart = Int(at.entries[a].offset)
        let means: [Double] = [3, 1, 3, 7.5], meanAdjoints: [Double] = [0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2]
        let meanValues: [Double] = Array(u[meanStart ..< meanStart + 4]), meanGradient: [Double] = Array(at.adjoints(values: u)[0..<8])
        #expect(meanValues == means)
        #expect(meanGradient == meanAdjoints)
    }

    @Test func windowsThatDoNotFitAreShapeErrors() {
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([1, 2, 3]), [Double](repeating: 0, count: 6))
        func message(_ p: PoolWindow) -> String? {
            do { _ = try b.apply(.maxpool2d, x, window: Window.pooling(p)!) } catch { return error.description }
            return nil
        }
        #expect(message(PoolWindow(kh: 3, kw: 1, sh: 1, sw: 1)) == "kernel 3×1 does not fit a 2×3 image")
        #expect(message(PoolWindow(kh: 5, kw: 2, sh: 1, sw: 1, ph: 1, pw: 0)) == "kernel 5×2 does not fit a 2×3 image padded by 1×0")
        #expect(message(PoolWindow(kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 1))
                == "maxpool2d's padding 2 is more than half its kernel 3: pad by at most 1, as PyTorch, so that every window holds an element of the image")
        #expect(message(PoolWindow(kh: 2, kw: 1, sh: 1, sw: 0)) == "maxpool2d needs a stride ≥ 1")
        // The padding lets a kernel taller than the image fit.
        #expect(message(PoolWindow(kh: 4, kw: 2, sh: 1, sw: 1, ph: 1, pw: 0)) == nil)
    }

    @Test func aRectangularWindowKeepsTheEntryAtThirtyTwoBytes() throws {
        let p = PoolWindow(kh: 255, kw: 1, sh: 7, sw: 255, ph: 127, pw: 0)
        let w = try #require(Window.pooling(p))
        #expect(w.pool == p && Window.pooling(p) == w)
        #expect(Window.pooling(PoolWindow(kh: 1, kw: 255, sh: 7, sw: 255, ph: 0, pw: 127)) != w)
        // A square window is stored in the bytes themselves, as before.
        #expect(Window.pooling(PoolWindow(kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1)) == Window(kernel: 3, stride: 2, padding: 1))
        #expect(MemoryLayout<TapeEntry>.stride == 32)
    }
}
