// Convolution and pooling over images with channels, as PyTorch computes them: the geometry of
// a window sliding over an image (`Window`, `WindowGeometry`) and the loops over flat buffers
// that `Op+Tensor.swift` and `HessianVector.swift` call for `conv1d`, `conv2d`, `maxpool2d`,
// `avgpool2d` and `bias_add`. Values are row-major: x[n, c, i, j] is element
// ((n·C + c)·H + i)·W + j, a weight w[o, c, p, q] element ((o·C + c)·kh + p)·kw + q.

/// The attributes a shape cannot carry: a pooling op's kernel size, a convolution's or pooling
/// op's stride and zero padding, and the channel axis `bias_add` adds along. Stored in the
/// tape entry itself (one byte each, see `Limits.maximumWindowSize`); a pool whose axes
/// differ keeps an index there instead (`Window.pooling`, `Convolution+Pooling.swift`).
public struct Window: Hashable, Sendable {
    /// Side of a square pooling window (as `maxpool2d(x, 2)`; read a pool's window through
    /// `pool`); 0 for a convolution, whose kernel size is its weight's shape.
    public var kernel: UInt8
    public var stride: UInt8
    public var padding: UInt8
    /// The axis of the channels for `bias_add`: 0 for (C, …), 1 for (N, C, …).
    public var axis: UInt8

    /// No window: every op that is not a convolution or pooling op.
    public static let none = Window(kernel: 0, stride: 1, padding: 0, axis: 0)

    public init(kernel: Int = 0, stride: Int = 1, padding: Int = 0, axis: Int = 0) {
        precondition([kernel, stride, padding, axis].allSatisfy { (0...Limits.maximumWindowSize).contains($0) })
        self.kernel = UInt8(kernel)
        self.stride = UInt8(stride)
        self.padding = UInt8(padding)
        self.axis = UInt8(axis)
    }
}

/// Where a window slides: the input (n images of c channels, h × w), the output (n images of
/// `out` channels, oh × ow), the kernel (kh × kw), strides and zero padding. A 1-D convolution
/// is a 2-D one over images of height 1 with kernels of height 1.
public struct WindowGeometry: Equatable, Sendable {
    public var n: Int, c: Int, h: Int, w: Int
    public var out: Int
    public var kh: Int, kw: Int
    public var sh: Int, sw: Int
    public var ph: Int, pw: Int
    public var oh: Int { (h + 2 * ph - kh) / sh + 1 }
    public var ow: Int { (w + 2 * pw - kw) / sw + 1 }

    /// The geometry of `op` (conv1d, conv2d or a pooling op) on an input of shape `x` and, for
    /// a convolution, a weight of shape `weight`, or the error a user should read.
    static func checked(_ op: Op, x: Shape, weight: Shape?, window: Window) throws(ShapeError) -> WindowGeometry {
        let p = Int(window.padding)
        // A pool's stride is checked with its other numbers (`checkPooling`).
        guard op.windowFamily == .pool || window.stride >= 1 else { throw ShapeError(description: "\(op.name) needs a stride ≥ 1") }
        switch op.windowFamily {
        case nil:
            throw ShapeError(description: "\(op.name) is not a convolution or pooling op")
        case .conv1d:
            guard x.rank == 2 || x.rank == 3 else {
                throw ShapeError(description: "conv1d needs x of shape (C, L) or (N, C, L), got \(x)")
            }
            let c = x.dims[x.rank == 2 ? 0 : 1], wd = weight?.dims ?? []
            guard wd.count == 3, wd[1] == c else {
                throw ShapeError(description: "conv1d needs w of shape (out, C, k) with C = \(c), got \(weight ?? .scalar)")
            }
        case .conv2d:
            guard x.rank == 3 || x.rank == 4 else {
                throw ShapeError(description: "conv2d needs x of shape (C, H, W) or (N, C, H, W), got \(x)")
            }
            let c = x.dims[x.rank == 3 ? 0 : 1], wd = weight?.dims ?? []
            guard wd.count == 4, wd[1] == c else {
                throw ShapeError(description: "conv2d needs w of shape (out, C, kh, kw) with C = \(c), got \(weight ?? .scalar)")
            }
        case .pool:
            guard x.rank == 3 || x.rank == 4 else {
                throw ShapeError(description: "\(op.name) needs x of shape (C, H, W) or (N, C, H, W), got \(x)")
            }
            try checkPooling(op, WindowGeometry(op, x: x, weight: nil, window: window))
        }
        let g = WindowGeometry(op, x: x, weight: weight, window: window)
        // Only an output too large to describe at all is refused here (the extents must fit
        // the tape's 32-bit fields); the builder's `checkSize` applies the limit of its mode.
        let elements = Limits.product([g.n, g.out, Swift.max(g.oh, 1), Swift.max(g.ow, 1)]) ?? Int.max
        if elements > Limits.maximumShapeOnlyTensorElements {
            throw ShapeError(description: "the \(op.name) output would have \(elements == Int.max ? "too many" : Limits.grouped(elements)) elements; "
                + "a tensor may have at most \(Limits.grouped(Limits.maximumTensorElements))")
        }
        if op == .conv1d, g.w + 2 * p < g.kw {
            throw ShapeError(description: "kernel \(g.kw) does not fit a signal of length \(g.w)" + padded(p))
        }
        if g.h + 2 * g.ph < g.kh || g.w + 2 * g.pw < g.kw {
            let kernel = "\(g.kh)×\(g.kw)"
            throw ShapeError(description: "kernel \(kernel) does not fit a \(g.h)×\(g.w) image" + padded(p))
        }
        return g
    }

    /// The geometry of a shape-checked entry (see `checked`).
    public init(_ op: Op, x: Shape, weight: Shape?, window: Window) {
        // A convolution's stride and padding; a pool reads its own from `window.pool`.
        let d = x.dims, s = Int(window.stride), p = Int(window.padding)
        let wd = weight?.dims ?? []
        switch op.windowFamily {
        case nil:
            preconditionFailure("\(op.name) has no window geometry")
        case .conv1d:
            let (n, c, l) = x.rank == 2 ? (1, d[0], d[1]) : (d[0], d[1], d[2])
            self.init(n: n, c: c, h: 1, w: l, out: wd[0], kh: 1, kw: wd[2], sh: 1, sw: s, ph: 0, pw: p)
        case .conv2d:
            let (n, c, h, w) = x.rank == 3 ? (1, d[0], d[1], d[2]) : (d[0], d[1], d[2], d[3])
            self.init(n: n, c: c, h: h, w: w, out: wd[0], kh: wd[2], kw: wd[3], sh: s, sw: s, ph: p, pw: p)
        case .pool:
            let (n, c, h, w) = x.rank == 3 ? (1, d[0], d[1], d[2]) : (d[0], d[1], d[2], d[3])
            let p = window.pool
            self.init(n: n, c: c, h: h, w: w, out: c, kh: p.kh, kw: p.kw, sh: p.sh, sw: p.sw, ph: p.ph, pw: p.pw)
        }
    }

    init(n: Int, c: Int, h: Int, w: Int, out: Int, kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int) {
        (self.n, self.c, self.h, self.w, self.out) = (n, c, h, w, out)
        (self.kh, self.kw, self.sh, self.sw, self.ph, self.pw) = (kh, kw, sh, sw, ph, pw)
    }

    /// Multiply-adds (comparisons for max-pooling) of one forward evaluation of `op`: every
    /// output element reads a kh × kw window of each input channel (a convolution) or of its
    /// own channel (pooling). Nil when the count overflows an `Int`.
    func work(of op: Op) -> Int? {
        let channels = op == .conv1d || op == .conv2d ? c : 1
        return Limits.product([n, out, Swift.max(oh, 1), Swift.max(ow, 1), channels, kh, kw])
    }

    /// Throws when one evaluation of `op` on these shapes would pass `Limits.maximumWindowWork`.
    static func checkWork(_ op: Op, x: Shape, weight: Shape?, window: Window) throws(ShapeError) {
        guard op == .conv1d || op == .conv2d || op == .maxpool2d || op == .avgpool2d else { return }
        let g = WindowGeometry(op, x: x, weight: weight, window: window)
        let work = g.work(of: op)
        guard let work, work <= Limits.maximumWindowWork else {
            let kernel = op == .conv1d ? "\(g.kw)" : "\(g.kh)×\(g.kw)"
            let count = work.map { Limits.grouped($0) } ?? "more than \(Limits.grouped(Int.max))"
            throw ShapeError(description: "\(op.name) with a \(kernel) kernel over \(x) would take \(count) multiply-adds per evaluation; "
                + "one op may take at most \(Limits.grouped(Limits.maximumWindowWork))")
        }
    }

    private static func padded(_ p: Int) -> String { p == 0 ? "" : " padded by \(p)" }

    /// The output's shape: the input's rank, with `out` channels of oh × ow (or of length ow
    /// for a 1-D convolution).
    func outputShape(of op: Op, inputRank: UInt8) -> Shape {
        if op == .conv1d { return .tensor(inputRank == 2 ? [out, ow] : [n, out, ow]) }
        return .tensor(inputRank == 3 ? [out, oh, ow] : [n, out, oh, ow])
    }

    // MARK: - Convolution (cross-correlation, zero padding)

    /// Calls `body(y, x, w)` for every product x[x]·w[w] that output element y sums, outputs
    /// in row-major order and, within one, its window's taps in (c, p, q) order, the taps in
    /// the zero padding left out: y[n, o, i, j] = Σ_{c, p, q} x[n, c, i·sh + p − ph, j·sw + q − pw]
    /// · w[o, c, p, q]. The one loop nest behind the primal, both VJPs and the neuron view.
    @inline(__always)
    public func forEachProduct(_ body: (_ y: Int, _ x: Int, _ w: Int) -> Void) {
        let (oh, ow) = (self.oh, self.ow)
        for b in 0..<n { for o in 0..<out { for i in 0..<oh { for j in 0..<ow {
            let y = ((b * out + o) * oh + i) * ow + j
            for ch in 0..<c { for p in 0..<kh {
                let ii = i * sh + p - ph
                guard ii >= 0 && ii < h else { continue }
                let xRow = ((b * c + ch) * h + ii) * w, wRow = ((o * c + ch) * kh + p) * kw
                for q in 0..<kw {
                    let jj = j * sw + q - pw
                    if jj >= 0 && jj < w { body(y, xRow + jj, wRow + q) }
                }
            } }
        } } } }
    }
}

extension TapeEntry {
    /// The geometry of this convolution or pooling entry over its operands.
    public func geometry(_ ea: TapeEntry, _ eb: TapeEntry) -> WindowGeometry {
        WindowGeometry(op, x: ea.shape, weight: op.arity == 2 ? eb.shape : nil, window: window)
    }

    /// For `bias_add`: the number of elements per channel (the extents after the channel
    /// axis) and the number of channels.
    public var biasLayout: (inner: Int, channels: Int) {
        let d = shape.dims, axis = Int(window.axis)
        return (d[(axis + 1)...].reduce(1, *), d[axis])
    }
}
