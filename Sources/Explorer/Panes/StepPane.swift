import GraphCore
import Screen

/// The current step's equation, pinned where it is always on screen whatever the inspector
/// shows or how far it is scrolled: symbolic, then with numbers, then its result, and in
/// reverse mode what the step passes to each operand (`→ v̄₀ += v̄₃·cos v₀ = (−1)·0.283662 =
/// −0.283662`). Each equation is one line when it fits, else it breaks at its `=` signs; what
/// does not fit in the strip says so (`↓ 3 more`), and the inspector (Tab) has all of it.
/// The words come from the `Explanation`'s sentences, as everywhere else.
enum StepPane: Pane {
    typealias Line = NodeText.Line

    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, style: Style(.border), title: title(s))
        let inner = rect.inset(top: 1, left: 2, bottom: 1, right: 1)
        guard !inner.isEmpty else { return }
        for (k, line) in visible(s, width: inner.width, height: inner.height).enumerated() {
            let end = canvas.put(line.text, x: inner.x, y: inner.y + k, style: Style(line.role), clip: inner)
            canvas.put(line.tail, x: end, y: inner.y + k, style: Style(.partial), clip: inner)
        }
    }

    /// `Step 3/7 · v₃ = sin v₀ sends to v₀`: where the sweep is and what this step does.
    static func title(_ s: ExplorerState) -> String {
        let head = "Step \(s.stepper.position)/\(s.stepper.count)"
        guard let i = s.stepper.current else { return head }
        let tape = s.tape
        let what: String
        switch s.phase {
        case .primal: what = "computes \(tape.label(i))"
        case .forward: what = "computes \(tape.tangentLabel(i))"
        case .reverse:
            if i == tape.output {
                what = "seeds \(tape.adjointLabel(i))"
            } else if tape.entries[i].op.kind == .leaf {
                what = "completes ∂\(tape.displayName(tape.output))/∂\(tape.displayName(i))"
            } else {
                what = "\(tape.adjointLabel(i)) is complete and passes on"
            }
        }
        return "\(head) · \(what)"
    }

    /// The lines that fit in `height` rows: every step of each equation if they fit, else
    /// fewer steps (`brevity`: without the symbolic form, then with numbers only, then the
    /// formula and its result, then large tensors as their shapes), else the first lines and
    /// `↓ N more`.
    static func visible(_ s: ExplorerState, width: Int, height: Int) -> [Line] {
        guard width > 0, height > 0 else { return [] }
        var all: [Line] = []
        for brevity in 0...3 {
            all = lines(s, width: width, brevity: brevity)
            if all.count <= height { return all }
        }
        // Then matrices as rows for the first few equations only, the others' as shapes.
        for rows in stride(from: 8, through: 0, by: -1) {
            all = lines(s, width: width, brevity: 3, rows: rows)
            if all.count <= height { return all }
        }
        let shown = Array(all.prefix(height - 1))
        return shown + [Line("↓ \(all.count - shown.count) more (Tab to the inspector for all of it)".truncated(toWidth: width), .muted)]
    }

    /// The step's equations as screen lines of at most `width` cells; a result too big for a
    /// line is written as matrix rows in the first `rows` equations, as its shape in the others.
    static func lines(_ s: ExplorerState, width: Int, brevity: Int = 0, rows: Int = .max) -> [Line] {
        guard let i = s.stepper.current else {
            return [Line(s.stepper.count == 0 ? "nothing to step" : "press n to take the first step", .muted)]
        }
        if i == s.quizHidden {
            return NodeText.asked(s, s.stepper.explanation.sentence(i)).flatMap { wrapped($0, width) }
        }
        let x = s.stepper.explanation.sentence(i)
        switch s.phase {
        case .primal:
            return equation(x.label, [x.formula, x.substituted ?? x.formula], x.result, x.shape, .value, width: width, brevity: brevity, rows: rows > 0)
        case .forward:
            return equation(x.label, [x.formula, x.expanded ?? x.formula, x.withNumbers ?? x.formula], x.result, x.shape, .tangent, width: width, brevity: brevity, rows: rows > 0)
        case .reverse:
            return reverse(s, x, width: width, brevity: brevity, rows: rows)
        }
    }

    /// Reverse mode: the node's adjoint (complete: every consumer came before it), then each
    /// term it sends, with the operand's adjoint so far when that is still a partial sum.
    static func reverse(_ s: ExplorerState, _ x: Sentence, width: Int, brevity: Int, rows: Int) -> [Line] {
        let tape = s.tape
        let i = x.node
        var out: [Line]
        if i == tape.output {
            out = equation(x.label, ["seed"], [s.outputSeed], .scalar, .adjoint, width: width, brevity: brevity)
        } else if x.terms.isEmpty {
            out = [Line("\(x.label) = 0 (no consumers)", .muted)]
        } else {
            out = equation(x.label, [x.formula, x.expanded ?? x.formula, x.withNumbers ?? x.formula], x.result, x.shape, .adjoint, width: width, brevity: brevity, rows: rows > 0)
        }
        if tape.entries[i].op.kind == .leaf && i != tape.output {
            out.insert(Line("∂\(tape.displayName(tape.output))/∂\(tape.displayName(i)) = \(x.label): the gradient, final", .header), at: 0)
        }
        let explanation = s.stepper.explanation
        for (k, c) in explanation.sends(i).filter({ tape.entries[$0.operand].op != .constant }).enumerated() {
            let t = explanation.term(c)
            let name = tape.names[c.operand].map { " (\($0))" } ?? ""
            // In a quiz the term's numbers would give a later answer away.
            if s.quiz != nil && !s.stepper.isDone(c.operand) {
                let formula = t.symbolic == t.expanded ? t.symbolic : "\(t.symbolic) = \(t.expanded)"
                out += wrapped(Line("→ \(tape.adjointLabel(c.operand))\(name) += \(formula) = \(NodeText.pending) (asked later)", .muted), width)
                continue
            }
            out += equation("→ \(tape.adjointLabel(c.operand))\(name)", [t.symbolic, t.expanded, t.substituted, t.numbers ?? t.substituted],
                            t.value, t.shape, .adjoint, width: width, sign: "+=", brevity: brevity, rows: k + 1 < rows)
            // The operand's adjoint is still a partial sum: say so, beside the term if it fits
            // (not in a quiz, where the sum so far would give a later answer away).
            if s.quiz == nil, let p = NodeText.partial(s, c.operand) {
                let values = s.stepper.slice(s.stepper.shownAdjoints, c.operand)
                let note = "\(tape.adjointLabel(c.operand)) so far \(GraphView.number(values, tape.entries[c.operand].shape, width: width / 2)) (\(p.arrived) of \(p.total) terms)"
                if out[out.count - 1].text.displayWidth + 3 + note.displayWidth <= width {
                    out[out.count - 1].tail = "   " + note
                } else {
                    out += wrapped(Line("   " + note, .partial), width)
                }
            }
        }
        return out
    }

    /// `lead = a = b = … = result` on one line when it fits; else broken before an `=`, the
    /// result as aligned matrix rows when it does not fit on a line.
    static func equation(_ lead: String, _ parts: [String], _ result: [Double], _ shape: Shape, _ role: Role,
                         width: Int, sign: String = "=", brevity: Int = 0, rows: Bool = true) -> [Line] {
        var chain: [String] = []
        // A part that is only numbers (`1`, `[0, 0, −0.3943]`) is the result, perhaps in fewer
        // digits: the result itself ends the chain instead.
        for p in parts where !p.isEmpty && p != chain.last {
            if !chain.isEmpty && p.allSatisfy({ "0123456789.,−-e[] ".contains($0) }) { continue }
            chain.append(p)
        }
        switch brevity {
        case 0: break
        case 1: chain = Array(chain.dropFirst(min(1, chain.count - 1)))
        case 2: chain = Array(chain.dropFirst(min(2, chain.count - 1)))
        default: chain = chain.isEmpty ? [] : [chain[min(1, chain.count - 1)]]
        }
        let inline = GraphView.number(result[...], shape, width: max(0, width - 4))
        // Without rows, a result too big for a line is its shape (the inspector has it whole).
        let resultFits = inline != shape.description || shape.isScalar || !rows
        if resultFits && inline != chain.last { chain.append(inline) }
        var out: [String] = []
        var current = lead + " \(sign) " + (chain.first ?? "")
        for p in chain.dropFirst() {
            let candidate = current + " = " + p
            if candidate.displayWidth <= width {
                current = candidate
            } else {
                out.append(current)
                current = "   = " + p
            }
        }
        out.append(current)
        var lines = out.flatMap { NodeText.wrap($0, width: width) }.map { Line($0, role) }
        if !resultFits {
            lines.append(Line("   = \(shape)", role))
            lines += NodeText.matrixLines(result[...], shape).map { Line("     " + $0, role) }
        }
        return lines
    }

    private static func wrapped(_ line: Line, _ width: Int) -> [Line] {
        NodeText.wrap(line.text, width: width).map { Line($0, line.role) }
    }
}
