import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: numbers as a reader needs them.
@Suite("Export: numbers a reader can read")
struct ReadableNumbersTests {
    static func load(_ name: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(name)").path).get()
    }

    /// In the SVG Graphviz draws, two neighbouring numbers of a matrix row are apart: the next
    /// starts at least 3 pt after the end of the one before (widths from Liberation Sans'
    /// metrics: digits 0.556 em, the minus sign 0.584 em, the point 0.278 em).
    @Test func matrixColumnsStandApart() async throws {
        let graphviz = try requireGraphviz()
        let out = try temporaryFolder()
        let summary = await BatchExport(graphviz: graphviz).run([ExportJob(name: "c", tape: try classifierTape(), state: .reverse, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let picture = try SVGPicture(try #require(summary.written.first))
        func width(_ t: SVGPicture.Text) -> Double {
            t.text.reduce(0) { $0 + ($1 == "." ? 0.278 : $1 == "−" ? 0.584 : 0.556) } * t.size
        }
        let numeric = { (t: SVGPicture.Text) in !t.text.isEmpty && t.text.allSatisfy { $0.isNumber || $0 == "." || $0 == "−" } }
        // W is 2×3: rows of three numbers at one baseline.
        let w = try #require(picture.nodes["n0"])
        let rows = Dictionary(grouping: w.texts.filter(numeric), by: { $0.y })
        expectEqual(rows.values.filter { $0.count == 3 }.count, 4, "values and adjoints, two rows each")
        for row in rows.values where row.count > 1 {
            let sorted = row.sorted { $0.x < $1.x }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                let endOfA = a.anchor == "end" ? a.x : a.x + width(a)
                let startOfB = b.anchor == "end" ? b.x - width(b) : b.x
                expectTrue(startOfB - endOfA >= 3, "“\(a.text)” and “\(b.text)” run together")
            }
        }
    }

    /// Batch norm's b̄ is the sum of the centred ḡ, zero up to rounding (−3.5e−18, 2.8e−17 in
    /// floating point): drawn as 0, with the exact numbers in the tooltip.
    @Test func roundingNoiseIsDrawnAsZero() throws {
        let graph = try Self.load("batchnorm-backward.grad")
        let tape = graph.tape
        let b = try #require(graph.node(named: "b"))
        let x = Explanation(tape: tape, values: tape.evaluate(), phase: .reverse)
        let exact = Array(x.slice(x.adjoints, b))
        // The claim needs real noise: some entry is tiny but not zero.
        expectTrue(exact.contains { $0 != 0 && abs($0) < 1e-15 })
        let dot = DotWriter.dot(tape: tape, name: "bn", state: .reverse)
        let line = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  n\(b) [") })
        expectContains(line, "v̄₋₂ = [0, 0, 0]", "\(line)")
        let tooltip = line[line.range(of: "tooltip=\"")!.upperBound...].prefix { $0 != "\"" }
        expectTrue(tooltip.contains("e−18") && tooltip.contains("e−17"))
        // A tiny value that is no rounding noise stays: exp(−40) = 4.2e−18.
        let tiny = try GraphLoader.load(SourceFile(name: "t.grad", text: "input a = -40\ny = exp(a)\noutput y\n"), graphName: "t", mode: .file).get()
        expectContains(DotWriter.dot(tape: tiny.tape, name: "t", state: .primal), "= 4.248e−18")
    }

    /// conv-relu-pool's max-pool input h is 2×4×4: all 32 values and all 32 adjoints drawn, as
    /// two labelled 4×4 slices, with the entries that received no gradient muted.
    @Test func aRankThreeTensorIsDrawnAsItsSlices() throws {
        let graph = try Self.load("conv-relu-pool.grad")
        let tape = graph.tape
        let h = try #require(graph.node(named: "h"))
        expectEqual(tape.entries[h].shape.dims, [2, 4, 4])
        let dot = DotWriter.dot(tape: tape, name: "crp", state: .reverse)
        let line = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  n\(h) [") })
        let x = Explanation(tape: tape, values: tape.evaluate(), phase: .reverse)
        let values = Array(x.slice(x.values, h)), adjoints = Array(x.slice(x.adjoints, h))
        // Every number a right-aligned cell: 32 values then 32 adjoints, in order.
        let cells = line.components(separatedBy: "<TD ALIGN=\"RIGHT\"><FONT COLOR=\"").dropFirst().map { cell in
            (colour: String(cell.prefix(7)), text: String(cell.dropFirst(9).prefix { $0 != "<" }))
        }
        try #require(cells.count == 64, "\(cells.count) cells")
        // The slices stand side by side: cells run along row r of slice 0, then row r of slice 1.
        let order = (0..<4).flatMap { r in (0..<2).flatMap { s in (0..<4).map { c in (s * 4 + r) * 4 + c } } }
        for (cell, k) in order.enumerated() {
            expectEqual(cells[cell].text, Format.short(values[k], digits: 4), "value \(k)")
            expectEqual(cells[32 + cell].text, Format.short(adjoints[k], digits: 4), "adjoint \(k)")
            // Independently of the picture: a pool routes gradient to at most one entry of each
            // 2×2 window, so the muted adjoints are exactly the zeros.
            expectEqual((cells[32 + cell].colour == DotPalette.light.muted), (adjoints[k] == 0), "entry \(k)")
        }
        expectTrue(adjoints.filter { $0 != 0 }.count <= 8)
        expectTrue(line.contains(">[0]<") && line.contains(">[1]<"))
    }
}
