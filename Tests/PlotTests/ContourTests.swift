import Foundation
import Plot
import Screen
import Testing

@Suite("Contour plots: level lines of a field under a path")
struct ContourTests {
    /// f(x, y) = x² + y² on [−1, 1]²: every level line is a circle.
    let bowl = Plot.Contour(sampling: { $0 * $0 + $1 * $1 }, x: -1...1, y: -1...1, cells: 40)

    @Test func levelsAreAscendingQuantilesOfTheField() {
        #expect(!bowl.levels.isEmpty && bowl.levels.count <= 17)
        #expect(zip(bowl.levels, bowl.levels.dropFirst()).allSatisfy { $0 < $1 })
        #expect(bowl.levels.first! > 0 && bowl.levels.last! < 2)
    }

    @Test func marchingSquaresTraceEachLevelOnItsCircle() {
        for level in bowl.levels {
            let segments = bowl.segments(level)
            #expect(!segments.isEmpty)
            for (a, b) in segments {
                // A chord of the circle r² = level: its ends lie on it up to the grid's
                // interpolation error (cells of 0.05).
                for p in [a, b] { #expect(abs(p.x * p.x + p.y * p.y - level) < 0.01, "\(p) on r² = \(level)") }
            }
        }
    }

    /// The bowl with a path from (0.8, 0.8) to the centre.
    var plot: Plot {
        Plot(xLabel: "x", yLabel: "y",
             series: [Plot.Series("path", points: [Plot.Point(0.8, 0.8), Plot.Point(0.4, 0.4), Plot.Point(0, 0)], role: .adjoint, dots: true)],
             markers: [Plot.Marker(.current, x: 0, y: 0)], contour: bowl)
    }

    @Test func theCanvasShowsLevelLinesMutedUnderThePathAndItsIterates() {
        var canvas = Canvas(width: 40, height: 20)
        plot.draw(into: &canvas, in: canvas.bounds)
        var roles: [Role: Int] = [:]
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                guard let cell = canvas[x, y], let u = cell.character.unicodeScalars.first, (0x2801...0x28FF).contains(u.value) else { continue }
                roles[cell.style.role, default: 0] += 1
            }
        }
        #expect(roles[.muted, default: 0] > 20, "level lines")
        #expect(roles[.adjoint, default: 0] > 3, "the path")
        #expect(canvas.text.filter { $0 == "•" }.count == 2, "the iterates not under the marker")
        #expect(canvas.text.contains("◉") && canvas.lines()[0].contains("current"))
        // Without the contour, the same plot has no muted braille.
        var bare = plot
        bare.contour = nil
        var plain = Canvas(width: 40, height: 20)
        bare.draw(into: &plain, in: plain.bounds)
        #expect(!(0..<20).contains { y in (0..<40).contains { x in
            plain[x, y]!.style.role == .muted && (0x2801...0x28FF).contains(plain[x, y]!.character.unicodeScalars.first!.value) } })
    }

    @Test func asciiLevelLinesAreDots() {
        var canvas = Canvas(width: 40, height: 20, glyphs: .ascii)
        plot.draw(into: &canvas, in: canvas.bounds)
        #expect(canvas.text.contains(".") && canvas.text.contains("o") && canvas.text.contains("@"))
        #expect(!canvas.text.unicodeScalars.contains { $0.value > 0x7F && $0 != "−" })
    }

    @Test func theContourBoxIsPartOfTheAxes() {
        var p = plot
        p.series = [Plot.Series("path", points: [Plot.Point(0, 0)])]
        p.markers = []
        let (xs, ys) = p.scales
        #expect(xs.lower <= -1 && xs.upper >= 1 && ys.lower <= -1 && ys.upper >= 1)
    }

    @Test func svgPanelsHoldTheLevelLinesThePathsDotsAndOneClipEach() {
        let svg = Plot.svg(panels: [Plot.Panel(Plot(series: [Plot.Series("a", points: [Plot.Point(0, 1), Plot.Point(1, 2)])]), x: 0, y: 0, width: 300, height: 200),
                                    Plot.Panel(plot, x: 300, y: 0, width: 300, height: 200)], width: 600, height: 200)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n") && svg.contains("width=\"600\""))
        #expect(svg.components(separatedBy: "<clipPath id=").count - 1 == 2)
        #expect(svg.contains("url(#plot-area)") && svg.contains("url(#plot-area-2)"))
        #expect(svg.components(separatedBy: "stroke=\"#9aa7b8\"").count - 1 == bowl.levels.count)
        // Three iterates, the first classed as the start.
        #expect(svg.components(separatedBy: "<circle class=\"point").count - 1 == 3)
        #expect(svg.contains("class=\"marker current\""))
    }

    @Test func aSinglePlotsSVGIsUnchangedByPanels() {
        let p = Plot(title: "t", series: [Plot.Series("a", points: [Plot.Point(0, 1), Plot.Point(1, 2)])])
        #expect(p.svg(width: 500, height: 300) == Plot.svg(panels: [Plot.Panel(p, x: 0, y: 0, width: 500, height: 300)], width: 500, height: 300))
        #expect(p.svg(width: 500, height: 300).contains("<clipPath id=\"plot-area\"><rect x=\"64\" y=\"36\""))
    }
}
