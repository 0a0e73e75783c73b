import GraphCore
import Screen

/// The Wengert list as a table: node, formula, value, and the tangent or adjoint of the mode.
/// The current row is highlighted and the table scrolls to keep the selected row in view.
enum TracePane: Pane {
    /// Narrowest number column.
    static let numberWidth = 10

    /// The pane draws its number columns as wide as their widest entry (vectors and small
    /// matrices with their numbers), up to what leaves the formula a few cells; a number is
    /// given fewer digits or, for a tensor, its shape, rather than being cut.
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, style: Style(s.focus == .trace ? .focusBorder : .border), title: title(s))
        let inner = rect.inset(by: 1)
        guard inner.height >= 2, inner.width >= 8 else { return }
        let tape = s.tape
        let all = s.traceRows
        let visible = inner.height - 1
        let first = s.firstTraceRow(all, visible: visible)
        let shown = Array(all[first ..< min(all.count, first + visible)])
        let labelWidth = min(inner.width / 3, (shown.map { NodeText.label(tape, $0).displayWidth }.max() ?? 2))
        // `D`: forward mode as dual numbers a + bε in one column (not while a quiz hides tangents).
        let dual = s.dualNumbers && s.phase == .forward && s.quiz == nil
        let derivative = s.phase != .primal && !dual
        let columns = derivative ? 2 : 1
        // The number columns share what the formula column can spare (it keeps up to 14
        // cells, enough for most formulas); each takes what its widest entry needs if both
        // fit, else about half.
        let formulaNeed = min(14, inner.width / 4, shown.map { formula(tape, $0).displayWidth }.max() ?? 0)
        let room = max(columns * 4, inner.width - labelWidth - 1 - formulaNeed)
        let narrowest = min(numberWidth, room / columns - 1)
        func valueTexts(_ width: Int) -> [String] {
            shown.map { i in
                guard dual, i < tape.firstComputed || s.stepper.isDone(i) else { return NodeText.valueText(s, i, width: width) ?? "" }
                let text = s.stepper.explanation.dual(i)
                return text.displayWidth <= width ? text : NodeText.valueText(s, i, width: width) ?? ""
            }
        }
        func derivativeTexts(_ width: Int) -> [(String, Role)?] {
            shown.map { i in
                guard derivative, let (text, role) = NodeText.derivativeText(s, i, width: width + 2) else { return nil }
                return (String(text.dropFirst(2)), role)
            }
        }
        var values = valueTexts(room - 1)
        var derivatives = derivativeTexts(room - 1)
        var valueWidth = max(narrowest, values.map(\.displayWidth).max() ?? 0)
        var derivativeWidth = derivative ? max(narrowest, derivatives.compactMap { $0?.0.displayWidth }.max() ?? 0) : 0
        if derivative && valueWidth + derivativeWidth + 2 > room {
            let half = room / 2 - 1
            if valueWidth > half && derivativeWidth > half {
                (valueWidth, derivativeWidth) = (half, room - half - 2)
            } else if valueWidth > half {
                valueWidth = room - derivativeWidth - 2
            } else {
                derivativeWidth = room - valueWidth - 2
            }
            values = valueTexts(valueWidth)
            derivatives = derivativeTexts(derivativeWidth)
        } else if !derivative {
            valueWidth = min(valueWidth, room - 1)
        }
        let numbers = valueWidth + 1 + (derivative ? derivativeWidth + 1 : 0)
        // Widths were chosen from these texts; a text never overflows its column.
        values = values.map { $0.displayWidth <= valueWidth ? $0 : "" }
        let formulaWidth = max(0, inner.width - labelWidth - 1 - numbers)
        let ell = canvas.glyphs.ellipsis

        var header = pad("node", labelWidth) + " " + pad("formula", formulaWidth) + " " + pad(dual ? "a + bε" : "value", valueWidth, right: true)
        if derivative { header += " " + pad(s.phase == .forward ? "tangent" : "adjoint", derivativeWidth, right: true) }
        canvas.put(header.truncated(toWidth: inner.width, ellipsis: ell), x: inner.x, y: inner.y, style: Style(.header), clip: inner)

        for (k, i) in shown.enumerated() {
            let y = inner.y + 1 + k
            let rowStyle: Style? = i == s.stepper.current ? Style(.current) : i == s.selection ? Style(.selected) : nil
            if let rowStyle { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: rowStyle) }
            func style(_ role: Role) -> Style { rowStyle ?? Style(role) }
            var x = inner.x
            let kindRole = NodeText.kindRole(tape, i) ?? (s.stepper.isDone(i) && i >= tape.firstComputed ? .done : .text)
            canvas.put(pad(NodeText.label(tape, i).truncated(toWidth: labelWidth, ellipsis: ell), labelWidth), x: x, y: y, style: style(kindRole), clip: inner)
            x += labelWidth + 1
            canvas.put(pad(formula(tape, i).truncated(toWidth: formulaWidth, ellipsis: ell), formulaWidth), x: x, y: y, style: style(.text), clip: inner)
            x += formulaWidth + 1
            canvas.put(pad(values[k], valueWidth, right: true), x: x, y: y, style: style(.value), clip: inner)
            x += valueWidth + 1
            if let (text, role) = derivatives[k] {
                canvas.put(pad(text, derivativeWidth, right: true), x: x, y: y, style: style(role), clip: inner)
            }
        }
    }

    /// A row's formula: the op for a leaf (`input`), else `v₁ + v₂`.
    static func formula(_ tape: Tape, _ i: Int) -> String {
        tape.entries[i].op.kind == .leaf ? tape.entries[i].op.name : tape.formula(i)
    }

    static func title(_ s: ExplorerState) -> String {
        switch s.phase {
        case .primal: "Trace: primal"
        case .forward: "Trace: forward tangents"
        case .reverse: "Trace: reverse adjoints"
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.displayWidth))
        return right ? gap + text : text + gap
    }
}
