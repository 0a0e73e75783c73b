// Where the gradient is cut, in words: a `stop_gradient` node passes its operand's value on
// and nothing back; a comparison's 0/1 is flat on either side of its jump, so nothing flows
// back through it either. `Sentence.remarks` carries these to the views.

extension Explanation {
    /// The sentences for node `i`: what a cut node does (every phase) and, in the sweeps, why
    /// an operand of one receives nothing from it.
    func cutRemarks(_ i: Int) -> [String] {
        var out: [String] = []
        let e = tape.entries[i]
        if e.op == .stopGradient {
            let x = tape.label(Int(e.a))
            out.append("stop_gradient: \(tape.label(i)) takes the value of \(x) and is a constant to the derivatives, so no gradient flows back to \(x) through it (∂\(tape.label(i))/∂\(x) = 0 by definition)")
        } else if case .compare = e.op {
            out.append("a comparison is 1 where it holds and 0 where not: flat on either side of its jump, so its partials are 0 and no gradient flows back through it")
        }
        switch phase {
        case .primal:
            break
        case .forward:
            if e.op.stopsGradient { out.append("the tangent stops here: \(tape.tangentLabel(i)) = 0 whatever its operands' tangents") }
        case .reverse:
            // Each cut consumer once, however many times it uses node i.
            var cut: [Int] = []
            for c in received(by: i) where tape.entries[c.consumer].op.stopsGradient && !cut.contains(c.consumer) {
                cut.append(c.consumer)
            }
            guard !cut.isEmpty else { break }
            let names = cut.map { tape.label($0) }.joined(separator: ", ")
            out.append("\(names) \(cut.count == 1 ? "passes" : "pass") 0 back to \(tape.label(i)): the gradient is cut there")
        }
        return out
    }
}

extension Op {
    /// An op through which no derivative passes: `stop_gradient` by definition, a comparison
    /// because its 0/1 is flat. The pictures draw the edges into one cut (dashed).
    public var stopsGradient: Bool {
        isComparison || self == .stopGradient
    }
}
