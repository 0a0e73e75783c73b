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
        let loss = { (a: Double, b: Double) -> Double in a * a + b * b }
        let path: [(Double, Double)] = [(0, 0), (10, 1)]
        let plot = try #require(ContourPlot.plot(loss: loss, path: path, names: ("a", "b"), square: true))
        let c = try #require(plot.contour)
        let width: Double = c.x.upperBound - c.x.lowerBound, height: Double = c.y.upperBound - c.y.lowerBound
        expectTrue(abs(width - height) < 1e-12)
        let svg = LossCurve.svg([2, 1], title: "t", contour: plot)
        let clip = try #require(svg.split(separator: "\n").first { (line: Substring) -> Bool in line.contains("clipPath id=\"plot-area-2\"") })
        func attribute(_ name: String) -> Double? {
            guard let r = clip.range(of: "\(name)=\"") else { return nil }
            return Double(clip[r.upperBound...].prefix { (ch: Character) -> Bool in ch != "\"" })
        }
        let clipWidth: Double? = attribute("width"), clipHeight: Double? = attribute("height")
        expectTrue(clipWidth != nil && clipWidth == clipHeight, "\(clip)")
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
    let loss = { (a: Double, b: Double) -> Double in a * a + b * b }
    let path: [(Double, Double)] = [(1, 1), (0.5, 0.5), (0, 0)]
    let plot = try #require(ContourPlot.plot(loss: loss, path: path, names: ("a", "b")))
    let circles: [Substring] = plot.svg().split(separator: "\n").filter { (line: Substring) -> Bool in line.hasPrefix("<circle class=\"point") }
    expectEqual(circles.count, 3)
    let first: Substring = try #require(circles.first)
    let isStart: Bool = first.contains("class=\"point start\""), isGreen: Bool = first.contains("fill=\"#2e9e44\"")
    expectTrue(isStart && isGreen)
    expectTrue(circles.dropFirst().allSatisfy { (line: Substring) -> Bool in !line.contains("#2e9e44") })
}
