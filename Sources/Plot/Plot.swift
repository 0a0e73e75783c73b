import Foundation
import Screen

/// A line plot as data: series of (x, y) points, optional log axes, and markers (kinks,
/// undefined points, a best value). The same plot draws into a `Canvas` in braille
/// (`draw(into:in:)`) and as an SVG picture (`svg(width:height:theme:)`).
///
///     var plot = Plot(xLabel: "x", yLabel: "f")
///     plot.series.append(Plot.Series("f", points: xs.map { Plot.Point($0, sin($0)) }))
///     plot.markers.append(Plot.Marker(.kink, x: 0))
///     var canvas = Canvas(width: 72, height: 20)
///     plot.draw(into: &canvas, in: canvas.bounds)
///
/// NaN and ±∞ points (and, on a log axis, points ≤ 0) break a line instead of being drawn.
public struct Plot: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        public var x: Double
        public var y: Double
        public init(_ x: Double, _ y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// One curve, drawn in its role's colour.
    public struct Series: Hashable, Sendable {
        public var name: String
        public var points: [Point]
        public var role: Role
        /// Each point is also drawn as a dot (an optimiser's iterates along its path); in the
        /// SVG the first and last are larger.
        public var dots: Bool
        /// A scatter plot's class: each point is a mark of its own (no line joins them), the
        /// mark's shape chosen by `scatterShape`, so classes stay apart without colour.
        public var scatter: Bool
        /// The mark's shape among the scatter series (0, 1, 2, …): ● ▲ ■ ◇ in the terminal,
        /// o x + # in ASCII, circle, triangle, square, diamond in SVG.
        public var scatterShape: Int
        /// Drawn dashed (SVG) or with every other stretch of dots left out (braille), so two
        /// curves stay apart in print and without colour.
        public var dashed: Bool
        public init(_ name: String, points: [Point], role: Role = .value, dots: Bool = false,
                    scatter: Bool = false, scatterShape: Int = 0, dashed: Bool = false) {
            self.dashed = dashed
            self.name = name
            self.points = points
            self.role = role
            self.dots = dots
            self.scatter = scatter
            self.scatterShape = scatterShape
        }
    }

    /// A point of interest drawn on top of the curves.
    public struct Marker: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            /// A non-differentiable point (relu at 0, …).
            case kink
            /// f is NaN or infinite here; drawn on the x axis.
            case undefined
            /// The best value of a sweep (the smallest error, say).
            case best
            /// Where a stepper stands now (the current iteration of a descent).
            case current

            /// The role a marker of this kind is drawn in.
            public var role: Role {
                switch self {
                case .kink: .kink
                case .undefined: .error
                case .best, .current: .current
                }
            }
        }

        public var kind: Kind
        public var x: Double
        /// Where on the curve; nil puts the marker on the x axis.
        public var y: Double?
        public init(_ kind: Kind, x: Double, y: Double? = nil) {
            self.kind = kind
            self.x = x
            self.y = y
        }
    }

    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var markers: [Marker]
    public var logX: Bool
    public var logY: Bool
    /// Fixed y range (in data units); nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// A field f(x, y) drawn as level lines under the series (a loss surface under an
    /// optimiser's path); its box is part of the axes.
    public var contour: Contour?

    public init(title: String? = nil, xLabel: String = "x", yLabel: String = "y", series: [Series] = [],
                markers: [Marker] = [], logX: Bool = false, logY: Bool = false,
                yRange: ClosedRange<Double>? = nil, contour: Contour? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.markers = markers
        self.logX = logX
        self.logY = logY
        self.yRange = yRange
        self.contour = contour
    }

    // MARK: - Scales

    /// The axes fitted to the data: each covers every drawable point (or `yRange`).
    public var scales: (x: Scale, y: Scale) {
        let points = series.flatMap(\.points)
        var xs = points.map(\.x) + markers.map(\.x)
        var ys = points.map(\.y) + markers.compactMap(\.y)
        if let c = contour {
            xs += [c.x.lowerBound, c.x.upperBound]
            ys += [c.y.lowerBound, c.y.upperBound]
        }
        let y = yRange.map { Scale(fitting: [$0.lowerBound, $0.upperBound], log: logY) }
            ?? Scale(fitting: ys, log: logY)
        return (Scale(fitting: xs, log: logX), y)
    }

    /// The axes of the SVG: `scales`, with a margin for a scatter, whose marks (circles,
    /// squares) would be cut in half on the data's limits by the plot area's clip.
    public var paddedScales: (x: Scale, y: Scale) {
        let (x, y) = scales
        guard series.contains(where: \.scatter) else { return (x, y) }
        return (x.widened(by: 0.05), yRange == nil ? y.widened(by: 0.05) : y)
    }

    /// Scatter points that another class has at exactly the same place, by series: those
    /// are drawn apart (SVG) or as one mark that says several classes are there (terminal).
    public var coincidentPoints: [Point: Set<Int>] {
        var classes: [Point: Set<Int>] = [:]
        for (k, s) in series.enumerated() where s.scatter {
            for p in s.points { classes[p, default: []].insert(k) }
        }
        return classes.filter { $0.value.count > 1 }
    }

    /// A y range that keeps most of the data and leaves out spikes (poles such as 1/(1 − x)
    /// near 1): the 2nd to 98th percentile of the finite values, widened by a tenth.
    public static func robustRange(_ values: [Double]) -> ClosedRange<Double>? {
        let v = values.filter(\.isFinite).sorted()
        guard let first = v.first, let last = v.last else { return nil }
        let lo = v[Int(Double(v.count - 1) * 0.02)], hi = v[Int((Double(v.count - 1) * 0.98).rounded(.up))]
        let margin = (hi - lo) * 0.1
        let range = Swift.max(first, lo - margin) ... Swift.min(last, hi + margin)
        return range.lowerBound < range.upperBound ? range : nil
    }
}

/// One axis: a data interval mapped onto [0, 1], linear or logarithmic (base 10), with tick
/// positions at round numbers (1, 2 or 5 × 10ᵏ) or at decades.
public struct Scale: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var log: Bool

    public init(lower: Double, upper: Double, log: Bool) {
        self.lower = lower
        self.upper = upper
        self.log = log
    }

    /// The smallest interval holding every drawable value (1 on either side of a single value).
    public init(fitting values: [Double], log: Bool) {
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }.map { log ? Swift.min(308, Swift.max(-308, Foundation.log10($0))) : $0 }
        var lo = usable.min() ?? 0, hi = usable.max() ?? 1
        if log { lo = lo.rounded(.down); hi = hi.rounded(.up) }
        if hi - lo < 1e-12 * Swift.max(1, Swift.abs(lo)) {
            lo -= 1
            hi += 1
        }
        self.init(lower: lo, upper: hi, log: log)
    }

    /// The axis with `fraction` of its length added on each side (a decade on a log axis).
    public func widened(by fraction: Double) -> Scale {
        let pad = log ? 0 : (upper - lower) * fraction
        return Scale(lower: lower - pad, upper: upper + pad, log: log)
    }

    /// A value's position on the axis, 0 at `lower` and 1 at `upper`; nil if it cannot be
    /// drawn (not finite, or ≤ 0 on a log axis).
    public func position(_ v: Double) -> Double? {
        guard v.isFinite, !log || v > 0 else { return nil }
        let t = log ? Foundation.log10(v) : v
        return (t - lower) / (upper - lower)
    }

    /// The data value at `position` (0 at `lower`, 1 at `upper`): `position(_:)` inverted.
    public func value(at position: Double) -> Double {
        let t = lower + position * (upper - lower)
        return log ? Foundation.pow(10, t) : t
    }

    /// Tick values (in data units) at about `count` round positions inside the axis.
    public func ticks(_ count: Int) -> [Double] {
        if log {
            let decades = Int(upper - lower)
            let every = Swift.max(1, Int((Double(decades) / Double(Swift.max(1, count))).rounded(.up)))
            return stride(from: Int(lower.rounded(.up)), through: Int(upper.rounded(.down)), by: every)
                .map { Foundation.pow(10, Double($0)) }
        }
        let raw = (upper - lower) / Double(Swift.max(1, count))
        let magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var t = (lower / step).rounded(.up) * step
        while t <= upper + step * 1e-9 && ticks.count < 50 {
            ticks.append(Swift.abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    /// A tick's label: `1e-5` on a log axis, else up to three significant digits.
    public func label(_ v: Double) -> String {
        if log { return "1e\(Int(Foundation.log10(v).rounded()))" }
        return Plot.number(v)
    }
}

extension Plot {
    /// Up to three significant digits, a true minus sign: `0.5`, `−2`, `1500`, `2.5e+07`;
    /// from 1000 to a million as a whole number (a step axis reads 1000, not 1e+03).
    public static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        if Swift.abs(v) >= 1000 && Swift.abs(v) < 1e6 {
            let unit = Foundation.pow(10, (Foundation.log10(Swift.abs(v))).rounded(.down) - 2)
            return String(Int64((v / unit).rounded() * unit)).replacingOccurrences(of: "-", with: "−")
        }
        var s = String(format: "%.3g", v)
        if s.contains(".") && !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s.replacingOccurrences(of: "-", with: "−")
    }
}
