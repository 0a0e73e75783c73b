/// One row of an evaluation trace (Wengert list), for one node.
public struct TraceRow: Sendable {
    public var node: Int
    /// `v₁`, `v̇₁` or `v̄₁`.
    public var label: String
    /// The user's name, if any (`x1`, `y`).
    public var name: String?
    /// What is computed, symbolically: `ln v₋₁`; `v̇₋₁·(1/v₋₁)`; for adjoints the chain rule
    /// `v̄₃·∂v₃/∂v₀ + v̄₂·∂v₂/∂v₀`.
    public var formula: String
    /// The same with the local partials written out: `v̄₃·cos v₀ + v̄₂·v₋₁` (tangent/adjoint rows).
    public var expanded: String?
    /// The same with numbers: `(−1)·0.283662 + 1·2`.
    public var numbers: String?
    /// The row's result (value, tangent or adjoint), row-major.
    public var result: [Double]
    public var shape: Shape
    /// The primal value next to a tangent or adjoint.
    public var primal: [Double]
    /// The chain-rule terms that summed into an adjoint: (consumer label, local partial, value).
    public var terms: [(from: String, partial: Double?, value: [Double])]
    /// A non-differentiable point was met (relu at 0, a max tie): a convention was used.
    public var kink: Bool
}

/// The evaluation trace of a tape in one phase, as the tables of Baydin et al. (2018):
/// primal (v₋₁ = x₁ = 2, v₁ = ln v₋₁ = 0.693, …), forward tangent (v̇ᵢ) with a seed on one
/// input, or reverse adjoint (v̄ᵢ) from the output down.
public struct Trace: Sendable {
    public var phase: Phase
    public var title: String
    public var rows: [TraceRow]

    public init(tape: Tape, values: [Double], phase: Phase, seedLeaf: Int? = nil, outputSeed: Double = 1) {
        self.phase = phase
        let shown = (0..<tape.count).filter { tape.entries[$0].op != .constant || tape.names[$0] != nil }
        func slice(_ b: [Double], _ i: Int) -> [Double] {
            let e = tape.entries[i]
            return Array(b[Int(e.offset) ..< Int(e.offset) + e.count])
        }
        func kink(_ i: Int) -> Bool {
            let e = tape.entries[i]
            guard e.op.kind != .leaf else { return false }
            return e.hasKink(tape.entries[Int(e.a)], tape.entries[Int(e.b)], values)
        }
        func number(_ x: [Double]) -> String {
            guard x.count == 1 else { return "[…]" }
            let s = Format.short(x[0])
            return x[0] < 0 ? "(\(s))" : s
        }
        switch phase {
        case .primal:
            title = "Primal trace"
            rows = shown.map { i in
                TraceRow(node: i, label: tape.label(i), name: tape.names[i], formula: tape.formula(i),
                         result: slice(values, i), shape: tape.entries[i].shape, primal: slice(values, i),
                         terms: [], kink: kink(i))
            }
        case .forward:
            let leaf = seedLeaf ?? tape.differentiableLeaves.first ?? 0
            let t = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
            title = "Forward tangent trace (seed \(tape.tangentLabel(leaf)) = 1)"
            rows = shown.filter { tape.entries[$0].op != .constant }.map { i in
                let e = tape.entries[i]
                var row = TraceRow(node: i, label: tape.tangentLabel(i), name: tape.names[i], formula: "",
                                   result: slice(t, i), shape: e.shape, primal: slice(values, i),
                                   terms: [], kink: kink(i))
                if e.op.kind == .leaf {
                    row.formula = i == leaf ? "seed" : "0"
                    return row
                }
                let args = e.operands.map(tape.label)
                var symbolic: [String] = [], expanded: [String] = [], numeric: [String] = []
                for (k, a) in e.operands.enumerated() where tape.entries[a].op != .constant {
                    let partialText = e.op.partialFormula(k, args, result: tape.label(i))
                    symbolic.append(Trace.term(tape.tangentLabel(a), "∂\(tape.label(i))/∂\(tape.label(a))"))
                    expanded.append(Trace.term(tape.tangentLabel(a), partialText))
                    if e.flags & TapeEntry.Flags.scalar != 0 {
                        let p = e.op.partials(values[Int(tape.entries[Int(e.a)].offset)],
                                              values[Int(tape.entries[Int(e.b)].offset)], values[Int(e.offset)])
                        numeric.append("\(number(slice(t, a)))·\(number([k == 0 ? p.0 : p.1]))")
                    }
                }
                row.formula = Trace.sum(symbolic)
                row.expanded = Trace.sum(expanded)
                row.numbers = numeric.isEmpty ? nil : numeric.joined(separator: " + ")
                return row
            }
        case .reverse:
            let sweep = ReverseSweep(tape: tape, values: values, seed: outputSeed)
            title = "Reverse adjoint trace (seed \(tape.adjointLabel(tape.output)) = \(Format.short(outputSeed)))"
            var received = [[Contribution]](repeating: [], count: tape.count)
            for c in sweep.contributions { received[c.operand].append(c) }
            rows = shown.reversed().filter { $0 <= tape.output && tape.entries[$0].op != .constant }.map { i in
                let e = tape.entries[i]
                var row = TraceRow(node: i, label: tape.adjointLabel(i), name: tape.names[i], formula: "",
                                   result: slice(sweep.adjoints, i), shape: e.shape, primal: slice(values, i),
                                   terms: [], kink: kink(i))
                if i == tape.output {
                    row.formula = "seed"
                    return row
                }
                var symbolic: [String] = [], expanded: [String] = [], numeric: [String] = []
                for c in received[i] {
                    let consumer = tape.entries[c.consumer]
                    let bar = tape.adjointLabel(c.consumer)
                    let partialText = consumer.op.partialFormula(c.position, consumer.operands.map(tape.label), result: tape.label(c.consumer))
                    symbolic.append(Trace.term(bar, "∂\(tape.label(c.consumer))/∂\(tape.label(i))"))
                    if partialText.contains("ḡ") {
                        expanded.append(partialText.replacingOccurrences(of: "ḡ", with: bar))
                    } else {
                        expanded.append(Trace.term(bar, partialText))
                    }
                    if let p = c.partial { numeric.append("\(number(slice(sweep.adjoints, c.consumer)))·\(number([p]))") }
                    row.terms.append((tape.label(c.consumer), c.partial, Array(sweep.values(of: c))))
                }
                row.formula = symbolic.isEmpty ? "0" : Trace.sum(symbolic)
                row.expanded = symbolic.isEmpty ? nil : Trace.sum(expanded)
                row.numbers = numeric.isEmpty || numeric.count != received[i].count ? nil : numeric.joined(separator: " + ")
                return row
            }
        }
    }

    /// `v̄₅·∂v₅/∂v₃` as `factor·partial`, dropping a partial of 1 and folding in −1.
    static func term(_ factor: String, _ partial: String) -> String {
        if partial == "1" { return factor }
        if partial == "−1" { return "−" + factor }
        let needsParens = !partial.hasPrefix("∂") && ["+", " − ", "/", "·", "?", "⊙"].contains { partial.contains($0) }
        return factor + "·" + (needsParens ? "(\(partial))" : partial)
    }

    /// Joins terms with + or −.
    static func sum(_ terms: [String]) -> String {
        guard var text = terms.first else { return "0" }
        for t in terms.dropFirst() {
            text += t.hasPrefix("−") ? " − " + t.dropFirst() : " + " + t
        }
        return text
    }
}
