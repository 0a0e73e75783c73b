import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// A partial adjoint (a sum that has some but not all of its terms) never looks final: the
/// graph pane, the trace, the inspector and the step strip draw it in the `partial` role with
/// its count, and a legend says what the count means.
@Suite("Partial adjoints")
struct PartialAdjointTests {
    /// The screen's cells as (character, style) rows.
    static func cells(_ canvas: Canvas) -> [[(Character, Style)]] {
        (0..<canvas.height).map { y in (0..<canvas.width).compactMap { x in canvas[x, y].map { ($0.character, $0.style) } } }
    }

    /// The styles of every occurrence of `text` on the screen (in `rect`, if given).
    static func styles(of text: String, in canvas: Canvas, rect: Rect? = nil) -> [[Style]] {
        let needle = Array(text)
        var found: [[Style]] = []
        let area = rect ?? canvas.bounds
        for row in cells(canvas)[area.y ..< area.maxY].map({ Array($0[area.x ..< area.maxX]) }) {
            let chars = row.map(\.0)
            guard chars.count >= needle.count else { continue }
            for x in 0 ... chars.count - needle.count where Array(chars[x ..< x + needle.count]) == needle {
                found.append(row[x ..< x + needle.count].map(\.1))
            }
        }
        return found
    }

    /// In Baydin's example x2 = v₀ is used by sin (v₃) and by the product (v₂), x1 = v₋₁ by ln
    /// (v₁) and the product: each adjoint has two terms. The reverse sweep visits y, v₄, v₃,
    /// v₂, v₁, …: v̄₀ has one term after step 3 and both after step 4; v̄₋₁ one after step 4
    /// and both after step 5.
    @Test func theExplanationSaysWhichAdjointsArePartial() {
        let g = baydin()
        let x1 = g.node(named: "x1")!, x2 = g.node(named: "x2")!
        let e = Explanation(tape: g.tape, values: g.tape.evaluate(), phase: .reverse)
        expectTrue(e.adjointProgress(x2, at: 3).arrived == 1 && e.adjointProgress(x2, at: 3).total == 2)
        expectEqual((0...7).filter { e.isPartialAdjoint(x2, at: $0) }, [3])
        expectEqual((0...7).filter { e.isPartialAdjoint(x1, at: $0) }, [4])
        for i in 0 ..< g.tape.count where i != x1 && i != x2 {
            expectTrue((0...7).allSatisfy { !e.isPartialAdjoint(i, at: $0) }, "\(g.tape.label(i)) has one consumer or none")
        }
        // Other phases have no adjoints, so nothing partial.
        let f = Explanation(tape: g.tape, values: g.tape.evaluate(), phase: .forward)
        expectTrue(!f.isPartialAdjoint(x2, at: 3))
    }

    /// On every example: an adjoint shown and not partial is the final one (the sweep's own
    /// end result), and a partial one is missing a term.
    @Test func anAdjointThatIsNotPartialIsFinal() throws {
        for file in graphFiles() {
            guard case .success(let g) = GraphLoader.load(path: file.path), g.tape.count < 400 else { continue }
            var stepper = Stepper(tape: g.tape, values: g.tape.evaluate(), phase: .reverse)
            let e = stepper.explanation
            while true {
                for i in 0 ..< g.tape.count where stepper.hasAdjoint(i) && g.tape.entries[i].op != .constant {
                    let shown = stepper.slice(stepper.shownAdjoints, i), final = e.slice(e.adjoints, i)
                    if e.isPartialAdjoint(i, at: stepper.position) {
                        expectTrue(e.received(by: i).contains { !stepper.hasArrived($0) })
                    } else {
                        expectTrue(zip(shown, final).allSatisfy { isClose($0, $1, rel: 1e-9, abs: 1e-12) }, "\(file.lastPathComponent): \(g.tape.label(i)) at step \(stepper.position)")
                    }
                }
                if !stepper.next() { break }
            }
        }
    }

    @Test func afterReverseStepThreeX2LooksPartialEverywhere() {
        for size in [(80, 24), (100, 30), (120, 40)] {
            var s = ExplorerState(graph: baydin(), size: size)
            s.press("r", "n", "n", "n")
            let canvas = s.render()
            // v̄₀ = v̄₃·cos 5 so far; its final value is 1.71634.
            let sofar = Format.short(-cos(5.0))
            expectEqual(sofar, "−0.283662")
            // The graph pane's box: `v̄ −0.28 1/2` in the partial role, never the adjoint's.
            let boxes = Self.styles(of: "1/2", in: canvas)
            expectTrue(!boxes.isEmpty && boxes.allSatisfy { $0.allSatisfy { $0.role == .partial } }, "\(size)\n\(canvas.text)")
            // v̄₀ so far, in the trace's adjoint column and the inspector's gradient: never in
            // the adjoint's role. (The term v̄₃·cos v₀ = −0.283662 itself is final: the strip and
            // the inspector's "passes on" show it as an adjoint.)
            let layout = ScreenLayout(width: size.0, height: size.1)
            for rect in [layout.graph, layout.trace] {
                for styles in Self.styles(of: "0.28", in: canvas, rect: rect) {
                    expectTrue(!styles.contains { $0.role == .adjoint }, "\(size): v̄₀ drawn as a final adjoint\n\(canvas.text)")
                }
            }
            let gradient = Self.styles(of: "∂y/∂x2 = −0.283662 so far (1 of 2)", in: canvas)
            expectTrue(gradient.count == 1 && gradient[0].allSatisfy { $0.role == .partial })
            expectNotContains(canvas.text, "v̄ −0.283662")
            // The legend, in the partial role.
            let legend = Self.styles(of: "k/n: a partial sum", in: canvas)
            expectTrue(legend.count == 1 && legend[0].allSatisfy { $0.role == .partial }, "\(size)")
            // The inspector's gradient and the strip say "so far" with the count.
            expectContains(canvas.text, "v̄₀ so far −0.283662 (1 of 2 terms)", "\(size)\n\(canvas.text)")
        }
    }

    @Test func theTraceMarksThePartialRow() {
        var s = ExplorerState(graph: baydin(), size: (120, 40))
        s.press("r", "n", "n", "n")
        let trace = ScreenLayout(width: 120, height: 40).trace
        let canvas = s.render()
        let rows = Self.cells(canvas)[trace.y ..< trace.maxY]
        let x2 = rows.first { row in String(row.map(\.0)).contains("v₀ x2") }
        let text = x2.map { String($0.map(\.0)) } ?? ""
        expectContains(text, "1/2", "\(canvas.text)")
        expectEqual(x2?.contains { $0.1.role == .partial }, true)
    }

    @Test func aFinishedSweepHasNoPartialsAndNoLegend() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("r", "G")
        let canvas = s.render()
        expectNotContains(canvas.text, "k/n: a partial sum")
        expectTrue(Self.cells(canvas).allSatisfy { $0.allSatisfy { $0.1.role != .partial } })
        // Forward mode never shows the legend.
        s.press("f", "n", "n", "n")
        expectNotContains(s.screen, "k/n: a partial sum")
    }

    @Test func everyThemeHasThePartialRoleApartFromTheAdjoint() throws {
        expectTrue(Theme.default.color(for: .partial) != Theme.default.color(for: .adjoint))
        for name in testThemes.availableThemes() where name != "default" {
            let theme = try testThemes.load(named: name).theme
            expectTrue(theme.color(for: .partial) != nil && theme.color(for: .partial) != theme.color(for: .adjoint), "\(name)")
        }
        expectTrue(Theme.monochromeAttributes(for: .partial) != Theme.monochromeAttributes(for: .adjoint))
    }
}
