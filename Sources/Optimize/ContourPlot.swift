import Foundation
import Plot

/// For a run over two variables: the loss's level lines around the path, with the path drawn
/// on them (Rosenbrock's banana valley, the zigzag of exact line search), as a `Plot` that the
/// Plot module draws into a terminal canvas or an SVG picture.
public enum ContourPlot {
    /// Grid cells per side.
    static let cells = 60

    /// Contours of `loss` over a box around `path` (its finite points, with a fifth of their
    /// span as margin), the path up to `upTo` (all of it by default) with its iterates as
    /// dots, and the axes named `names`. `square` gives both axes the larger span, for a
    /// square plot area (the SVG of `optimize --plot`).
    public static func plot(loss: (Double, Double) -> Double, path: [(Double, Double)], names: (String, String),
                            upTo: Int? = nil, title: String? = nil, square: Bool = false) -> Plot? {
        let points = path.filter { $0.0.isFinite && $0.1.isFinite }
        guard !points.isEmpty else { return nil }
        // With `square`, one span for both axes, the larger: on a square plot area
        // (LossCurve's panel) a unit is then as long across as up, so orthogonal steps look
        // orthogonal.
        func extent(_ v: [Double]) -> (mid: Double, span: Double) {
            let (lo, hi) = (v.min()!, v.max()!)
            return ((lo + hi) / 2, Swift.max(hi - lo, 1e-3 * Swift.max(1, Swift.abs(lo), Swift.abs(hi))))
        }
        let (ex, ey) = (extent(points.map(\.0)), extent(points.map(\.1)))
        let (sx, sy) = square ? (Swift.max(ex.span, ey.span), Swift.max(ex.span, ey.span)) : (ex.span, ey.span)
        let (xs, ys) = ((ex.mid - 0.6 * sx) ... (ex.mid + 0.6 * sx), (ey.mid - 0.6 * sy) ... (ey.mid + 0.6 * sy))
        let shown = path.prefix((upTo ?? path.count - 1) + 1)
        var plot = Plot(title: title, xLabel: names.0, yLabel: names.1,
                        series: [Plot.Series("path", points: shown.map { Plot.Point($0.0, $0.1) }, role: .adjoint, dots: true)],
                        contour: Plot.Contour(sampling: loss, x: xs, y: ys, cells: cells))
        if upTo != nil, let last = shown.last, last.0.isFinite, last.1.isFinite {
            plot.markers.append(Plot.Marker(.current, x: last.0, y: last.1))
        }
        return plot
    }
}
