import Foundation
import Plot
import Screen

/// The loss curve L₀ … L_N as a `Plot` (step against loss), drawn by the Plot module for a
/// terminal (braille) and as SVG, with the contours of `ContourPlot` beside it for two
/// variables.
///
/// The vertical axis is logarithmic when every loss is positive and they span more than two
/// decades (descent usually does), linear otherwise; NaN and ∞ break the line.
public enum LossCurve {
    /// The curve as a plot; `current` marks one step on it (the explorer's iteration). With
    /// `validation` (the held-out loss at each step), a second, dashed curve beside it.
    public static func plot(_ losses: [Double], validation: [Double] = [], title: String? = nil, current: Int? = nil) -> Plot {
        let finite = (losses + validation).filter(\.isFinite)
        let logarithmic = (finite.min() ?? 0) > 0 && (finite.max() ?? 0) / (finite.min() ?? 1) > 100
        var series = [Plot.Series(validation.isEmpty ? "L(θ) at each step" : "training loss", points: losses.enumerated().map { Plot.Point(Double($0), $1) }, role: .value)]
        if !validation.isEmpty {
            series.append(Plot.Series("validation loss", points: validation.enumerated().map { Plot.Point(Double($0), $1) },
                                      role: .adjoint, dashed: true))
        }
        var plot = Plot(title: title, xLabel: "step", yLabel: logarithmic ? "loss (log scale)" : "loss",
                        series: series, logY: logarithmic)
        if let k = current, losses.indices.contains(k) {
            plot.markers.append(Plot.Marker(.current, x: Double(k), y: losses[k].isFinite ? losses[k] : nil))
        }
        return plot
    }

    /// The curve as lines of text for a terminal, about `width` columns by `height` rows of
    /// braille dots plus axes and labels.
    public static func braille(_ losses: [Double], validation: [Double] = [], width: Int = 60, height: Int = 8) -> [String] {
        guard losses.contains(where: \.isFinite), width > 1, height > 0 else { return [] }
        var canvas = Canvas(width: width + 10, height: height + 3)
        plot(losses, validation: validation).draw(into: &canvas, in: canvas.bounds)
        return canvas.lines().map { line in
            var l = line
            while l.last == " " { l.removeLast() }
            return l
        }
    }

    /// The curve as a standalone SVG document (640×360); with `contour` (a `ContourPlot` of
    /// the same run), the picture widens to 1040 to hold it on the right.
    public static func svg(_ losses: [Double], validation: [Double] = [], title: String, contour: Plot? = nil) -> String {
        var panels = [Plot.Panel(plot(losses, validation: validation, title: title), x: 0, y: 0, width: 640, height: 360)]
        // The contour panel's plot area is square (its margins are 88 px across, 84 down),
        // and so is ContourPlot's box: one unit is as long on both axes, so a right angle
        // (the zig-zag of exact line search) looks like one.
        let side = 360 + 88 - 84
        if let contour { panels.append(Plot.Panel(contour, x: 640, y: 0, width: side, height: 360)) }
        return Plot.svg(panels: panels, width: contour == nil ? 640 : 640 + side, height: 360)
    }
}
