import Foundation

/// One forward-mode step written with dual numbers a + bε (ε² = 0): every node carries its
/// primal a and its tangent b, and the op applied to dual numbers gives the next one.
///
/// `v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε`: `label`, `formula`, `substituted`, `result`.
/// A leaf reads `v₋₁ = x1 = 2 + 1ε` (its seed is the ε part). Constants are plain numbers
/// (their ε part is 0). The numbers are the `Explanation`'s primal values and tangents:
/// nothing is recomputed here.
public struct DualSentence: Sendable, Equatable {
    public var node: Int
    /// `v₂`.
    public var label: String
    /// The user's name, if any.
    public var name: String?
    /// `v₋₁·v₀`; for a leaf, its name.
    public var formula: String
    /// The formula with each operand written as a dual number: `(2 + 1ε)(5 + 0ε)`; nil for a leaf.
    public var substituted: String?
    /// The node's own dual number: `10 + 5ε`.
    public var result: String
    /// The step as algebra, in the nodes' names: the op applied to `v + v̇ε` gives the value
    /// plus the tangent times ε, g(v + v̇ε) = g(v) + g′(v)·v̇ε with the tangent rule of the
    /// forward trace: `sin(v₀ + v̇₀ε) = sin v₀ + (v̇₀·cos v₀)ε`. Nil for a leaf.
    public var algebra: String?

    /// `v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε`, with `(y)` after a named computed node.
    public var line: String {
        var parts = [label, formula]
        if let substituted { parts.append(substituted) }
        parts.append(result)
        let named = substituted != nil ? name.map { "   (\($0))" } ?? "" : ""
        return parts.joined(separator: " = ") + named
    }
}

extension Explanation {
    /// Node `i`'s primal and tangent as the dual number `a + bε` (`2 + 1ε`, `0.693147 + 0.5ε`,
    /// `3 − 2ε`). A tensor is its primal tensor plus its tangent tensor times ε:
    /// `[1, 2] + [0, 1]ε`. A constant, and any node outside the forward phase, is its primal.
    public func dual(_ i: Int) -> String {
        let shape = tape.entries[i].shape
        let a = Explanation.inline(slice(values, i), shape)
        guard phase == .forward, tape.entries[i].op != .constant else { return a }
        let t = slice(tangents, i)
        if shape.isScalar, let b = t.first {
            let sign = b < 0 ? " − " : " + "
            return a + sign + Format.short(Swift.abs(b)) + "ε"
        }
        return a + " + " + Explanation.inline(t, shape) + "ε"
    }

    /// The forward step of node `i` in dual numbers; see `DualSentence`.
    public func dualSentence(_ i: Int) -> DualSentence {
        let e = tape.entries[i]
        var s = DualSentence(node: i, label: tape.label(i), name: tape.names[i], formula: "", substituted: nil,
                             result: dual(i))
        guard e.op.kind != .leaf else {
            s.formula = tape.displayName(i)
            return s
        }
        s.formula = tape.formula(i).replacingOccurrences(of: " · ", with: "·")
        // Ops that bracket their operands themselves (`σ(a)`, `max(a, b)`) get them bare.
        let brackets = e.op.formula(["\u{1}", "\u{2}"]).contains("(\u{1}")
        let operands = e.operands.map { k -> String in
            let text = dual(k)
            if tape.entries[k].op == .constant { return Explanation.signed(text) }
            return brackets ? text : "(\(text))"
        }
        s.substituted = Self.dualFormula(e.op, operands)
        let symbols = e.operands.map { k -> String in
            tape.entries[k].op == .constant ? tape.label(k) : "(\(tape.label(k)) + \(tape.tangentLabel(k))ε)"
        }
        let rule = sentence(i).expanded ?? tape.tangentLabel(i)
        s.algebra = Self.dualFormula(e.op, symbols) + " = " + s.formula + " + (" + rule + ")ε"
        return s
    }

    /// The op's formula on operands written as dual numbers: `sin(2 + 1ε)`, `(a + ȧε)(b + ḃε)`.
    private static func dualFormula(_ op: Op, _ operands: [String]) -> String {
        op.formula(operands)
            .replacingOccurrences(of: "\(op.name) (", with: "\(op.name)(")
            .replacingOccurrences(of: ") · (", with: ")(")
            .replacingOccurrences(of: " · ", with: "·")
    }

    /// The dual-number lines of the whole forward sweep: the leaves, then every computed
    /// node in tape order (unnamed literal constants left out).
    public var dualSentences: [DualSentence] {
        (0..<tape.count).filter { tape.entries[$0].op != .constant }.map(dualSentence)
    }
}
