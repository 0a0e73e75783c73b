import Foundation
import Plot
import Screen
import Testing

/// Issue 24's plot statements: tick labels read as numbers, two curves stay apart without
/// colour, coincident points of different classes are visible and points on the limits whole.
@Suite struct StatementPlotTests {
    @Test func ticksFromAThousandToAMillionAreWholeNumbers() {
        #expect(Plot.number(1000) == "1000")
        #expect(Plot.number(2500) == "2500")
        #expect(Plot.number(1234.5) == "1230")
        #expect(Plot.number(-1500) == "−1500")
        #expect(Plot.number(0.25) == "0.25")
        #expect(Plot.number(2.5e7).contains("e"))
        #expect(Scale(lower: 0, upper: 3000, log: false).ticks(4).map(Scale(lower: 0, upper: 3000, log: false).label)
                == ["0", "1000", "2000", "3000"])
    }

    /// Two flat lines, one dashed: in braille the dashed one lights about two thirds of the cells, and
    /// the legend shows each series' own swatch; in SVG the dashed one has a dash pattern.
    @Test func aDashedSeriesIsDrawnApartFromASolidOne() {
        let xs = stride(from: 0.0, through: 10, by: 0.5)
        let plot = Plot(series: [Plot.Series("solid", points: xs.map { Plot.Point($0, 1) }),
                                 Plot.Series("dashed", points: xs.map { Plot.Point($0, 0) }, role: .tangent, dashed: true)])
        var canvas = Canvas(width: 50, height: 12)
        plot.draw(into: &canvas, in: canvas.bounds)
        let lines = canvas.lines()
        #expect(lines[0].contains("⣿ solid") && lines[0].contains("⠒⠀⠒ dashed"), "\(lines[0])")
        func brailleCells(_ line: String) -> Int { line.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }
        let rows = lines.dropFirst().map(brailleCells).filter { $0 > 0 }
        #expect(rows.count == 2)
        #expect(rows.min()! * 5 < rows.max()! * 4, "\(rows)")
        let svg = plot.svg()
        let dashed = svg.split(separator: "\n").filter { $0.contains("stroke-dasharray") }
        #expect(dashed.contains { $0.contains("data-name=\"dashed\"") })
        #expect(!dashed.contains { $0.contains("data-name=\"solid\"") })
    }

    /// Class 0 and class 1 both have a point at (1, 2): the terminal shows ✱ there, the SVG
    /// sets the two marks side by side; in the SVG, points on the data's limits lie inside the axes.
    @Test func coincidentPointsOfTwoClassesStayVisible() {
        let plot = Plot(series: [Plot.Series("a", points: [Plot.Point(0, 0), Plot.Point(1, 2)], scatter: true),
                                 Plot.Series("b", points: [Plot.Point(1, 2), Plot.Point(2, 4)], role: .adjoint, scatter: true, scatterShape: 1)])
        #expect(plot.coincidentPoints == [Plot.Point(1, 2): [0, 1]])
        var canvas = Canvas(width: 40, height: 12)
        plot.draw(into: &canvas, in: canvas.bounds)
        #expect(canvas.lines().dropFirst().joined().contains("✱"))
        let svg = plot.svg()
        let xs = svg.split(separator: "\n").filter { $0.contains("class=\"scatter\"") }.map(String.init)
        #expect(xs.count == 4)
        let (x, y) = plot.paddedScales
        #expect(x.lower < 0 && x.upper > 2 && y.lower < 0 && y.upper > 4)
        // The two coincident marks are drawn at different x.
        let centres = Set(xs.compactMap { line -> String? in
            guard let r = line.range(of: "cx=\"") else { return line.contains("data-name=\"b\"") ? "path" : nil }
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        })
        #expect(centres.count >= 2)
    }
}
