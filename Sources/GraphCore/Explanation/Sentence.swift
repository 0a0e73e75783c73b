import Foundation

/// What one node's step says, in the entry's labels and in numbers: the sentence the trace
/// row, the inspector, the frame caption and the DOT edge labels all print.
///
/// `v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀` (formula) `= v̄₃·cos v₀ + v̄₂·v₋₁` (expanded)
/// `= (−1)·cos 5 + 1·2` (substituted) `= (−1)·0.283662 + 1·2` (numbers) `= 1.71634` (result).
/// For tensors the partials are VJPs or JVPs: `v̄₋₃ = v₋₂ᵀ · v̄₁ = [[−0.3, 0.15], …]ᵀ · […] = […]`.
public struct Sentence: Sendable {
    /// One chain-rule term: the contribution and how it reads.
    public struct Term: Sendable {
        public var contribution: Contribution
        /// The other end's label: the consumer in reverse mode, the operand in forward mode.
        public var from: String
        /// `v̄₃·∂v₃/∂v₀`; `Σ v̄₂·∂v₂/∂v₋₁` for a broadcast operand.
        public var symbolic: String
        /// `v̄₃·cos v₀`, `v₀ᵀ · v̄₄`, `Σ v̄₂`, `v̄₂ ⊙ [v₁ > 0]`.
        public var expanded: String
        /// The same with numbers in: `(−1)·cos 5`, `[0.1, −0.3] ⊙ [0, 1]`.
        public var substituted: String
        /// Scalar terms: factor and partial as numbers, `(−1)·0.283662`.
        public var numbers: String?
        public var value: [Double]
        public var shape: Shape
    }

    /// A local partial of the node with respect to one operand.
    public struct Partial: Sendable {
        public var operand: Int
        /// `∂v₃/∂v₀`.
        public var symbolic: String
        /// `cos v₀`; for a tensor op its VJP, `v̄₄ · v₋₃ᵀ`.
        public var formula: String
        /// The partial's numbers (elementwise for tensors: relu's mask); nil for a tensor op.
        public var value: [Double]?
        public var shape: Shape
    }

    public var node: Int
    /// `v₁`, `v̇₁` or `v̄₁`.
    public var label: String
    /// The user's name, if any.
    public var name: String?
    /// `ln v₋₁`; `v̇₋₁·∂v₁/∂v₋₁`; `v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀`; `seed`; `0`.
    public var formula: String
    public var expanded: String?
    public var substituted: String?
    public var numbers: String?
    /// The value, tangent or adjoint the step produces.
    public var result: [Double]
    public var shape: Shape
    /// The primal value next to a tangent or adjoint.
    public var primal: [Double]
    /// Reverse: the terms received from consumers; forward: one per operand. Constants' are left out.
    public var terms: [Term]
    public var partials: [Partial]
    /// Elements at a kink (a convention, PyTorch's, gave the derivative there).
    public var kinks: [Int]
    /// The step that visits the node, if any.
    public var step: Int?
    /// What a layer's step means, in words with its numbers (`Explanation+Layers.swift`):
    /// batch norm's three paths back to h, dropout's kept and dropped units. Empty elsewhere.
    public var remarks: [String] = []

    /// The sentence's numbers: per-term numbers for scalars, else the numbers substituted in.
    public var withNumbers: String? { numbers ?? substituted }
}

extension Explanation {
    /// The sentence for node `i` in this phase.
    public func sentence(_ i: Int) -> Sentence {
        let e = tape.entries[i]
        var s = Sentence(node: i, label: tape.label(i), name: tape.names[i], formula: "", result: [],
                         shape: e.shape, primal: Array(slice(values, i)), terms: [], partials: [],
                         kinks: kinks[i] ?? [], step: step(of: i))
        if e.op.kind != .leaf { s.partials = localPartials(i) }
        s.remarks = layerRemarks(i) + gatherRemarks(i) + cutRemarks(i)
        switch phase {
        case .primal:
            s.formula = tape.formula(i)
            s.result = s.primal
            if e.op.kind != .leaf {
                let operands = e.operands.map { Explanation.signed(inline(slice(values, $0), tape.entries[$0].shape)) }
                s.substituted = e.poolFormula(operands[0]) ?? e.op.formula(operands)
            }
        case .forward:
            s.label = tape.tangentLabel(i)
            s.result = Array(slice(tangents, i))
            if e.op.kind == .leaf {
                s.formula = i == tangentSeed.leaf ? "seed" : "0"
                return s
            }
            s.terms = received(by: i).filter { tape.entries[$0.operand].op != .constant }.map(term)
            fill(&s)
        case .reverse:
            s.label = tape.adjointLabel(i)
            s.result = Array(slice(adjoints, i))
            if i == tape.output {
                s.formula = "seed"
                return s
            }
            s.terms = received(by: i).map(term)
            fill(&s)
        }
        return s
    }

    private func fill(_ s: inout Sentence) {
        guard !s.terms.isEmpty else {
            s.formula = "0"
            return
        }
        s.formula = Explanation.sum(s.terms.map(\.symbolic))
        s.expanded = Explanation.sum(s.terms.map(\.expanded))
        s.substituted = Explanation.sum(s.terms.map(\.substituted))
        let numbers = s.terms.compactMap(\.numbers)
        s.numbers = numbers.count == s.terms.count ? numbers.joined(separator: " + ") : nil
    }

    /// How one chain-rule term reads.
    public func term(_ c: Contribution) -> Sentence.Term {
        let consumer = tape.entries[c.consumer], operand = tape.entries[c.operand]
        let args = consumer.operands.map(tape.label), y = tape.label(c.consumer)
        let argNumbers = consumer.operands.map { Explanation.signed(inline(slice(values, $0), tape.entries[$0].shape)) }
        let yNumbers = Explanation.signed(inline(slice(values, c.consumer), consumer.shape))
        let partial = consumer.op.partialFormula(c.position, args, result: y)
        // Batch and layer norm's VJP and JVP also hold N and σ: in numbers, theirs go in too.
        let layer = normalizationNumbers(c.consumer)
        let partialNumbers = layer.map { Op.normalizationVJP(c.position, result: yNumbers, n: $0.n, sigma: $0.sigma) }
            ?? consumer.op.partialFormula(c.position, argNumbers, result: yNumbers)
        let elementwise = consumer.op.kind == .unary || consumer.op.kind == .binary
        let tensor = consumer.count > 1
        let d = "∂\(y)/∂\(tape.label(c.operand))"
        var t: Sentence.Term
        switch phase {
        case .reverse:
            let g = tape.adjointLabel(c.consumer)
            let gNumbers = inline(slice(adjoints, c.consumer), consumer.shape)
            var expanded: String, substituted: String
            if partial.contains("ḡ") {
                expanded = partial.replacingOccurrences(of: "ḡ", with: g)
                substituted = partialNumbers.replacingOccurrences(of: "ḡ", with: gNumbers)
            } else if elementwise && tensor {
                expanded = Explanation.hadamard(g, partial)
                substituted = Explanation.hadamard(gNumbers, partial == "1" || partial == "−1" ? partial : elementwisePartials(c))
            } else {
                expanded = Explanation.product(g, partial)
                substituted = Explanation.product(Explanation.signed(gNumbers), partialNumbers)
            }
            var symbolic = Explanation.product(g, d)
            if c.broadcast {
                symbolic = "Σ " + Explanation.grouped(symbolic)
                expanded = "Σ " + Explanation.grouped(expanded)
                substituted = "Σ " + Explanation.grouped(substituted)
            }
            t = Sentence.Term(contribution: c, from: tape.label(c.consumer), symbolic: symbolic, expanded: expanded,
                              substituted: substituted, value: Array(values(of: c)), shape: operand.shape)
            if let p = c.partial {
                t.numbers = "\(Explanation.signed(Format.short(adjoints[Int(consumer.offset)])))·\(Explanation.signed(Format.short(p)))"
            }
        case .primal, .forward:
            let dot = tape.tangentLabel(c.operand)
            let dotNumbers = inline(slice(tangents, c.operand), operand.shape)
            var expanded: String, substituted: String
            if let jvp = consumer.op.jvpFormula(c.position, args, result: y, tangent: dot) {
                expanded = jvp
                substituted = layer.map { Op.normalizationJVP(c.position, result: yNumbers, tangent: dotNumbers, sigma: $0.sigma) }
                    ?? consumer.op.jvpFormula(c.position, argNumbers, result: yNumbers, tangent: dotNumbers) ?? jvp
            } else if tensor {
                expanded = Explanation.hadamard(dot, partial)
                substituted = Explanation.hadamard(dotNumbers, partial == "1" || partial == "−1" ? partial : elementwisePartials(c))
            } else {
                expanded = Explanation.product(dot, partial)
                substituted = Explanation.product(Explanation.signed(dotNumbers), partialNumbers)
            }
            t = Sentence.Term(contribution: c, from: tape.label(c.operand), symbolic: Explanation.product(dot, d),
                              expanded: expanded, substituted: substituted, value: Array(values(of: c)), shape: consumer.shape)
            if let p = c.partial {
                t.numbers = "\(Explanation.signed(Format.short(tangents[Int(operand.offset)])))·\(Explanation.signed(Format.short(p)))"
            }
        }
        return t
    }

    /// The node's local partials, one per operand that is not a constant.
    func localPartials(_ i: Int) -> [Sentence.Partial] {
        let e = tape.entries[i]
        let args = e.operands.map(tape.label), y = tape.label(i)
        return e.operands.enumerated().compactMap { k, a -> Sentence.Partial? in
            guard tape.entries[a].op != .constant else { return nil }
            var formula = e.op.partialFormula(k, args, result: y)
            formula = formula.replacingOccurrences(of: "ḡ", with: tape.adjointLabel(i))
            var value: [Double]?
            if e.op.kind == .unary || e.op.kind == .binary { value = partialValues(i, k) }
            return Sentence.Partial(operand: a, symbolic: "∂\(y)/∂\(tape.label(a))", formula: formula,
                                    value: value, shape: e.shape)
        }
    }

    /// An elementwise op's partial with respect to operand `k`, element by element.
    func partialValues(_ i: Int, _ k: Int) -> [Double] {
        let e = tape.entries[i]
        let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
        let pa = Int(ea.offset), na = ea.count, pb = Int(eb.offset), nb = eb.count, o = Int(e.offset)
        return (0..<e.count).map { j in
            let p = e.op.partials(values[pa + j % na], values[pb + j % nb], values[o + j])
            return k == 0 ? p.0 : p.1
        }
    }

    private func elementwisePartials(_ c: Contribution) -> String {
        inline(partialValues(c.consumer, c.position)[...], tape.entries[c.consumer].shape)
    }

    /// Numbers as they appear inside a formula: a scalar in full (`−0.958924`), a tensor of
    /// at most `Explanation.inlineLimit` elements with four digits, a larger one as its shape.
    public func inline(_ v: ArraySlice<Double>, _ shape: Shape) -> String {
        Explanation.inline(v, shape)
    }

    /// Largest tensor written out inside a formula.
    public static let inlineLimit = 24

    public static func inline(_ v: ArraySlice<Double>, _ shape: Shape) -> String {
        if shape.isScalar { return v.first.map { Format.short($0) } ?? "" }
        if shape.count > inlineLimit { return shape.description }
        return Format.tensor(v, shape) { Format.short($0, digits: 4) }
    }

    // MARK: - Writing terms

    /// `v̄₅·∂v₅/∂v₃` as `factor·partial`, dropping a partial of 1 and folding in −1.
    public static func product(_ factor: String, _ partial: String) -> String {
        if partial == "1" { return factor }
        if partial == "−1" { return "−" + factor }
        let needsParens = !partial.hasPrefix("∂") && (partial.hasPrefix("−") || ["+", " − ", "/", "·", "?", "⊙", "^"].contains { partial.contains($0) })
        return factor + "·" + (needsParens ? "(\(partial))" : partial)
    }

    /// `v̄₂ ⊙ [v₁ > 0]`: an elementwise product of tensors.
    static func hadamard(_ factor: String, _ partial: String) -> String {
        if partial == "1" { return factor }
        if partial == "−1" { return "−" + factor }
        let needsParens = partial.contains(" ") && !partial.hasPrefix("[")
        return factor + " ⊙ " + (needsParens ? "(\(partial))" : partial)
    }

    /// Joins terms with + or −.
    public static func sum(_ terms: [String]) -> String {
        guard var text = terms.first else { return "0" }
        for t in terms.dropFirst() {
            text += t.hasPrefix("−") ? " − " + t.dropFirst() : " + " + t
        }
        return text
    }

    /// `(v̄₂ ⊙ v₁)` when an expression has spaces in it, so `Σ` covers all of it.
    static func grouped(_ text: String) -> String {
        text.contains(" ") && !(text.hasPrefix("[") && text.hasSuffix("]")) ? "(\(text))" : text
    }

    /// `(−1)` for negative numbers, so products read right.
    public static func signed(_ text: String) -> String { text.hasPrefix("−") ? "(\(text))" : text }

    /// A name with a combining mark over each letter: `l̄ōs̄s̄`, `x̄1` (digits stay plain, as
    /// subscripts do), so the bar covers the whole name and not its first letter only.
    public static func decorated(_ name: String, _ mark: String) -> String {
        var out = ""
        for ch in name {
            out.append(ch)
            if ch.isLetter { out += mark }
        }
        return out
    }
}
