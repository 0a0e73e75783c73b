import Foundation
import GraphCore
import Plot
import Screen

/// The derivatives view's plots, built from GraphCore's numeric facts (`DifferenceSweep`,
/// `FunctionSamples`, `TaylorMode`'s coefficients) for the Plot module to draw.
enum DerivativePlots {
    /// Half the width of the interval f is plotted over, around the point a.
    static func halfWidth(_ a: Double) -> Double { Swift.max(1, 0.5 * Swift.abs(a)) }

    /// |difference − exact| against h on log-log axes, each difference's best h marked. An
    /// exact difference (error 0) is drawn at 1e-17, below anything measurable.
    static func sweep(_ s: DifferenceSweep) -> Plot {
        func y(_ e: Double) -> Double { e == 0 ? 1e-17 : e }
        var plot = Plot(title: "|difference − exact| against h", xLabel: "h", yLabel: "error",
                        series: [Plot.Series("forward", points: zip(s.steps, s.forwardError).map { Plot.Point($0, y($1)) }, role: .adjoint),
                                 Plot.Series("central", points: zip(s.steps, s.centralError).map { Plot.Point($0, y($1)) }, role: .tangent, dashed: true)],
                        logX: true, logY: true)
        for (best, errors) in [(s.bestForward, s.forwardError), (s.bestCentral, s.centralError)] {
            if let i = best { plot.markers.append(Plot.Marker(.best, x: s.steps[i], y: y(errors[i]))) }
        }
        return plot
    }

    /// f and f′ against x, kinks and undefined points marked, the point a marked.
    static func function(_ s: FunctionSamples, _ r: DerivativeReport) -> Plot {
        let kinks = Set(s.kinks)
        let f = zip(s.xs, s.values).map { Plot.Point($0, $1) }
        let df = (zip(s.xs, s.derivatives).map { Plot.Point($0, kinks.contains($0) ? .nan : $1) }
            + s.kinks.map { Plot.Point($0, .nan) }).sorted { $0.x < $1.x }
        var plot = Plot(xLabel: r.variable, yLabel: r.function,
                        series: [Plot.Series(r.function, points: f, role: .value),
                                 Plot.Series("\(r.function)′", points: df, role: .adjoint)],
                        yRange: Plot.robustRange(s.values + s.derivatives))
        plot.markers += zip(s.kinks, s.kinkValues).map { Plot.Marker(.kink, x: $0, y: $1) }
        plot.markers += s.undefined.map { Plot.Marker(.undefined, x: $0) }
        plot.markers.append(Plot.Marker(.current, x: r.point, y: r.value.isFinite ? r.value : nil))
        return plot
    }

    /// f against its Taylor polynomials T₁, T₂, T₃ at a (coefficients from Taylor mode), the
    /// y range fitted to f so the polynomials leave the frame where they part from it.
    static func taylor(_ s: FunctionSamples, coefficients c: [Double], _ r: DerivativeReport) -> Plot {
        let roles: [Role] = [.tangent, .adjoint, .kink]
        var series = [Plot.Series(r.function, points: zip(s.xs, s.values).map { Plot.Point($0, $1) }, role: .value)]
        for order in 1...3 where order < c.count {
            let points = s.xs.map { x in Plot.Point(x, polynomial(c, order: order, at: x - r.point)) }
            series.append(Plot.Series("T\(Format.subscripted(order))", points: points, role: roles[order - 1]))
        }
        var plot = Plot(xLabel: r.variable, yLabel: r.function, series: series, yRange: Plot.robustRange(s.values))
        plot.markers.append(Plot.Marker(.current, x: r.point, y: r.value.isFinite ? r.value : nil))
        return plot
    }

    /// c₀ + c₁·d + … + c_order·d^order.
    static func polynomial(_ c: [Double], order: Int, at d: Double) -> Double {
        c.prefix(order + 1).reversed().reduce(0) { $0 * d + $1 }
    }
}
