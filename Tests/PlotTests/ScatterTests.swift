import Foundation
import Plot
import Screen
import Testing

/// Scatter series (`Plot.Series(scatter: true)`): one mark per point, no line between them,
/// each class its own shape.
@Suite("Scatter series")
struct ScatterTests {
    /// Two classes on the corners of the unit square, as XOR's: class 0 at (0, 0) and
    /// (1, 1), class 1 at (0, 1) and (1, 0).
    var xor: Plot {
        Plot(xLabel: "x1", yLabel: "x2", series: [
            Plot.Series("label = 0", points: [Plot.Point(0, 0), Plot.Point(1, 1)], scatter: true, scatterShape: 0),
            Plot.Series("label = 1", points: [Plot.Point(0, 1), Plot.Point(1, 0)], role: .adjoint, scatter: true, scatterShape: 1),
        ])
    }

    @Test func eachPointIsOneMarkInItsCornerAndNoLineJoinsThem() {
        var canvas = Canvas(width: 30, height: 10)
        xor.draw(into: &canvas, in: canvas.bounds)
        let lines = canvas.lines().map { Array($0) }
        // Row 0 is the legend; the plot area's rows follow.
        var marks: [Character: [(row: Int, col: Int)]] = [:]
        for row in 1..<lines.count {
            for (col, ch) in lines[row].enumerated() where ch == "●" || ch == "▲" { marks[ch, default: []].append((row, col)) }
        }
        #expect(marks["●"]?.count == 2 && marks["▲"]?.count == 2)
        let braille = lines.joined().contains { ($0.unicodeScalars.first!.value & 0xFF00) == 0x2800 }
        #expect(!braille, "a scatter series draws no line")
        // ● at bottom-left and top-right, ▲ at top-left and bottom-right.
        let circles = marks["●"]!.sorted { $0.col < $1.col }, triangles = marks["▲"]!.sorted { $0.col < $1.col }
        #expect(circles[0].row > circles[1].row)
        #expect(triangles[0].row < triangles[1].row)
        #expect(String(lines[0]).contains("● label = 0") && String(lines[0]).contains("▲ label = 1"))
    }

    @Test func asciiMarksDifferByClass() {
        var canvas = Canvas(width: 30, height: 10, glyphs: .ascii)
        xor.draw(into: &canvas, in: canvas.bounds)
        let area = canvas.lines().dropFirst().joined()
        #expect(area.filter { $0 == "o" }.count == 2)
        #expect(area.filter { $0 == "x" }.count >= 2, "two class-1 marks (the x axis's name is x1 too)")
    }

    @Test func svgDrawsOneShapePerPointAndNoPolyline() {
        let svg = xor.svg(width: 400, height: 300)
        #expect(svg.components(separatedBy: "<circle class=\"scatter\" data-name=\"label = 0\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "<path class=\"scatter\" data-name=\"label = 1\"").count - 1 == 2)
        #expect(!svg.contains("<polyline"))
        #expect(svg.contains("class=\"legend\""))
    }
}
