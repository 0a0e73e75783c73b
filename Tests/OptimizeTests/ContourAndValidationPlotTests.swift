import Foundation
import Optimize
import Plot
import Screen
import Testing
import TestSupport

/// Issue 24: the contour plot has one unit as long on both axes (a right angle looks like
/// one), and the loss curve carries the validation loss when there is one.
@Suite struct ContourAndValidationPlotTests {
    @Test func theContourBoxIsSquareAndItsPanelToo() throws {
        // A path ten times wider than tall.
        let plot = try #require(ContourPlot.plot(loss: { $0 * $0 + $1 * $1 }, path: [(0, 0), (10, 1)], names: ("a", "b"), square: true))
        let c = try #require(plot.contour)
        expectTrue(abs((c.x.upperBound - c.x.lowerBound) - (c.y.upperBound - c.y.lowerBound)) < 1e-12)
        let svg = LossCurve.svg([2, 1], title: "t", contour: plot)
        let clip = try #require(svg.split(separator: "\n").first { $0.contains("clipPath id=\"plot-area-2\"") })
        func attribute(_ name: String) -> Double? {
            guard let r = clip.range(of: "\(name)=\"") else { return nil }
            return Double(clip[r.upperBound...].prefix { $0 != "\"" })
        }
        expectTrue(attribute("width") != nil && attribute("width") == attribute("height"), "\(clip)")
    }

    @Test func theValidationLossIsASecondDashedCurve() {
        let plot = LossCurve.plot([4, 2, 1], validation: [4, 3, 3.5])
        expectEqual(plot.series.map(\.name), ["training loss", "validation loss"])
        expectTrue(plot.series[1].dashed && plot.series[1].points.map(\.y) == [4, 3, 3.5])
        expectEqual(LossCurve.braille([4, 2, 1], validation: [4, 3, 3.5]).first?.contains("validation loss"), true)
        expectContains(LossCurve.svg([4, 2, 1], validation: [4, 3, 3.5], title: "t"), "data-name=\"validation loss\"")
        expectEqual(LossCurve.plot([4, 2, 1]).series.count, 1)
    }
}

/// The optimiser's path starts with a green dot, as the manual says ("start in green").
@Test func thePathsStartIsGreen() throws {
    let plot = try #require(ContourPlot.plot(loss: { $0 * $0 + $1 * $1 }, path: [(1, 1), (0.5, 0.5), (0, 0)], names: ("a", "b")))
    let circles = plot.svg().split(separator: "\n").filter { $0.hasPrefix("<circle class=\"point") }
    expectEqual(circles.count, 3)
    expectTrue(circles.first?.contains("class=\"point start\"") == true && circles.first?.contains("fill=\"#2e9e44\"") == true)
    expectTrue(circles.dropFirst().allSatisfy { !$0.contains("#2e9e44") })
}
