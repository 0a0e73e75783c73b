/// A rectangle of terminal cells: `x` columns from the left, `y` rows from the top.
///
/// Layout is done by splitting rectangles, never by arithmetic scattered over the panes:
///
///     let (body, status) = screen.splitOff(bottom: 1)
///     let panes = body.columns([.fraction(0.6), .fill])   // graph | inspector
///
/// Every operation tolerates empty and negative sizes and returns empty rectangles rather than
/// trapping, so drawing into a 0×0 terminal is harmless.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var area: Int { width * height }

    public var description: String { "Rect(x: \(x), y: \(y), width: \(width), height: \(height))" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The cells both rectangles cover; empty (at the nearer corner) when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    public func intersects(_ other: Rect) -> Bool { !intersection(other).isEmpty }

    // MARK: - Insets

    /// Shrinks the rectangle by `amount` on every side (a pane's inside, without its border).
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    public func inset(dx: Int, dy: Int) -> Rect {
        inset(top: dy, left: dx, bottom: dy, right: dx)
    }

    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let w = max(0, width - left - right), h = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: w, height: h)
    }

    // MARK: - Splitting

    /// The size of one part when splitting a rectangle.
    public enum Length: Hashable, Sendable {
        /// Exactly this many cells (or what is left, if less).
        case fixed(Int)
        /// This fraction of the whole length, rounded down (0.5 = half).
        case fraction(Double)
        /// An equal share of what the fixed and fractional parts leave over.
        case fill
    }

    public enum Axis: Hashable, Sendable {
        /// Side by side, left to right (the parts are columns).
        case horizontal
        /// One above the other, top to bottom (the parts are rows).
        case vertical
    }

    /// Splits into parts along `axis`. Fixed parts are served first, then fractions, then `.fill`
    /// parts share the rest. When there is no `.fill` and the fractions add up to 1, rounding
    /// leftovers go to the last fractional part, so `[.fraction(0.5), .fraction(0.5)]` covers
    /// all 11 columns of an odd width. Parts that do not fit come back empty.
    public func split(_ axis: Axis, _ lengths: [Length]) -> [Rect] {
        let total = axis == .horizontal ? width : height
        var sizes = lengths.map { length -> Int in
            switch length {
            case .fixed(let n): return max(0, n)
            case .fraction(let f):
                guard f.isFinite, f > 0 else { return 0 }
                return Int((Double(total) * min(f, 1)).rounded(.down))
            case .fill: return 0
            }
        }
        // Clamp in order so the parts never exceed the whole.
        var remaining = total
        for i in sizes.indices {
            sizes[i] = min(sizes[i], remaining)
            remaining -= sizes[i]
        }
        let fills = lengths.indices.filter { lengths[$0] == .fill }
        if !fills.isEmpty {
            for (k, i) in fills.enumerated() {
                sizes[i] = remaining / fills.count + (k < remaining % fills.count ? 1 : 0)
            }
        } else if remaining > 0 {
            let fractions = lengths.compactMap { if case .fraction(let f) = $0 { f } else { nil } }
            if let last = lengths.lastIndex(where: { if case .fraction = $0 { true } else { false } }),
               fractions.reduce(0, +) >= 0.999 {
                sizes[last] += remaining
            }
        }
        var offset = axis == .horizontal ? x : y
        return sizes.map { size in
            defer { offset += size }
            return axis == .horizontal
                ? Rect(x: offset, y: y, width: size, height: height)
                : Rect(x: x, y: offset, width: width, height: size)
        }
    }

    /// Side-by-side parts, left to right.
    public func columns(_ lengths: [Length]) -> [Rect] { split(.horizontal, lengths) }

    /// Stacked parts, top to bottom.
    public func rows(_ lengths: [Length]) -> [Rect] { split(.vertical, lengths) }

    /// Cuts `n` rows off the top: `(top, rest)`.
    public func splitOff(top n: Int) -> (Rect, Rect) {
        let parts = rows([.fixed(n), .fill]); return (parts[0], parts[1])
    }

    /// Cuts `n` rows off the bottom: `(rest, bottom)`.
    public func splitOff(bottom n: Int) -> (Rect, Rect) {
        let parts = rows([.fill, .fixed(min(max(0, n), height))]); return (parts[0], parts[1])
    }

    /// Cuts `n` columns off the left: `(left, rest)`.
    public func splitOff(left n: Int) -> (Rect, Rect) {
        let parts = columns([.fixed(n), .fill]); return (parts[0], parts[1])
    }

    /// Cuts `n` columns off the right: `(rest, right)`.
    public func splitOff(right n: Int) -> (Rect, Rect) {
        let parts = columns([.fill, .fixed(min(max(0, n), width))]); return (parts[0], parts[1])
    }

    /// A rectangle of at most `width` × `height` centred in this one (dialogs, help overlay).
    public func centered(width w: Int, height h: Int) -> Rect {
        let w = min(max(0, w), width), h = min(max(0, h), height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}
