import Synchronization

// Max and average pooling as `torch.nn.functional.max_pool2d` / `avg_pool2d` compute them: a
// kh × kw window, sh rows and sw columns apart, over the image padded by ph rows and pw
// columns on each side. Max pooling pads with −∞ (a padded cell is never the maximum), average
// pooling with zeros that count in the divisor (PyTorch's default `count_include_pad=True`):
// every window's sum is divided by kh·kw. The loops visit only the part of a window inside
// the image, so the padding costs nothing and is never stored.

/// A pooling op's window: kernel kh × kw, strides sh and sw, padding ph and pw on each side.
public struct PoolWindow: Hashable, Sendable {
    public var kh: Int, kw: Int
    public var sh: Int, sw: Int
    public var ph: Int, pw: Int

    public init(kh: Int, kw: Int, sh: Int, sw: Int, ph: Int = 0, pw: Int = 0) {
        (self.kh, self.kw, self.sh, self.sw, self.ph, self.pw) = (kh, kw, sh, sw, ph, pw)
    }

    /// True when both axes have the same kernel, stride and padding: the four bytes of a
    /// `Window` hold it directly.
    public var isSquare: Bool { kh == kw && sh == sw && ph == pw }

    /// The arguments as the language writes them, `kernel=3, stride=2, padding=1` or
    /// `kernel=[2, 3], stride=[1, 2]` (padding left out when there is none): what a trace's
    /// formula shows after the operand.
    public var arguments: String {
        func pair(_ a: Int, _ b: Int) -> String { a == b ? "\(a)" : "[\(a), \(b)]" }
        var text = "kernel=\(pair(kh, kw)), stride=\(pair(sh, sw))"
        if ph != 0 || pw != 0 { text += ", padding=\(pair(ph, pw))" }
        return text
    }
}

extension Window {
    /// Marks (in `axis`, which no pooling op uses) a window whose kernel, stride or padding
    /// differ between the axes: its six numbers do not fit the entry's four bytes, so they are
    /// kept once in `PoolWindowTable` and the other three bytes hold their index. A square
    /// pool keeps its kernel, stride and padding in the bytes themselves.
    static let tabled: UInt8 = 1

    /// The window of a pooling op, or nil when the process already holds 2²⁴ different
    /// rectangular windows (far past what any graph writes). Every number is from 0 to
    /// `Limits.maximumWindowSize`.
    public static func pooling(_ p: PoolWindow) -> Window? {
        if p.isSquare { return Window(kernel: p.kh, stride: p.sh, padding: p.ph) }
        precondition([p.kh, p.kw, p.sh, p.sw, p.ph, p.pw].allSatisfy { (0...Limits.maximumWindowSize).contains($0) })
        guard let index = PoolWindowTable.index(of: p) else { return nil }
        var w = Window.none
        w.axis = tabled
        w.kernel = UInt8(index & 0xff)
        w.stride = UInt8((index >> 8) & 0xff)
        w.padding = UInt8(index >> 16)
        return w
    }

    /// A pooling op's window (see `pooling`).
    public var pool: PoolWindow {
        if axis == Window.tabled { return PoolWindowTable.window(at: Int(kernel) | Int(stride) << 8 | Int(padding) << 16) }
        let k = Int(kernel), s = Int(stride), p = Int(padding)
        return PoolWindow(kh: k, kw: k, sh: s, sw: s, ph: p, pw: p)
    }
}

/// The rectangular pooling windows of this process, each stored once: a tape entry is 32
/// bytes (a scalar node costs 48 while it is differentiated), which leaves four bytes for a
/// window, and two kernel sides, two strides and two paddings of up to 255 need six. Equal
/// windows get equal indices, so entries still compare by value. Only grows, by one small
/// record per distinct window a graph writes.
enum PoolWindowTable {
    private struct Table {
        var windows: [PoolWindow] = []
        var index: [PoolWindow: Int] = [:]
    }

    private static let table = Mutex(Table())
    static let capacity = 1 << 24

    static func index(of p: PoolWindow) -> Int? {
        table.withLock { t in
            if let k = t.index[p] { return k }
            guard t.windows.count < capacity else { return nil }
            t.windows.append(p)
            t.index[p] = t.windows.count - 1
            return t.windows.count - 1
        }
    }

    static func window(at k: Int) -> PoolWindow { table.withLock { $0.windows[k] } }
}

extension TapeEntry {
    /// A pooling entry's formula over its operand, the window named as the language writes it
    /// (`maxpool2d(v₀, kernel=3, stride=2, padding=1)`); nil for every other op.
    public func poolFormula(_ operand: String) -> String? {
        op.windowFamily == .pool ? "\(op.name)(\(operand), \(window.pool.arguments))" : nil
    }
}

/// The part of one pooling window inside the image: its first element's index in the input
/// and its extent, `rows` × `cols` elements at start + p·w + q. The rest of the window is
/// padding.
public struct PoolSpan: Sendable {
    public var start: Int
    public var rows: Int
    public var cols: Int
}

extension WindowGeometry {
    /// Throws unless a pooling window fits: padding at most half the kernel (PyTorch's rule,
    /// which keeps a real element in every window) and the kernel within the padded image.
    static func checkPooling(_ op: Op, _ g: WindowGeometry) throws(ShapeError) {
        guard g.kh >= 1, g.kw >= 1 else { throw ShapeError(description: "\(op.name) needs a kernel size ≥ 1") }
        guard g.sh >= 1, g.sw >= 1 else { throw ShapeError(description: "\(op.name) needs a stride ≥ 1") }
        for (p, k) in [(g.ph, g.kh), (g.pw, g.kw)] where 2 * p > k {
            throw ShapeError(description: "\(op.name)'s padding \(p) is more than half its kernel \(k): "
                + "pad by at most \(k / 2), as PyTorch, so that every window holds an element of the image")
        }
        if g.h + 2 * g.ph < g.kh || g.w + 2 * g.pw < g.kw {
            let kernel = g.kh == g.kw ? "\(g.kh)" : "\(g.kh)×\(g.kw)"
            let padding = g.ph == g.pw ? (g.ph == 0 ? "" : " padded by \(g.ph)") : " padded by \(g.ph)×\(g.pw)"
            throw ShapeError(description: "kernel \(kernel) does not fit a \(g.h)×\(g.w) image" + padding)
        }
    }

    /// Calls `body(k, span)` for output element k and the part of its window inside the
    /// image, outputs in row-major order.
    @inline(__always)
    public func forEachWindow(_ body: (Int, PoolSpan) -> Void) {
        let (oh, ow) = (self.oh, self.ow)
        var k = 0
        for plane in 0..<(n * c) { for i in 0..<oh {
            let top = i * sh - ph
            let r0 = Swift.max(top, 0), r1 = Swift.min(top + kh, h)
            for j in 0..<ow {
                let left = j * sw - pw
                let c0 = Swift.max(left, 0), c1 = Swift.min(left + kw, w)
                body(k, PoolSpan(start: (plane * h + r0) * w + c0, rows: r1 - r0, cols: c1 - c0))
                k += 1
            }
        } }
    }

    /// Calls `body(index)` for every input element of the window, row by row.
    @inline(__always)
    public func forEachElement(of s: PoolSpan, _ body: (Int) -> Void) {
        for p in 0..<s.rows { for q in 0..<s.cols { body(s.start + p * w + q) } }
    }

    /// The index in the input of the window's maximum: the first one in scan order (row by
    /// row) when several are equal, as PyTorch's CPU kernel picks. The padding is −∞ and
    /// never chosen.
    @inline(__always)
    public func argmax(_ x: UnsafePointer<Double>, _ s: PoolSpan) -> Int {
        var best = s.start
        forEachElement(of: s) { at in if x[at] > x[best] { best = at } }
        return best
    }

    /// True when the window holds its maximum more than once: the gradient's choice of the
    /// first is a convention there (a kink).
    func hasTiedMaximum(_ x: UnsafePointer<Double>, _ s: PoolSpan) -> Bool {
        let top = x[argmax(x, s)]
        var seen = 0
        forEachElement(of: s) { at in if x[at] == top { seen += 1 } }
        return seen > 1
    }

    /// The divisor of an average pool: the whole kh × kw window, padding included
    /// (`count_include_pad=True`).
    var windowSize: Double { Double(kh * kw) }

    /// Sum of the window's elements in the image (the padding adds zeros).
    @inline(__always)
    func windowSum(_ x: UnsafePointer<Double>, _ s: PoolSpan) -> Double {
        var total = 0.0
        forEachElement(of: s) { at in total += x[at] }
        return total
    }

    /// Adds `value` to every element of the window in the image.
    @inline(__always)
    func spread(_ value: Double, into x: UnsafeMutablePointer<Double>, _ s: PoolSpan) {
        forEachElement(of: s) { at in x[at] += value }
    }
}
