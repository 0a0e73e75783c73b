import Foundation
import GraphCore
import Screen

/// The inspected node (the selection, else the current step): its op, its operands with their
/// values, its local partials, and the chain rule of the mode with real numbers, showing in
/// reverse mode each consumer's contribution as it arrives.
enum InspectorPane {
    struct Line: Equatable {
        var text: String
        var role: Role
        init(_ text: String, _ role: Role = .text) { (self.text, self.role) = (text, role) }
    }

    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        canvas.drawBox(rect, style: Style(s.focus == .inspector ? .focusBorder : .border), title: "Inspector")
        let inner = rect.inset(top: 1, left: 2, bottom: 1, right: 1)
        guard !inner.isEmpty else { return }
        var y = inner.y
        for line in lines(s) {
            for piece in wrap(line.text, width: inner.width) {
                guard y < inner.maxY else { return }
                canvas.put(piece, x: inner.x, y: y, style: Style(line.role), clip: inner)
                y += 1
            }
        }
    }

    // MARK: - Content

    static func lines(_ s: ExplorerState) -> [Line] {
        var out = summary(s)
        guard let i = s.inspected else {
            out.append(Line("press n to take the first step", .muted))
            return out
        }
        out.append(Line(""))
        out += node(s, i)
        switch s.phase {
        case .primal: break
        case .forward: out += tangent(s, i)
        case .reverse: out += adjoint(s, i)
        }
        return out
    }

    /// The result of the sweep so far: the gradient in reverse mode, ẏ in forward mode.
    static func summary(_ s: ExplorerState) -> [Line] {
        let tape = s.tape
        let y = tape.output
        let outName = tape.names[y] ?? tape.label(y)
        switch s.phase {
        case .primal:
            let done = s.stepper.isDone(y)
            return [Line("\(outName) = " + (done ? number(s.evaluation.value(y), tape.entries[y].shape) : "·"), .value)]
        case .forward:
            let seed = tape.names[s.seedLeaf] ?? tape.label(s.seedLeaf)
            let done = s.stepper.isDone(y)
            let value = done ? number(s.stepper.slice(s.stepper.tangents, y), tape.entries[y].shape) : "·"
            return [Line("∂\(outName)/∂\(seed) = \(dotted(outName)) = \(value)", .tangent)]
        case .reverse:
            let parts = tape.differentiableLeaves.map { leaf -> String in
                let name = tape.names[leaf] ?? tape.label(leaf)
                let value = s.hasAdjoint(leaf) ? number(s.stepper.slice(s.stepper.shownAdjoints, leaf), tape.entries[leaf].shape) : "·"
                return "\(barred(name)) = \(value)"
            }
            return [Line("∇ " + parts.joined(separator: "  "), .adjoint)]
        }
    }

    /// The node's definition, value, operands and local partials.
    static func node(_ s: ExplorerState, _ i: Int) -> [Line] {
        let tape = s.tape
        let e = tape.entries[i]
        let name = tape.names[i].map { " (\($0))" } ?? ""
        var out: [Line] = []
        if e.op.kind == .leaf {
            out.append(Line("\(tape.label(i))\(name): \(e.op.name)", .header))
            out += valueLines("value", s.evaluation.value(i), e.shape, .value)
            if e.op != .constant { out.append(Line("e edits it", .muted)) }
            return out
        }
        out.append(Line("\(tape.label(i)) = \(tape.formula(i))\(name)", .header))
        let computed = s.phase == .reverse || s.stepper.isDone(i)
        if computed {
            out += valueLines("value", s.evaluation.value(i), e.shape, .value)
        } else {
            out.append(Line("value not computed yet", .muted))
        }
        for a in e.operands {
            out += valueLines("  \(TracePane.label(tape, a))", s.evaluation.value(a), tape.entries[a].shape, .text)
        }
        if computed, e.flags & TapeEntry.Flags.scalar != 0 {
            let p = partials(s, i)
            for (k, a) in e.operands.enumerated() where tape.entries[a].op != .constant {
                let symbolic = e.op.partialFormula(k, e.operands.map(tape.label), result: tape.label(i))
                let number = Format.short(k == 0 ? p.0 : p.1)
                // A constant partial (∂(a + b)/∂a = 1) is its own value: say it once.
                let rhs = symbolic == number ? number : "\(symbolic) = \(number)"
                out.append(Line("∂\(tape.label(i))/∂\(tape.label(a)) = \(rhs)"))
            }
        }
        if GraphPane.isKink(s, i) {
            out.append(Line("kink: not differentiable here; PyTorch's convention is used", .kink))
        }
        return out
    }

    /// Forward mode: v̇ᵢ = Σ v̇ₐ·∂vᵢ/∂vₐ with numbers, once the step has computed it.
    static func tangent(_ s: ExplorerState, _ i: Int) -> [Line] {
        let tape = s.tape
        let e = tape.entries[i]
        let t = s.stepper.tangents
        if e.op.kind == .leaf {
            guard e.op != .constant else { return [] }
            return [Line("\(tape.tangentLabel(i)) = \(i == s.seedLeaf ? "1 (seed)" : "0")", .tangent)]
        }
        guard s.stepper.isDone(i) else { return [Line("\(tape.tangentLabel(i)) = · (not yet)", .muted)] }
        var symbolic: [String] = [], numeric: [String] = []
        let p = e.flags & TapeEntry.Flags.scalar != 0 ? partials(s, i) : nil
        for (k, a) in e.operands.enumerated() where tape.entries[a].op != .constant {
            symbolic.append("\(tape.tangentLabel(a))·∂\(tape.label(i))/∂\(tape.label(a))")
            if let p { numeric.append("\(signed(t[Int(tape.entries[a].offset)]))·\(signed(k == 0 ? p.0 : p.1))") }
        }
        var out = [Line("\(tape.tangentLabel(i)) = " + (symbolic.isEmpty ? "0" : symbolic.joined(separator: " + ")), .tangent)]
        if !numeric.isEmpty { out.append(Line("   = " + numeric.joined(separator: " + "), .tangent)) }
        out += valueLines("   =", s.stepper.slice(t, i), e.shape, .tangent)
        return out
    }

    /// Reverse mode: v̄ᵢ = Σ over consumers c of v̄_c·∂v_c/∂vᵢ, with the contributions that
    /// have arrived so far in numbers and the others still to come.
    static func adjoint(_ s: ExplorerState, _ i: Int) -> [Line] {
        let tape = s.tape
        let e = tape.entries[i]
        guard e.op != .constant else { return [] }
        guard i <= tape.output else { return [Line("not upstream of the output: no adjoint", .muted)] }
        let bar = tape.adjointLabel(i)
        if i == tape.output {
            return [Line("\(bar) = \(Format.short(s.outputSeed)) (seed)", .adjoint)]
        }
        let sweep = s.stepper.sweep
        let received = sweep.received(by: i)
        guard !received.isEmpty else { return [Line("\(bar) = 0 (no consumers)", .muted)] }
        var symbolic: [String] = [], numeric: [String] = [], terms: [String] = []
        var arrivedAll = true
        for c in received {
            let consumer = tape.entries[c.consumer]
            symbolic.append("\(tape.adjointLabel(c.consumer))·∂\(tape.label(c.consumer))/∂\(tape.label(i))")
            let arrived = tape.output - c.consumer < s.stepper.position
            guard arrived else {
                arrivedAll = false
                numeric.append("…")
                terms.append("…")
                continue
            }
            if c.partial != nil {
                let operands = consumer.operands.map { Format.short(s.evaluation.value($0).first ?? .nan) }
                let result = Format.short(s.evaluation.value(c.consumer).first ?? .nan)
                let partialText = consumer.op.partialFormula(c.position, operands.map(parenthesised), result: parenthesised(result))
                let g = sweep.adjoints[Int(consumer.offset)]
                numeric.append("\(signed(g))·\(needsParentheses(partialText) ? "(\(partialText))" : partialText)")
                terms.append(signed(sweep.values(of: c).first ?? .nan))
            } else {
                numeric.append("\(tape.adjointLabel(c.consumer))·…")
                terms.append(number(sweep.values(of: c), e.shape))
            }
        }
        var out = [Line("\(bar) = " + symbolic.joined(separator: " + "), .adjoint)]
        out.append(Line("   = " + numeric.joined(separator: " + "), .adjoint))
        if received.count > 1 || !arrivedAll { out.append(Line("   = " + terms.joined(separator: " + "), .adjoint)) }
        if s.hasAdjoint(i) {
            let total = number(s.stepper.slice(s.stepper.shownAdjoints, i), e.shape)
            out.append(Line("   = \(total)" + (arrivedAll ? "" : " so far"), .adjoint))
        } else {
            out.append(Line("   nothing has arrived yet", .muted))
        }
        return out
    }

    // MARK: - Helpers

    static func partials(_ s: ExplorerState, _ i: Int) -> (Double, Double) {
        let tape = s.tape
        let e = tape.entries[i]
        let v = s.evaluation.values
        return e.op.partials(v[Int(tape.entries[Int(e.a)].offset)], v[Int(tape.entries[Int(e.b)].offset)], v[Int(e.offset)])
    }

    /// `value 10`, or for a matrix one row per line.
    static func valueLines(_ title: String, _ values: ArraySlice<Double>, _ shape: Shape, _ role: Role) -> [Line] {
        guard shape.rank == 2, shape.rows > 1 else { return [Line("\(title) = \(number(values, shape))", role)] }
        let c = Int(shape.cols), rows = Int(shape.rows)
        var out = [Line("\(title) = \(shape)", role)]
        for r in 0..<min(rows, 6) {
            let start = values.startIndex + r * c
            out.append(Line("    " + Format.tensor(values[start ..< start + c], .vector(c)), role))
        }
        if rows > 6 { out.append(Line("    …", .muted)) }
        return out
    }

    static func number(_ values: ArraySlice<Double>, _ shape: Shape) -> String {
        values.count == 1 ? Format.short(values.first!) : Format.tensor(values, shape)
    }

    /// Whether a partial written after `·` needs brackets: `(1/2)`, `(−1)`, but `cos 5`.
    static func needsParentheses(_ text: String) -> Bool {
        text.hasPrefix("−") || [" + ", " − ", "/", "·", "?", "⊙", "^"].contains { text.contains($0) }
    }

    /// `(−1)` for negative numbers, so products read right.
    static func signed(_ x: Double) -> String { parenthesised(Format.short(x)) }
    static func parenthesised(_ text: String) -> String { text.hasPrefix("−") ? "(\(text))" : text }

    /// `x̄1`: a bar over the name's first letter.
    static func barred(_ name: String) -> String { decorate(name, "\u{0304}") }
    static func dotted(_ name: String) -> String { decorate(name, "\u{0307}") }
    private static func decorate(_ name: String, _ mark: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + mark + name.dropFirst()
    }

    /// Breaks a line at spaces to fit `width`; continuation lines are indented.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        guard text.displayWidth > width else { return [text] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.displayWidth > width && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = "     " + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
