import Foundation

// The ops that work along one axis of a tensor, defined once, here: a slice (what subscripts
// and slices select), concat, and the sum along an axis. Each sees its operand as (P, D, Q):
// P the product of the extents before the axis, D the axis's extent, Q the product of those
// after it, so element (p, d, q) is at (p·D + d)·Q + q (row-major). All three are linear, and
// each kernel is one pass over the elements: O(n) time and no memory beyond the result, where
// the products with 0/1 matrices they replace took O(n²).
//
// The axis is in the tape entry's `Window` (`Window.along`), and a slice's first position with
// it; the result's shape is the entry's own (`TapeBuilder.apply(_:_:_:window:shape:)`).

/// An op along one axis: `Op.along(AxisOp)`.
public enum AxisOp: UInt8, CaseIterable, Sendable, Hashable {
    /// Positions start ..< start + K of the axis, K read from the result's shape; a result of
    /// lower rank than the operand has dropped the axis (one position, `x[i]`). The JVP slices
    /// the tangent; the VJP scatters the adjoint back into those positions, the others get 0.
    case slice
    /// Two operands joined along the axis, the first's positions first (`concat(a, b, axis=k)`,
    /// numpy.concatenate); the VJP splits the adjoint into the two parts.
    case concat
    /// Σ along the axis; the result keeps the axis with extent 1 when its rank is the
    /// operand's (keepdim). The VJP broadcasts the adjoint back along the axis.
    case sum

    /// The op's name in the trace's tables and pictures.
    public var name: String {
        switch self {
        case .slice: "slice"
        case .concat: "concat"
        case .sum: "sum_axis"
        }
    }

    public var arity: Int {
        switch self {
        case .slice, .sum: 1
        case .concat: 2
        }
    }

    /// The formula without the entry's axis and positions (`Tape.formula` writes those).
    func formula(_ a: String, _ b: String) -> String {
        switch self {
        case .slice: "\(a)[…]"
        case .concat: "concat(\(a), \(b))"
        case .sum: "Σ \(a) along an axis"
        }
    }

    /// The VJP in words, with `ḡ` the incoming adjoint.
    func partialFormula(_ k: Int) -> String {
        switch self {
        case .slice: "ḡ into the sliced positions, 0 elsewhere"
        case .concat: k == 0 ? "ḡ's first part along the axis" : "ḡ's second part along the axis"
        case .sum: "ḡ repeated along the axis"
        }
    }

    /// The JVP, with `t` operand k's tangent.
    func jvpFormula(_ k: Int, _ t: String) -> String {
        switch self {
        case .slice: "\(t)[…]"
        case .concat: k == 0 ? "concat(\(t), 0)" : "concat(0, \(t))"
        case .sum: "Σ \(t) along the axis"
        }
    }
}

extension Op {
    public static let slice = Op.along(.slice)
    public static let concat = Op.along(.concat)
    public static let sumAxis = Op.along(.sum)
}

extension Window {
    /// The window of an axis op: the axis, and a slice's first position, kept in the three
    /// bytes a convolution's kernel, stride and padding use (up to 2²⁴ − 1, past any extent
    /// `Limits.maximumTensorElements` allows).
    public static func along(axis: Int, start: Int = 0) -> Window {
        precondition((0..<4).contains(axis) && (0..<(1 << 24)).contains(start))
        var w = Window.none
        w.axis = UInt8(axis)
        w.kernel = UInt8(start & 0xff)
        w.stride = UInt8((start >> 8) & 0xff)
        w.padding = UInt8(start >> 16)
        return w
    }

    /// A slice's first position (see `along`).
    public var start: Int { Int(kernel) | Int(stride) << 8 | Int(padding) << 16 }
}

extension AxisOp {
    /// (P, D, Q) of `shape` around `axis`: the extents before it multiplied, its own, and the
    /// extents after it multiplied. A scalar is (1, 1, 1).
    public static func layout(_ shape: Shape, axis: Int) -> (p: Int, d: Int, q: Int) {
        let dims = shape.dims
        guard axis < dims.count else { return (1, 1, 1) }
        return (dims[..<axis].reduce(1, *), dims[axis], dims[(axis + 1)...].reduce(1, *))
    }

    /// The shape of positions `range` along `axis` of `shape`: that extent `range.count`, or
    /// the axis dropped when `drop` (one position).
    public static func sliceShape(_ shape: Shape, axis: Int, range: Range<Int>, drop: Bool) -> Shape {
        var dims = shape.dims
        if drop { dims.remove(at: axis) } else { dims[axis] = range.count }
        return .tensor(dims)
    }

    /// The shape of the sum along `axis`: that extent dropped, or 1 when `keep`.
    public static func reducedShape(_ shape: Shape, axis: Int, keep: Bool) -> Shape {
        var dims = shape.dims
        if keep { dims[axis] = 1 } else { dims.remove(at: axis) }
        return .tensor(dims)
    }

    /// The shape of `a` and `b` joined along `axis`, or the error naming the extent that differs.
    public static func concatShape(_ a: Shape, _ b: Shape, axis: Int) throws(ShapeError) -> Shape {
        let da = a.dims, db = b.dims
        guard da.count == db.count, !da.isEmpty else {
            throw ShapeError(description: "concat needs two tensors of one rank (two vectors, two matrices, two images), got \(a) and \(b)")
        }
        for k in da.indices where k != axis && da[k] != db[k] {
            throw ShapeError(description: "concat along axis \(axis) needs the other extents equal; axis \(k) differs (\(da[k]) and \(db[k]))")
        }
        var dims = da
        dims[axis] += db[axis]
        return .tensor(dims)
    }

    /// The shape `Op.resultShape` gives from the operands and the window alone: one position
    /// of a slice (the axis kept), the two joined, the sum with the axis dropped. Other
    /// slices and a kept axis are given to the builder with their shape.
    func defaultShape(_ s: [Shape], window: Window) throws(ShapeError) -> Shape {
        let axis = Int(window.axis)
        guard !s[0].isScalar, axis < s[0].rank else {
            throw ShapeError(description: "\(name) needs a tensor with an axis \(axis), got \(s[0])")
        }
        switch self {
        case .slice:
            let start = window.start
            guard start < s[0].dims[axis] else {
                throw ShapeError(description: "position \(start) is out of range for axis \(axis) of \(s[0])")
            }
            return AxisOp.sliceShape(s[0], axis: axis, range: start ..< start + 1, drop: false)
        case .concat: return try AxisOp.concatShape(s[0], s[1], axis: axis)
        case .sum: return AxisOp.reducedShape(s[0], axis: axis, keep: false)
        }
    }

    /// Whether `result` is what this op gives on `operands` along `window`'s axis: what the
    /// builder checks before it trusts a given shape.
    func accepts(_ operands: [Shape], result: Shape, window: Window) -> Bool {
        let a = operands[0], axis = Int(window.axis)
        guard axis < Swift.max(Int(a.rank), 1) else { return false }
        switch self {
        case .slice:
            let (p, d, q) = AxisOp.layout(a, axis: axis), k = result.count / Swift.max(p * q, 1)
            guard window.start + k <= d, k >= 1, result.count == p * k * q else { return false }
            let drop = result.rank < a.rank
            return drop ? k == 1 && result == AxisOp.sliceShape(a, axis: axis, range: 0..<1, drop: true)
                : result == AxisOp.sliceShape(a, axis: axis, range: 0..<k, drop: false)
        case .concat:
            return (try? AxisOp.concatShape(a, operands[1], axis: axis)) == result
        case .sum:
            return !a.isScalar && (result == AxisOp.reducedShape(a, axis: axis, keep: false)
                || result == AxisOp.reducedShape(a, axis: axis, keep: true))
        }
    }
}

// MARK: - Kernels

extension TapeEntry {
    /// (P, D, Q) of operand `ea` around this entry's axis, and K, the result's extent along it
    /// (a slice's count, the sum's 1).
    public func axisLayout(_ ea: TapeEntry) -> (p: Int, d: Int, q: Int, k: Int) {
        let (p, d, q) = AxisOp.layout(ea.shape, axis: Int(window.axis))
        return (p, d, q, count / Swift.max(p * q, 1))
    }

    /// `y = f(a, b)` from the operands' numbers in `x` into `y`: the values, or (every axis op
    /// being linear) the tangents.
    func alongForward(_ f: AxisOp, _ ea: TapeEntry, _ eb: TapeEntry, _ x: UnsafeMutablePointer<Double>,
                      into y: UnsafeMutablePointer<Double>) {
        let a = x + Int(ea.offset)
        let (p, d, q, k) = axisLayout(ea)
        switch f {
        case .slice:
            // Row p of the result is the K·Q numbers from (p, start, 0) on: one contiguous run.
            let run = k * q, start = window.start * q
            for row in 0..<p { (y + row * run).update(from: a + row * d * q + start, count: run) }
        case .concat:
            let b = x + Int(eb.offset), (_, db, _) = AxisOp.layout(eb.shape, axis: Int(window.axis))
            let runA = d * q, runB = db * q
            for row in 0..<p {
                (y + row * (runA + runB)).update(from: a + row * runA, count: runA)
                (y + row * (runA + runB) + runA).update(from: b + row * runB, count: runB)
            }
        case .sum:
            for row in 0..<p {
                let out = y + row * q, source = a + row * d * q
                for j in 0..<q { out[j] = source[j] }
                for i in 1 ..< Swift.max(d, 1) { for j in 0..<q { out[j] += source[i * q + j] } }
            }
        }
    }

    /// Adds operand `which`'s share of the adjoint `g` (this entry's slice) into `out` (that
    /// operand's slice): the transpose of `alongForward`.
    func alongAdjoint(_ f: AxisOp, _ which: Int, _ ea: TapeEntry, _ eb: TapeEntry,
                      _ g: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let (p, d, q, k) = axisLayout(ea)
        switch f {
        case .slice:
            let run = k * q, start = window.start * q
            for row in 0..<p {
                let into = out + row * d * q + start, from = g + row * run
                for j in 0..<run { into[j] += from[j] }
            }
        case .concat:
            let (_, db, _) = AxisOp.layout(eb.shape, axis: Int(window.axis))
            let runA = d * q, runB = db * q, (skip, run) = which == 0 ? (0, runA) : (runA, runB)
            for row in 0..<p {
                let into = out + row * run, from = g + row * (runA + runB) + skip
                for j in 0..<run { into[j] += from[j] }
            }
        case .sum:
            for row in 0..<p {
                let from = g + row * q, into = out + row * d * q
                for i in 0..<d { for j in 0..<q { into[i * q + j] += from[j] } }
            }
        }
    }

    /// NumPy's subscripts of a slice along the axis, `[:, 1:3]` or `[0]`, given the
    /// operand's shape; `, axis=k` for the others.
    func alongText(_ f: AxisOp, _ ea: TapeEntry) -> String {
        let axis = Int(window.axis)
        switch f {
        case .slice:
            let (_, _, _, k) = axisLayout(ea), start = window.start
            let at = rank < ea.rank ? "\(start)" : "\(start):\(start + k)"
            return "[" + (Array(repeating: ":", count: axis) + [at]).joined(separator: ", ") + "]"
        case .concat, .sum:
            return ", axis=\(axis)" + (f == .sum && rank == ea.rank ? ", keepdim" : "")
        }
    }
}

extension Tape {
    /// The formula of an axis op with its axis and positions: `v₀[:, 1:3]`,
    /// `concat(v₀, v₁, axis=1)`, `Σ(v₀, axis=0)`.
    func alongFormula(_ f: AxisOp, _ e: TapeEntry) -> String {
        let a = label(Int(e.a)), text = e.alongText(f, entries[Int(e.a)])
        switch f {
        case .slice: return a + text
        case .concat: return "concat(\(a), \(label(Int(e.b)))\(text))"
        case .sum: return "Σ(\(a)\(text))"
        }
    }
}
