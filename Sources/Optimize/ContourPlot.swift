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
    /// dots, and the axes named `names`.
    public static func plot(loss: (Double, Double) -> Double, path: [(Double, Double)], names: (String, String),
                            upTo: Int? = nil, title: String? = nil) -> Plot? {
        let points = path.filter { $0.0.isFinite && $0.1.isFinite }
        guard !points.isEmpty else { return nil }
        func range(_ v: [Double]) -> ClosedRange<Double> {
            let (lo, hi) = (v.min()!, v.max()!)
            let span = Swift.max(hi - lo, 1e-3 * Swift.max(1, Swift.abs(lo), Swift.abs(hi)))
            let mid = (lo + hi) / 2
            return (mid - 0.6 * span) ... (mid + 0.6 * span)
        }
        let (xs, ys) = (range(points.map(\.0)), range(points.map(\.1)))
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
