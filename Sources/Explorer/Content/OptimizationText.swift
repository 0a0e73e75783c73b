import Foundation
import GraphCore
import Optimize
import Screen

/// What optimisation mode's pane writes in its left column, line by line: the iteration shown
/// (θₖ, its loss and gradient) and the update to the next iterate with its numbers, wrapped to
/// the column. A function of the session, so the pane draws it and the reducer knows how far
/// it scrolls.
enum OptimizationText {
    /// The text column and the plots beside (or under) it, in the pane's rectangle.
    static func columns(_ rect: Rect) -> (text: Rect, plots: Rect) {
        let wide = rect.width >= 100
        let parts = wide ? rect.columns([.fraction(0.5), .fill]) : rect.rows([.fraction(0.5), .fill])
        return (parts[0], parts[1])
    }

    /// Where the lines go inside the text column's box.
    static func inner(_ text: Rect) -> Rect { text.inset(by: 1).inset(left: 1) }

    /// The column's lines at `width`: an update formula too wide continues at an ` = `, any
    /// other line (θ of 17 variables, the advice after a divergence) at a space.
    static func wrappedLines(_ session: OptimizationSession, _ k: Int, width: Int, ascii: Bool) -> [(String, Style)] {
        let column = ascii ? lines(session, k).map { (spelledForASCII($0.text), $0.style) } : lines(session, k)
        return column.flatMap { line in
            (line.text.hasPrefix("  ") ? wrap(line.text, width: width) : wrapHeading(line.text, width: width)).map { ($0, line.style) }
        }
    }

    /// A heading at the gaps of three spaces between its items (`W1[0,0] = 1.5   W1[0,1] = 1.2`
    /// keeps each `name = value` whole), else at a space.
    static func wrapHeading(_ text: String, width: Int) -> [String] {
        let items = text.components(separatedBy: "   ")
        guard items.count > 1 else { return NodeText.wrap(text, width: width) }
        var lines: [String] = [], current = ""
        for item in items {
            let candidate = current.isEmpty ? item : current + "   " + item
            if candidate.displayWidth <= width || current.trimmingCharacters(in: .whitespaces).isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = "     " + item
            }
        }
        lines.append(current)
        return lines.flatMap { NodeText.wrap($0, width: width) }
    }

    /// The few symbols a terminal without UTF-8 has no one-cell stand-in for, spelled out
    /// (`√v̂` as `sqrt(v̂)`, `β₁ᵗ` as `β₁^t`, `‖∇L‖` as `|∇L|`); the terminal maps the rest.
    static func spelledForASCII(_ text: String) -> String {
        text.replacingOccurrences(of: "√v̂", with: "sqrt(v̂)").replacingOccurrences(of: "√s", with: "sqrt(s)")
            .replacingOccurrences(of: "ᵗ", with: "^t").replacingOccurrences(of: "‖", with: "|")
    }

    /// A formula too wide for the column continues on the next line at an ` = ` (the last
    /// one that fits, keeping the result with its numbers where it can):
    /// `m ← β₁·m + (1−β₁)·g` over `    = 0.9·0 + 0.1·(−2) = −0.2`.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.displayWidth > width else { return [text] }
        var splits: [Range<String.Index>] = []
        var from = text.startIndex
        while let r = text.range(of: " = ", range: from ..< text.endIndex) {
            if text[..<r.lowerBound].contains(where: { $0 != " " }) { splits.append(r) }
            from = r.upperBound
        }
        let candidates = splits.count > 1 ? Array(splits.dropLast()) : splits
        guard let cut = candidates.last(where: { text[..<$0.lowerBound].displayWidth <= width }) ?? candidates.first
        else { return [text] }
        let indent = String(text.prefix { $0 == " " })
        let rest = indent + (text.hasPrefix(indent + "=") ? "" : "    ") + "= " + text[cut.upperBound...]
        return [String(text[..<cut.lowerBound])] + (rest.count < text.count ? wrap(rest, width: width) : [rest])
    }

    /// Significant digits of the numbers in an update.
    static let digits = 5

    /// The left column, line by line.
    static func lines(_ session: OptimizationSession, _ k: Int) -> [(text: String, style: Style)] {
        var out: [(text: String, style: Style)] = []
        func add(_ text: String, _ role: Role = .text, bold: Bool = false) {
            out.append((text, bold ? Style(role, .bold) : Style(role)))
        }
        let it = session.iterates[k]
        let sub = ExplorerState.subscripted(k)
        if session.status == .diverged { add("DIVERGED: \(session.outcome)", .error, bold: true) }
        add("iteration \(k) of \(session.steps) · L(θ\(sub)) = \(Format.short(it.loss))", .title, bold: true)
        add("θ\(sub)  " + zip(session.names, it.theta).map { "\($0) = \(Format.short($1))" }.joined(separator: "   "), .value)
        let norm = it.gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        add("∇L(θ\(sub)) = (" + it.gradient.map { Format.short($0) }.joined(separator: ", ") + "), ‖∇L‖ = \(Format.short(norm, digits: 4))", .adjoint)
        if k < session.batchRows.count {
            // The loss is on every row, the gradient (what the update takes) on the batch's.
            let rows = session.batchRows[k]
            add("L on all \(session.dataRows) rows; ∇L on the batch's \(rows.count): rows \(rows.map(String.init).joined(separator: ", ")) (from 0)", .muted)
        }
        add("")
        guard k < session.steps else {
            add("no update after iteration \(k): the run ended.", .muted)
            add(session.outcome, session.status == .diverged ? .error : .info, bold: session.status == .diverged)
            return out
        }
        let u = session.updates[k]
        add("update t = \(u.t): θ\(sub) → θ\(ExplorerState.subscripted(k + 1)), \(rateText(session, u))", .header, bold: true)
        if let norm = u.clipNorm, let limit = session.arguments.clipGradNorm {
            // clip_grad_norm_: one factor for every element, from the norm of all of them.
            add(u.clipScale < 1
                ? "‖∇L‖ = \(Format.short(norm, digits: digits)) > \(Format.short(limit)): clipped, s = \(Format.short(limit))/(‖∇L‖ + 1e−6) = \(Format.short(u.clipScale, digits: digits))"
                : "‖∇L‖ = \(Format.short(norm, digits: digits)) ≤ \(Format.short(limit)): not clipped", .text)
        }
        for i in u.from.indices {
            for line in updateLines(session, u, i) { add(line.text, line.role) }
        }
        add("")
        add("n/p iteration · g/G first/last · Enter its reverse sweep · O leaves", .muted)
        return out
    }

    static func rateText(_ session: OptimizationSession, _ u: OptimizationSession.Update) -> String {
        if let search = session.arguments.lineSearch { return "α = \(Format.short(u.rate)) (\(search.rawValue) line search)" }
        if session.hyper.method == .newton { return "η = \(Format.short(u.rate)) (Newton)" }
        return "η = \(Format.short(u.rate))" + (session.arguments.schedule == "constant" ? "" : " (schedule \(session.arguments.schedule))")
    }

    /// The update of element `i` as formulas with their numbers, in the order the rule
    /// computes them (`UpdateRule`, PyTorch's order).
    static func updateLines(_ session: OptimizationSession, _ u: OptimizationSession.Update, _ i: Int) -> [(text: String, role: Role)] {
        let h = session.hyper
        let x = session.names[i]
        func n(_ v: Double) -> String { Format.short(v, digits: digits) }
        /// A number after an operator: negative ones in parentheses.
        func p(_ v: Double) -> String { v < 0 || v.isNaN ? "(\(n(v)))" : n(v) }
        let (g, from, to) = (u.gradient[i], u.from[i], u.to[i])
        var out: [(text: String, role: Role)] = [("\(x):", .title)]
        // Clipped: the rule takes s·∂L/∂x (then adds λ·x, as PyTorch's step after clipping).
        let dL = g - h.weightDecay * from
        let clip = u.clipScale < 1 ? "s·" : ""
        let partial = u.clipScale < 1 ? "\(n(u.clipScale))·\(p(dL / u.clipScale))" : n(dL)
        if h.weightDecay != 0 {
            out.append(("  g ← \(clip)∂L/∂\(x) + λ·\(x) = \(partial)"
                        + " + \(n(h.weightDecay))·\(p(from)) = \(n(g))", .adjoint))
        } else {
            out.append(("  g = \(clip)∂L/∂\(x) = " + (u.clipScale < 1 ? "\(partial) = " : "") + n(g), .adjoint))
        }
        if let d = u.direction?[i] {
            out.append((h.method == .newton ? "  d = −(H⁻¹∇L)ᵢ = \(n(d))" : "  d = −g = \(n(d))", .text))
            out.append(("  \(x) ← \(x) + α·d = \(n(from)) + \(n(u.rate))·\(p(d)) = \(n(to))", .value))
            return out
        }
        let eta = n(u.rate)
        switch h.method {
        case .sgd, .momentum, .nesterov, .newton:
            guard h.momentum != 0 else {
                out.append(("  \(x) ← \(x) − η·g = \(n(from)) − \(eta)·\(p(g)) = \(n(to))", .value))
                return out
            }
            let (v0, v) = (u.firstBefore[i], u.firstAfter[i])
            out.append((u.t == 1 ? "  v ← g = \(n(v))   (PyTorch starts v at g)"
                        : "  v ← μ·v + g = \(n(h.momentum))·\(p(v0)) + \(p(g)) = \(n(v))", .text))
            if h.method == .nesterov {
                out.append(("  \(x) ← \(x) − η·(g + μ·v) = \(n(from)) − \(eta)·(\(n(g)) + \(n(h.momentum))·\(p(v))) = \(n(to))", .value))
            } else {
                out.append(("  \(x) ← \(x) − η·v = \(n(from)) − \(eta)·\(p(v)) = \(n(to))", .value))
            }
        case .adagrad, .rmsprop:
            let (s0, s) = (u.secondBefore[i], u.secondAfter[i])
            if h.method == .adagrad {
                out.append(("  s ← s + g² = \(n(s0)) + \(p(g))² = \(n(s))", .text))
            } else {
                out.append(("  s ← α·s + (1−α)·g² = \(n(h.alpha))·\(n(s0)) + \(n(1 - h.alpha))·\(p(g))² = \(n(s))", .text))
            }
            out.append(("  \(x) ← \(x) − η·g/(√s + ε) = \(n(from)) − \(eta)·\(p(g))/(\(n(s.squareRoot())) + \(n(h.epsilon))) = \(n(to))", .value))
        case .adam:
            let (b1, b2) = h.betas
            let (m0, m, v0, v) = (u.firstBefore[i], u.firstAfter[i], u.secondBefore[i], u.secondAfter[i])
            out.append(("  m ← β₁·m + (1−β₁)·g = \(n(b1))·\(p(m0)) + \(n(1 - b1))·\(p(g)) = \(n(m))", .text))
            out.append(("  v ← β₂·v + (1−β₂)·g² = \(n(b2))·\(n(v0)) + \(n(1 - b2))·\(p(g))² = \(n(v))", .text))
            out.append(("  m̂ = m/(1 − β₁ᵗ) = \(p(m))/(1 − \(n(b1))^\(u.t)) = \(n(u.mHat[i]))", .text))
            out.append(("  v̂ = v/(1 − β₂ᵗ) = \(n(v))/(1 − \(n(b2))^\(u.t)) = \(n(u.vHat[i]))", .text))
            let step = u.adamStep[i]
            out.append(("  step = η·m̂/(√v̂ + ε) = \(eta)·\(p(u.mHat[i]))/(\(n(u.vHat[i].squareRoot())) + \(n(h.epsilon))) = \(n(step))", .text))
            out.append(("  \(x) ← \(x) − step = \(n(from)) − \(p(step)) = \(n(to))", .value))
        }
        return out
    }
}
