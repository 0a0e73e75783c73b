import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plot
import Screen
import Testing

@Suite("Plot drawn into a Canvas and as SVG")
struct PlotDrawingTests {
    /// y = x on [0, 1]: a diagonal.
    var diagonal: Plot {
        Plot(xLabel: "x", yLabel: "y", series: [Plot.Series("y", points: (0...40).map { Plot.Point(Double($0) / 40, Double($0) / 40) })])
    }

    @Test func aDiagonalRisesFromBottomLeftToTopRightInBraille() {
        var canvas = Canvas(width: 30, height: 10)
        diagonal.draw(into: &canvas, in: canvas.bounds)
        let lines = canvas.lines()
        let braille = { (s: Substring) in s.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }
        // Rows 1…7 are the plot area (row 0 is the legend): the curve's lowest row has braille at
        // the left, its top row at the right.
        let rows = (1..<lines.count - 2).filter { braille(Substring(lines[$0])) }
        let top = rows.min()!, bottom = rows.max()!
        func firstBraille(_ row: Int) -> Int { Array(lines[row]).firstIndex { braille(Substring(String($0))) }! }
        #expect(firstBraille(top) > firstBraille(bottom))
        #expect(lines[0].contains("y"), "legend")
        #expect(lines.last!.contains("0") && lines.last!.contains("1"), "x tick labels")
        #expect(lines.contains { $0.contains("└") }, "axes")
    }

    @Test func seriesAreDrawnInTheirRoles() {
        var canvas = Canvas(width: 30, height: 10)
        var plot = diagonal
        plot.series[0].role = .adjoint
        plot.draw(into: &canvas, in: canvas.bounds)
        let roles = (0..<canvas.height).flatMap { y in (0..<canvas.width).compactMap { x -> Role? in
            guard let cell = canvas[x, y], (0x2801...0x28FF).contains(cell.character.unicodeScalars.first!.value) else { return nil }
            return cell.style.role
        } }
        #expect(!roles.isEmpty && roles.allSatisfy { $0 == .adjoint })
    }

    @Test func nanBreaksTheLine() {
        // Two runs with a NaN between them: no dot is drawn in the middle columns.
        let points = (0...40).map { i -> Plot.Point in
            let x = Double(i) / 40
            return Plot.Point(x, (0.4...0.6).contains(x) ? .nan : 0.5)
        }
        var canvas = Canvas(width: 40, height: 8)
        Plot(series: [Plot.Series("y", points: points)], yRange: 0...1).draw(into: &canvas, in: canvas.bounds)
        let area = canvas.lines().dropFirst().dropLast(2)
        let column = { (c: Int) in area.contains { Array($0)[c] != " " && (0x2800...0x28FF).contains(Array($0)[c].unicodeScalars.first!.value) } }
        let left = canvas.lines()[1].firstIndex(of: "│").map { canvas.lines()[1].distance(from: canvas.lines()[1].startIndex, to: $0) } ?? 0
        let middle = left + 1 + (39 - left) / 2
        #expect(!column(middle), "gap at the NaNs")
        #expect(column(left + 2) && column(38), "both runs drawn")
    }

    @Test func markersAreDrawnAndNamedInTheLegend() {
        var plot = diagonal
        plot.markers = [Plot.Marker(.kink, x: 0.5, y: 0.5), Plot.Marker(.undefined, x: 0.25)]
        var canvas = Canvas(width: 40, height: 10)
        plot.draw(into: &canvas, in: canvas.bounds)
        let text = canvas.text
        #expect(text.contains("◆") && text.contains("×"))
        #expect(canvas.lines()[0].contains("kink") && canvas.lines()[0].contains("undefined"))
        var ascii = Canvas(width: 40, height: 10, glyphs: .ascii)
        plot.draw(into: &ascii, in: ascii.bounds)
        let allASCII = ascii.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII, "ASCII glyphs draw only ASCII")
        #expect(ascii.text.contains("*") && ascii.text.contains("K"))
    }

    @Test func logLogAxesLabelDecades() {
        let points = [1e-1, 1e-4, 1e-8].map { Plot.Point($0, $0 * $0) }
        var canvas = Canvas(width: 60, height: 12)
        Plot(series: [Plot.Series("e", points: points)], logX: true, logY: true).draw(into: &canvas, in: canvas.bounds)
        #expect(canvas.text.contains("1e-8") && canvas.text.contains("1e-1"))
    }

    @Test(arguments: [(0, 0), (1, 1), (11, 4), (12, 5), (3, 40)])
    func tinyCanvasesDoNotTrap(width: Int, height: Int) {
        var canvas = Canvas(width: width, height: height)
        diagonal.draw(into: &canvas, in: canvas.bounds)
        var empty = Canvas(width: width, height: height)
        Plot().draw(into: &empty, in: empty.bounds)
        #expect(canvas.width == max(0, width))
    }

    @Test func svgHasOnePolylinePerUnbrokenRunAndIsWellFormed() throws {
        let points = [Plot.Point(0, 0), Plot.Point(1, 1), Plot.Point(2, .nan), Plot.Point(3, 1), Plot.Point(4, 0)]
        var plot = Plot(title: "f & <g>", series: [Plot.Series("f", points: points, role: .value)])
        plot.markers = [Plot.Marker(.kink, x: 1, y: 1), Plot.Marker(.best, x: 3, y: 1), Plot.Marker(.undefined, x: 2)]
        let svg = plot.svg(width: 400, height: 300)
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("f &amp; &lt;g&gt;"), "text is escaped")
        #expect(svg.contains("class=\"marker kink\"") && svg.contains("class=\"marker best\"") && svg.contains("class=\"marker undefined\""))
        #expect(svg.contains(Theme.default.color(for: .value)!.hex), "the series in its role's colour")
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "well-formed XML")
    }

    @Test func ansiLinesColourCellsByRole() {
        var canvas = Canvas(width: 30, height: 10)
        diagonal.draw(into: &canvas, in: canvas.bounds)
        let lines = canvas.ansiLines()
        let value = Theme.default.color(for: .value)!
        #expect(lines.joined().contains("\u{1B}[38;2;\(value.red);\(value.green);\(value.blue)m"))
        // Stripping the escapes gives the plain text back (trailing blanks aside).
        let stripped = lines.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        #expect(stripped == canvas.lines().map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) })
    }
}
