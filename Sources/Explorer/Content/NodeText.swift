import Foundation
import GraphCore
import Screen

/// What the panes write about a node and its step, as lines of text with roles: the
/// inspector's content, the value and derivative text of a box or a trace row, the pending
/// (`…`) and asked (`?`) marks, and the wrapping and matrix layout they share. A function of
/// the state only: the panes draw these lines, and the reducer may measure them (how far the
/// inspector scrolls) without asking a pane.
enum NodeText {
    struct Line: Equatable {
        var text: String
        var role: Role
        /// Drawn after the text in its own role (the step strip's `v̄₀ so far …` note).
        var tail = ""
        init(_ text: String, _ role: Role = .text) { (self.text, self.role) = (text, role) }
    }

    /// Shown where a number is not computed yet (`·` already means multiplication).
    static let pending = Format.pending
    /// Shown for the value a quiz asks for.
    static let asked = Format.asked

    static func kindRole(_ tape: Tape, _ i: Int) -> Role? {
        if i == tape.output { return .output }
        switch tape.entries[i].op.leaf {
        case .input: return .input
        case .param: return .param
        case .constant: return .constant
        case nil: return nil
        }
    }

    /// The primal value, once this phase has computed it (leaves always have theirs).
    static func valueText(_ s: ExplorerState, _ i: Int, width: Int) -> String? {
        if s.phase == .primal, i == s.quizHidden { return asked }
        let computed = s.phase == .reverse || i < s.tape.firstComputed || s.stepper.isDone(i)
        guard computed else { return pending }
        return GraphView.number(s.evaluation.value(i), s.tape.entries[i].shape, width: width)
    }

    /// `v̇ 0.5` in forward mode once computed; `v̄ 1.716` in reverse mode once anything has
    /// arrived.
    static func derivativeText(_ s: ExplorerState, _ i: Int, width: Int) -> (String, Role)? {
        let tape = s.tape
        let e = tape.entries[i]
        guard e.op != .constant else { return nil }
        switch s.phase {
        case .primal: return nil
        case .forward where i == s.quizHidden: return ("v̇ " + asked, .current)
        case .reverse where i == s.quizHidden: return ("v̄ " + asked, .current)
        case .forward:
            let mark = "v̇ "
            guard i < tape.firstComputed || s.stepper.isDone(i) else { return (mark + pending, .muted) }
            return (mark + GraphView.number(s.stepper.slice(s.stepper.tangents, i), e.shape, width: width - 2), .tangent)
        case .reverse:
            let mark = "v̄ "
            guard i <= tape.output else { return nil }
            // No path leads from it to the output: the sweep skips it and its adjoint is 0 by
            // definition, from the start (not `…` for ever, as if a term were still to come).
            if s.stepper.explanation.step(of: i) == nil { return (mark + "0", .muted) }
            // A quiz shows adjoints only once their step is answered: a partial sum would give it away.
            guard s.stepper.hasAdjoint(i), s.quiz == nil || s.stepper.isDone(i) else { return (mark + pending, .muted) }
            let values = s.stepper.slice(s.stepper.shownAdjoints, i)
            // A partial sum says how many of its terms it has, in its own style: `v̄ −0.28 1/2`.
            if let p = partial(s, i) {
                let count = " \(p.arrived)/\(p.total)"
                return (mark + GraphView.number(values, e.shape, width: width - 2 - count.count) + count, .partial)
            }
            return (mark + GraphView.number(values, e.shape, width: width - 2), .adjoint)
        }
    }

    /// Reverse mode: how many of its terms node `i`'s adjoint has, when it is a partial sum
    /// at this step (the `Explanation` decides, for every view alike); nil when it is final.
    static func partial(_ s: ExplorerState, _ i: Int) -> (arrived: Int, total: Int)? {
        guard s.phase == .reverse, s.stepper.explanation.isPartialAdjoint(i, at: s.stepper.position) else { return nil }
        return s.stepper.explanation.adjointProgress(i, at: s.stepper.position)
    }

    /// `v₋₁ x1`: the label and the user's name.
    static func label(_ tape: Tape, _ i: Int) -> String {
        if let name = tape.names[i], tape.entries[i].op != .constant { return "\(tape.label(i)) \(name)" }
        return tape.label(i)
    }

    /// The content as screen lines of `width` cells.
    static func wrapped(_ s: ExplorerState, width: Int) -> [Line] {
        lines(s, width: width).flatMap { line in wrap(line.text, width: width).map { Line($0, line.role) } }
    }


    // MARK: - Content

    /// Drops a `   = X` line that repeats the one before it (`−v̄₅ = −1 = −1`).
    static func deduplicated(_ lines: [Line]) -> [Line] {
        var out: [Line] = []
        for line in lines {
            if let last = out.last, line.text.hasPrefix("   = "), last.text.hasPrefix("   = "), last.text == line.text { continue }
            out.append(line)
        }
        return out
    }

    static func lines(_ s: ExplorerState, width: Int = 60) -> [Line] {
        var out = summary(s, width: width)
        guard let i = s.inspected else {
            out.append(Line("press n to take the first step", .muted))
            return out
        }
        out.append(Line(""))
        let sentence = s.stepper.explanation.sentence(i)
        out += node(s, sentence, width: width)
        if i == s.quizHidden {
            out += asked(s, sentence)
        } else if s.quiz != nil, s.phase == .reverse, !s.stepper.isDone(i), let step = sentence.step {
            // A later question: its terms so far would give it away.
            out.append(Line("\(sentence.label) = \(sentence.formula) = \(pending) (asked at step \(step + 1))", .muted))
        } else {
            switch s.phase {
            case .primal: break
            case .forward: out += tangent(s, sentence, width: width)
            case .reverse: out += adjoint(s, sentence, width: width)
            }
            // A layer's step in words (batch norm's paths back to h, dropout's units).
            if !sentence.remarks.isEmpty { out += [Line("")] + sentence.remarks.map { Line($0, .muted) } }
        }
        // The asked step's code would give its answer away (the seed's line is the seed).
        if i != s.quizHidden { out += code(s, i) }
        return deduplicated(out)
    }

    /// Quiz mode: the formula of the value asked for, with `?` for the value.
    static func asked(_ s: ExplorerState, _ x: Sentence) -> [Line] {
        let role: Role = s.phase == .primal ? .value : s.phase == .forward ? .tangent : .adjoint
        let what = s.phase == .primal ? "value" : s.phase == .forward ? "tangent" : "adjoint"
        var out = [Line("\(x.label) = \(s.phase == .primal ? s.tape.formula(x.node) : x.formula) = \(asked)", role)]
        out.append(Line("quiz: type its \(what) below (? for a hint)", .muted))
        return out
    }

    /// The code of the node's step, as `gradstep codegen` writes it (primal and reverse mode).
    static func code(_ s: ExplorerState, _ i: Int) -> [Line] {
        let lines = s.code.lines(i, s.phase)
        guard !lines.isEmpty else { return [] }
        return [Line("")] + lines.map { Line("\(CodeLines.language.rawValue): \($0.trimmingCharacters(in: .whitespaces))", .muted) }
    }

    /// The result of the sweep so far: the gradient in reverse mode (one line per input, its
    /// numbers when they fit; every matrix whole while the inspector has the focus), the
    /// output's tangent in forward mode, labelled as what it is.
    static func summary(_ s: ExplorerState, width: Int) -> [Line] {
        let tape = s.tape
        let y = tape.output
        let outName = tape.displayName(y)
        switch s.phase {
        case .primal:
            let text = s.stepper.isDone(y) ? fitted(s.evaluation.value(y), tape.entries[y].shape, width: width - outName.count - 3) : pending
            return [Line("\(outName) = \(text)", .value)]
        case .forward:
            let label = s.tangentSeed.derivativeLabel(tape)
            let dot = tape.names[y].map { Explanation.decorated($0, "\u{0307}") } ?? tape.tangentLabel(y)
            let head = label == dot ? label : "\(label) = \(dot)"
            let value = s.stepper.isDone(y) ? fitted(s.stepper.slice(s.stepper.tangents, y), tape.entries[y].shape, width: width - head.count - 3) : pending
            var out = [Line("\(head) = \(value)", .tangent)]
            if let v = s.tangentSeed.direction {
                out.append(Line("(directional derivative along v = [\(v.map { Format.short($0) }.joined(separator: ", "))] on \(tape.displayName(s.seedLeaf)); s seeds one element)", .muted))
            } else if !s.tangentSeed.isPartial(tape) {
                out.append(Line("(directional derivative: every element of \(tape.displayName(s.seedLeaf)) seeded with 1; s seeds one element)", .muted))
            }
            return out
        case .reverse:
            // Compact: one line when every entry fits on it, else one line per input (a
            // matrix shortened to what fits). Expanded (the inspector has the focus): every
            // matrix whole, rows aligned.
            let expanded = s.focus == .inspector
            var entries: [(text: String, role: Role)] = []
            var matrices: [(head: String, values: ArraySlice<Double>, shape: Shape)] = []
            for leaf in tape.differentiableLeaves {
                let e = tape.entries[leaf]
                let head = "∂\(outName)/∂\(tape.displayName(leaf)) = "
                guard s.stepper.hasAdjoint(leaf), s.quiz == nil || s.stepper.isDone(leaf) else { entries.append((head + pending, .muted)); continue }
                let values = s.stepper.slice(s.stepper.shownAdjoints, leaf)
                let progress = partial(s, leaf)
                let partial = progress.map { " so far (\($0.arrived) of \($0.total))" } ?? ""
                let role: Role = progress == nil ? .adjoint : .partial
                if expanded && e.rank >= 2 && e.rows > 1 {
                    matrices.append((String(head.dropLast(3)) + partial + " =", values, e.shape))
                    entries.append(("", role))
                } else {
                    entries.append((head + fitted(values, e.shape, width: width - head.count - partial.count - 2) + partial, role))
                }
            }
            let line = "∇ " + entries.map(\.text).joined(separator: "  ")
            // One line when it fits and every entry is final; a partial one gets its own line and style.
            if matrices.isEmpty && line.displayWidth <= width && !line.contains("[") && !entries.contains(where: { $0.role == .partial }) {
                return [Line(line, .adjoint)]
            }
            let hint = !expanded && tape.differentiableLeaves.contains { tape.entries[$0].rank >= 2 }
            var out = [Line("∇ gradient" + (hint ? " (Tab here to expand)" : ""), .adjoint)]
            var m = 0
            for entry in entries {
                if entry.text.isEmpty {
                    out.append(Line("  " + matrices[m].head, entry.role))
                    out += matrixLines(matrices[m].values, matrices[m].shape).map { Line("    " + $0, entry.role) }
                    m += 1
                } else {
                    out.append(Line("  " + entry.text, entry.role))
                }
            }
            return out
        }
    }

    /// The node's definition, value, operands and local partials.
    static func node(_ s: ExplorerState, _ x: Sentence, width: Int) -> [Line] {
        let tape = s.tape
        let i = x.node
        let e = tape.entries[i]
        let name = tape.names[i].map { " (\($0))" } ?? ""
        var out: [Line] = []
        if e.op.kind == .leaf {
            out.append(Line("\(tape.label(i))\(name): \(e.op.name)", .header))
            if let neurons = s.neurons { out.append(Line(neurons.tensorContext(i), .muted)) }
            out += valueLines("value", s.evaluation.value(i), e.shape, .value, width: width)
            if e.op != .constant { out.append(Line("e edits it", .muted)) }
            return out
        }
        out.append(Line("\(tape.label(i)) = \(tape.formula(i))\(name)", .header))
        if let neurons = s.neurons { out.append(Line(neurons.tensorContext(i), .muted)) }
        let computed = s.phase == .reverse || s.stepper.isDone(i)
        if computed {
            out += valueLines("value", s.evaluation.value(i), e.shape, .value, width: width)
        } else {
            out.append(Line("value not computed yet", .muted))
        }
        for a in e.operands {
            out += valueLines("  \(label(tape, a))", s.evaluation.value(a), tape.entries[a].shape, .text, width: width)
        }
        if computed {
            for p in x.partials {
                guard let value = p.value else {
                    // A tensor op's derivative is a VJP (reverse mode) or a JVP (forward mode,
                    // written in the tangent below); an elementwise gradient reads as a partial.
                    if !p.formula.contains(tape.adjointLabel(i)) {
                        out.append(Line("\(p.symbolic) = \(p.formula)"))
                    } else if s.phase != .forward {
                        out.append(Line("\(p.symbolic): VJP \(p.formula)"))
                    }
                    continue
                }
                let number = fitted(value[...], p.shape, width: width)
                // A constant partial (∂(a + b)/∂a = 1) is its own value: say it once.
                let rhs = p.formula == number ? number : "\(p.formula) = \(number)"
                out.append(Line("\(p.symbolic) = \(rhs)"))
            }
        }
        if !x.kinks.isEmpty {
            let at = e.count == 1 ? "" : " at element\(x.kinks.count == 1 ? "" : "s") " + x.kinks.map(String.init).joined(separator: ", ")
            out.append(Line("kink\(at): not differentiable here; PyTorch's convention is used", .kink))
        }
        return out
    }

    /// Forward mode: v̇ᵢ = Σ v̇ₐ·∂vᵢ/∂vₐ (JVPs for tensors), with numbers once the step has
    /// computed it.
    static func tangent(_ s: ExplorerState, _ x: Sentence, width: Int) -> [Line] {
        let tape = s.tape
        let i = x.node
        let e = tape.entries[i]
        if e.op.kind == .leaf {
            guard e.op != .constant else { return [] }
            guard i == s.seedLeaf else { return [Line("\(x.label) = 0", .tangent)] }
            let direction = s.tangentSeed.direction.map { "v = [" + $0.map { Format.short($0) }.joined(separator: ", ") + "] (seed: a direction)" }
            let seed = direction ?? s.tangentSeed.element.map { "1 at element \($0), 0 elsewhere (seed)" } ?? "1 (seed)"
            return [Line("\(x.label) = \(seed)", .tangent)]
        }
        var out = [Line("\(x.label) = \(x.formula)", .tangent)]
        if let expanded = x.expanded, expanded != x.formula { out.append(Line("   = \(expanded)", .tangent)) }
        guard s.stepper.isDone(i) else { return out + [Line("   = \(pending) (not computed yet)", .muted)] }
        if let numbers = x.withNumbers { out.append(Line("   = \(numbers)", .tangent)) }
        out += valueLines("  ", x.result[...], x.shape, .tangent, width: width)
        return out
    }

    /// Reverse mode: v̄ᵢ = Σ over consumers c of v̄_c·∂v_c/∂vᵢ (VJPs for tensors), with the
    /// terms that have arrived so far in numbers and the others still to come; then what the
    /// node passes on to each operand.
    static func adjoint(_ s: ExplorerState, _ x: Sentence, width: Int) -> [Line] {
        let tape = s.tape
        let i = x.node
        let e = tape.entries[i]
        guard e.op != .constant else { return [Line("a constant: no gradient", .muted)] }
        guard tape.needsGradient(i) || i == tape.output else { return [Line("depends on constants only: no gradient", .muted)] }
        guard i <= tape.output else { return [Line("not upstream of the output: no adjoint", .muted)] }
        var out: [Line] = []
        if e.op == .input || e.op == .param {
            let gradient = "∂\(tape.displayName(tape.output))/∂\(tape.displayName(i))"
            out.append(Line(s.stepper.isDone(i) ? "\(gradient) = \(x.label): this step completes it" : "\(gradient) = \(x.label), complete at step \((x.step ?? 0) + 1)", .header))
        }
        if i == tape.output {
            out.append(Line("\(x.label) = \(s.outputSeedText) (seed)", .adjoint))
        } else if x.terms.isEmpty {
            out.append(Line("\(x.label) = 0 (no consumers)", .muted))
        } else {
            let arrived = x.terms.map { s.stepper.hasArrived($0.contribution) }
            let all = !arrived.contains(false)
            out.append(Line("\(x.label) = \(x.formula)", .adjoint))
            if let expanded = x.expanded, expanded != x.formula { out.append(Line("   = \(expanded)", .adjoint)) }
            let numbers = zip(x.terms, arrived).map { t, ok in ok ? t.substituted : pending }
            out.append(Line("   = " + Explanation.sum(numbers), .adjoint))
            if x.terms.count > 1 || !all {
                let values = zip(x.terms, arrived).map { t, ok in ok ? Explanation.signed(fitted(t.value[...], t.shape, width: width / 2)) : pending }
                out.append(Line("   = " + values.joined(separator: " + "), .adjoint))
            }
            if s.stepper.hasAdjoint(i) {
                let p = partial(s, i)
                out += valueLines("  ", s.stepper.slice(s.stepper.shownAdjoints, i), e.shape, p == nil ? .adjoint : .partial, width: width,
                                  suffix: p.map { " so far (\($0.arrived) of \($0.total) terms)" } ?? (all ? "" : " so far"))
            } else {
                out.append(Line("   nothing has arrived yet", .muted))
            }
            for (t, ok) in zip(x.terms, arrived) where !ok {
                out.append(Line("   \(t.from)'s term arrives at step \(t.contribution.step + 1)", .muted))
            }
        }
        let sends = s.stepper.explanation.sends(i).filter { tape.entries[$0.operand].op != .constant }
        guard !sends.isEmpty else { return out }
        out.append(Line(""))
        let done = s.stepper.isDone(i)
        out.append(Line(done ? "passes on to its operands:" : "will pass on to its operands at step \((x.step ?? 0) + 1):", .header))
        for c in sends {
            let t = s.stepper.explanation.term(c)
            let target = tape.adjointLabel(c.operand)
            out.append(Line("→ \(target) += \(t.expanded)", .adjoint))
            guard done else { continue }
            if t.substituted != t.expanded { out.append(Line("   = \(t.substituted)", .adjoint)) }
            out += valueLines("  ", t.value[...], t.shape, .adjoint, width: width)
        }
        return out
    }

    // MARK: - Numbers

    /// `title = value`, a matrix as aligned rows under its title when it does not fit on one line.
    static func valueLines(_ title: String, _ values: ArraySlice<Double>, _ shape: Shape, _ role: Role,
                           width: Int, suffix: String = "") -> [Line] {
        let head = "\(title) ="
        let inline = Format.tensor(values, shape)
        if shape.rank < 2 || head.count + 1 + inline.displayWidth + suffix.count <= width {
            return [Line("\(head) \(fitted(values, shape, width: width - head.count - 1 - suffix.count))\(suffix)", role)]
        }
        var out = [Line("\(head) \(shape)\(suffix)", role)]
        let rows = matrixLines(values, shape)
        out += rows.prefix(12).map { Line("    " + $0, role) }
        if rows.count > 12 { out.append(Line("    … \(rows.count - 12) more rows", .muted)) }
        return out
    }

    /// A matrix as rows with the columns lined up: `[ 0.15  −0.46   0.59]`; a tensor of rank
    /// 3 or 4 as its 2-D slices (H × W), each under its index: `[0,1,:,:]`.
    static func matrixLines(_ values: ArraySlice<Double>, _ shape: Shape) -> [String] {
        if shape.rank > 2 {
            let d = shape.dims, (h, w) = (d[d.count - 2], d[d.count - 1])
            let lead = Shape.tensor(Array(d.dropLast(2)))
            return (0..<lead.count).flatMap { s in
                let label = "[" + (lead.index(of: s).map(String.init) + [":", ":"]).joined(separator: ",") + "]"
                let start = values.startIndex + s * h * w
                return [label] + matrixLines(values[start ..< start + h * w], .matrix(h, w))
            }
        }
        let c = Int(shape.cols), rows = Int(shape.rows)
        let cells = values.map { Format.short($0, digits: 5) }
        var widths = [Int](repeating: 0, count: c)
        for (k, cell) in cells.enumerated() { widths[k % c] = max(widths[k % c], cell.displayWidth) }
        return (0..<rows).map { r in
            "[" + (0..<c).map { j in
                let cell = cells[r * c + j]
                return String(repeating: " ", count: widths[j] - cell.displayWidth) + cell
            }.joined(separator: "  ") + "]"
        }
    }

    /// A value in at most `width` cells: every digit that fits, fewer digits when needed, the
    /// shape when even three digits do not fit.
    static func fitted(_ values: ArraySlice<Double>, _ shape: Shape, width: Int) -> String {
        GraphView.number(values, shape, width: width)
    }

    /// The words of a line: split at spaces outside brackets, so a tensor such as
    /// `[0, 0, 1]` stays on one line when it fits on one.
    static func words(_ text: Substring) -> [String] {
        var out: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "[" { depth += 1 } else if ch == "]" { depth = max(0, depth - 1) }
            if ch == " " && depth == 0 {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Breaks a line at spaces to fit `width`; continuation lines are indented past the
    /// line's own indentation.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        guard text.displayWidth > width else { return [text] }
        let indent = String(text.prefix { $0 == " " })
        let continuation = String(repeating: " ", count: min(width / 2, indent.count + 5))
        var lines: [String] = [], current = indent
        let room = width - continuation.count
        let pieces = words(text.dropFirst(indent.count)).flatMap { word in
            word.displayWidth > room ? word.split(separator: " ").map(String.init) : [word]
        }
        for word in pieces {
            let candidate = current.trimmingCharacters(in: .whitespaces).isEmpty ? current + word : current + " " + word
            if candidate.displayWidth > width && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = continuation + word
            } else {
                current = candidate
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(current) }
        return lines
    }
}

extension ExplorerState {
    /// How far the inspector can scroll in `rect` (its pane's rectangle).
    func inspectorMaxScroll(in rect: Rect) -> Int {
        let inner = rect.inset(top: 1, left: 2, bottom: 1, right: 1)
        guard !inner.isEmpty else { return 0 }
        return max(0, NodeText.wrapped(self, width: inner.width).count - inner.height)
    }
}
