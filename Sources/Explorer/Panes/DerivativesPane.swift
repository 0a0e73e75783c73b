import GraphCore
import Plot
import Screen

/// The derivatives view's pane, over the graph, trace and inspector: ∂f/∂x by AD, by a
/// central difference with its relative error and verdict, and symbolically with its size
/// against the tape's; or, on the other pages, the h-sweep or the f plot. Everything comes
/// from the state's `DerivativesView`; the key hints from the keymap.
enum DerivativesPane: Pane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        guard let view = s.derivatives else { return }
        guard rect.width >= 20, rect.height >= 5 else { return }
        let title: String
        switch view.report {
        case _ where view.page == .jacobian: title = "Jacobian, by forward and by reverse mode"
        case .failure: title = "Derivatives"
        case .success(let r):
            let d = "∂\(r.function)/∂\(r.variable) at \(r.variable) = \(Format.short(r.point))"
            switch view.page {
            case .summary: title = "Derivatives: \(d)"
            case .sweep: title = "h-sweep of \(d): |difference − AD| against h (log-log)"
            case .function where view.taylor: title = "\(r.function) and its Taylor polynomials T₁ T₂ T₃ at \(r.variable) = \(Format.short(r.point))"
            case .function: title = "\(r.function) and \(r.function)′ against \(r.variable) (● the point)"
            case .jacobian: title = ""
            }
        }
        canvas.drawBox(rect, style: Style(.focusBorder), title: title)
        let inner = rect.inset(by: 1).inset(left: 1)
        let hints = keyHints(s.keymap)
        let body = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - hints.count - 1))
        func put(_ lines: [(String, Style)], in area: Rect) {
            for (k, line) in lines.prefix(area.height).enumerated() {
                canvas.put(line.0.truncated(toWidth: area.width, ellipsis: canvas.glyphs.ellipsis), x: area.x, y: area.y + k,
                           style: line.1, clip: area)
            }
        }
        let plot: Plot? = switch view.page {
        case .summary, .jacobian: nil
        case .sweep: view.sweepPlot
        case .function: view.taylor ? view.taylorPlot : view.functionPlot
        }
        if view.page == .jacobian {
            put((view.jacobianLines ?? []).map { ($0, Style(.text)) }, in: body)
        } else if let plot {
            plot.draw(into: &canvas, in: body)
        } else if view.page != .summary, let note = view.pageNote {
            put([(note, Style(.warning))], in: body)
        } else {
            put(lines(view.report), in: body)
        }
        put(hints.map { ($0, Style(.muted)) }, in: Rect(x: inner.x, y: inner.maxY - hints.count, width: inner.width, height: hints.count))
    }

    /// The summary page, line by line.
    static func lines(_ report: Result<DerivativeReport, DerivativeProblem>) -> [(String, Style)] {
        guard case .success(let r) = report else {
            if case .failure(let problem) = report { return [(problem.description, Style(.error))] }
            return []
        }
        func n(_ x: Double) -> String { Format.short(x, digits: 12) }
        /// A label and its value, the values in one column.
        func row(_ label: String, _ value: String) -> String {
            label + String(repeating: " ", count: max(1, 44 - label.displayWidth)) + value
        }
        let d = "∂\(r.function)/∂\(r.variable)"
        let verdict = r.verdict
        var out: [(String, Style)] = [
            (row("automatic differentiation (reverse mode)", "\(d) = \(n(r.ad))"), Style(.adjoint, .bold)),
            (row("central difference, h = \(Format.short(GradientCheck.defaultStep))", n(r.check.numeric)), Style(.value)),
            (row("  relative error |a − n| / max(|a|, |n|)", Format.short(r.check.relativeError, digits: 2) + "   " + verdictText(verdict)),
             Style(verdict == .fail ? .error : verdict == .kink ? .kink : .info)),
            ("", .text),
        ]
        switch r.symbolic {
        case .unavailable(let why):
            out.append(("symbolic derivative: \(why)", Style(.muted)))
        case let .derivative(text, value, tree, dag):
            out.append((row("symbolic derivative", "\(d) = \(text ?? "(too long to write out)")"), Style(.tangent)))
            out.append((row("  at this point", n(value)), Style(.value)))
            out.append((row("  size", "\(tree) nodes as a tree, \(dag) with shared subexpressions merged; the tape has \(r.tapeNodes)"), Style(.text)))
            if tree > 4 * r.tapeNodes { out.append(("  expression swell: the formula outgrows the tape AD records", Style(.warning))) }
        }
        if let c = r.taylorCoefficients {
            let p = TaylorMode.polynomial(c, variable: r.variable, at: r.point) { Format.short($0) }
            out.append(("", .text))
            out.append((row("Taylor mode (jets), order 3", "\(r.function) ≈ \(p)"), Style(.text)))
        }
        return out
    }

    static func verdictText(_ v: GradientCheck.Verdict) -> String {
        switch v {
        case .pass: "pass"
        case .fail: "FAIL"
        case .kink: "kink: x ± h straddles a non-differentiable point"
        }
    }

    /// The view's keys, from the keymap (those that open its pages, and its own mode's):
    /// `H  h-sweep …`, `Esc  close the derivatives view`.
    static func keyHints(_ keymap: Keymap) -> [String] {
        let opening = keymap.bindings(.graph).filter { b in
            if case .derivatives = b.action { true } else { false }
        }
        return (opening + keymap.bindings(.derivatives)).map { b in
            b.keys.map(Keymap.label).joined(separator: ", ") + "  " + b.description
        }
    }

}
