import Foundation

/// A mistake students make in the chain rule, recognised by computing, from the
/// explanation's own terms, the wrong value the mistake would give and comparing it with the
/// answer.
public struct Mistake: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        /// An adjoint (or a tangent) with only some of its terms: a second consumer's
        /// contribution not summed in.
        case missingTerm = "missing-term"
        /// The local partial evaluated at the wrong node: the output's value where the saved
        /// input belongs or the other way round (sigmoid's σ(1 − σ) with the input for σ).
        case wrongNode = "wrong-node"
        /// A sign lost in `−` (∂(a − b)/∂b = −1, or a − b computed as a + b).
        case lostSign = "lost-sign"
        /// The output's adjoint seed left out.
        case seedForgotten = "seed-forgotten"
        /// The output's adjoint seed multiplied in twice.
        case seedTwice = "seed-twice"
        /// A partial taken with respect to the other operand (∂(a·b)/∂a written as a).
        case wrongOperand = "wrong-operand"
        /// A matrix transposed in a VJP (W ȳ for Wᵀ ȳ), or the answer's matrix transposed.
        case transposed = "transposed"
        /// Dropout with its 0/1 keep mask, without the 1/(1 − p) that scales the kept units.
        case unscaledMask = "unscaled-mask"
    }

    public var kind: Kind
    /// What went wrong, in the graph's labels.
    public var explanation: String
}

extension Quiz {
    /// The recognised mistake whose wrong value `given` matches, if any (checked in the order
    /// seed, missing term, sign, operand, node, transpose; the first match wins).
    func recognise(_ given: QuizAnswer, _ q: Question) -> Mistake? {
        for (kind, wrong, why) in candidates(q) {
            guard tolerance.accepts(given.values, halfUnits: given.halfUnits, wrong),
                  !tolerance.accepts(wrong, halfUnits: given.halfUnits, q.expected) else { continue }
            return Mistake(kind: kind, explanation: why)
        }
        if q.shape.rank == 2, given.values.count == q.expected.count,
           tolerance.accepts(given.values, halfUnits: given.halfUnits, Quiz.transpose(q.expected, q.shape)) {
            return Mistake(kind: .transposed, explanation: "that is \(q.label) transposed: \(q.label) has the shape of its node, \(q.shape)")
        }
        return nil
    }

    /// Every wrong value a recognised mistake would give for question `q`.
    func candidates(_ q: Question) -> [(Mistake.Kind, [Double], String)] {
        let x = explanation, tape = x.tape, i = q.node, e = tape.entries[i]
        let label = q.label
        var out: [(Mistake.Kind, [Double], String)] = []
        func replacing(_ t: Sentence.Term, with wrong: [Double]) -> [Double] {
            var v = q.expected
            for k in v.indices { v[k] += wrong[k] - t.value[k] }
            return v
        }
        switch phase {
        case .primal:
            guard e.op.kind == .binary || e.op == .neg else { return [] }
            let a = Array(x.slice(x.values, Int(e.a))), b = Array(x.slice(x.values, Int(e.b)))
            func each(_ f: (Double, Double) -> Double) -> [Double] {
                (0..<e.count).map { f(a[$0 % a.count], b[$0 % b.count]) }
            }
            let args = e.operands.map(tape.label)
            // The ops whose operands can be mixed up; the others have no such slip.
            if e.op == .sub {
                out.append((.lostSign, each { $0 + $1 }, "a sign lost in −: \(tape.formula(i)) subtracts \(args[1])"))
                out.append((.lostSign, each { $1 - $0 }, "a sign lost in −: \(tape.formula(i)) is \(args[0]) minus \(args[1]), not the other way round"))
            } else if e.op == .neg {
                out.append((.lostSign, a, "a sign lost in −: \(label) = −\(args[0])"))
            } else if e.op == .div {
                out.append((.wrongOperand, each { $1 / $0 }, "the operands swapped: \(label) = \(args[0]) / \(args[1])"))
            } else if e.op == .pow {
                out.append((.wrongOperand, each { Foundation.pow($1, $0) }, "the operands swapped: \(label) = \(args[0]) ^ \(args[1])"))
            } else if e.op == .dropout {
                out.append((.unscaledMask, each { $1 == 0 ? 0 : $0 }, "the kept units not scaled: dropout multiplies them by 1/(1 − p), the mask \(args[1])"))
            }
            return out
        case .forward, .reverse:
            break
        }
        let reverse = phase == .reverse
        // The seed.
        if reverse, x.outputSeed != 1, x.outputSeed != 0 {
            let s = x.outputSeed
            out.append((.seedForgotten, q.expected.map { $0 / s }, "the seed \(tape.adjointLabel(tape.output)) = \(Format.short(s)) left out: every adjoint carries it"))
            out.append((.seedTwice, q.expected.map { $0 * s }, "the seed \(Format.short(s)) applied twice: it enters once, at \(tape.adjointLabel(tape.output))"))
        }
        if reverse, i == tape.output, x.outputSeed != 0 || x.outputSeedTensor != nil {
            let seed = x.outputSeedTensor.map { Format.tensor($0[...], tape.entries[tape.output].shape) } ?? Format.short(x.outputSeed)
            out.append((.seedForgotten, q.expected.map { _ in 0 }, "the seed forgotten: backprop starts with \(label) = \(seed)"))
        }
        let terms = q.sentence.terms
        // A term left out: the sum over consumers (or operands) cut short.
        if terms.count >= 2 {
            for t in terms {
                let others = terms.filter { $0.contribution != t.contribution }.map(\.from)
                let what = reverse ? "an adjoint sums a term from every consumer" : "a tangent sums a term from every operand"
                out.append((.missingTerm, t.value, "only \(t.from)'s term: \(what); \(others.joined(separator: ", "))'s is missing (\(q.sentence.formula))"))
                if terms.count >= 3 {
                    out.append((.missingTerm, q.expected.enumerated().map { $0.element - t.value[$0.offset] },
                                "\(t.from)'s term is missing: \(what) (\(q.sentence.formula))"))
                }
            }
        }
        for t in terms {
            let c = t.contribution
            let consumer = tape.entries[c.consumer]
            let y = tape.label(c.consumer), a = tape.label(c.operand)
            // The factor the partial multiplies: the consumer's adjoint, or the operand's tangent.
            let factor = reverse ? Array(x.slice(x.adjoints, c.consumer)) : Array(x.slice(x.tangents, c.operand))
            func termWith(_ partial: [Double]) -> [Double] {
                let n = consumer.count
                let full = (0..<n).map { factor[$0 % factor.count] * partial[$0] }
                guard reverse, t.value.count < n else { return full }
                var reduced = [Double](repeating: 0, count: t.value.count)
                for k in 0..<n { reduced[k % t.value.count] += full[k] }
                return reduced
            }
            // A sign lost in −.
            if (consumer.op == .sub && c.position == 1) || consumer.op == .neg {
                out.append((.lostSign, replacing(t, with: t.value.map { -$0 }), "a sign lost in −: ∂\(y)/∂\(a) = −1"))
            }
            switch consumer.op.kind {
            case .binary:
                guard consumer.operands[0] != consumer.operands[1] else { break }
                let other = x.partialValues(c.consumer, 1 - c.position)
                let wrong = termWith(other)
                out.append((.wrongOperand, replacing(t, with: wrong),
                            "∂\(y)/∂\(a) taken with respect to the other operand, \(tape.label(consumer.operands[1 - c.position])): ∂\(y)/∂\(a) = \(consumer.op.partialFormula(c.position, consumer.operands.map(tape.label), result: y))"))
            case .unary:
                let ea = tape.entries[Int(consumer.a)]
                let input = Array(x.slice(x.values, Int(consumer.a))), output = Array(x.slice(x.values, c.consumer))
                let formula = consumer.op.partialFormula(0, [a], result: y)
                let atInput = (0..<consumer.count).map { consumer.op.partials(input[$0], input[$0], input[$0]).0 }
                let atOutput = (0..<consumer.count).map { consumer.op.partials(output[$0], output[$0], output[$0]).0 }
                for wrong in [atInput, atOutput] {
                    out.append((.wrongNode, replacing(t, with: termWith(wrong)),
                                "∂\(y)/∂\(a) = \(formula) evaluated at the wrong node: \(a) = \(Explanation.inline(input[...], ea.shape)) is the saved input, \(y) = \(Explanation.inline(output[...], consumer.shape)) the output"))
                }
            case .tensor:
                guard reverse, consumer.op == .matmul else { break }
                if let wrong = untransposedVJP(c) {
                    out.append((.transposed, replacing(t, with: wrong),
                                "a matrix not transposed in the VJP: \(t.expanded) needs the transpose"))
                }
            case .leaf:
                break
            }
            // Layers
            for (kind, wrong, why) in layerMistakes(t) { out.append((kind, replacing(t, with: wrong), why)) }
        }
        return out
    }

    /// The VJP of a matmul with the other operand left untransposed (W·ȳ for Wᵀ·ȳ), when its
    /// shape allows it (a square matrix); nil otherwise.
    func untransposedVJP(_ c: Contribution) -> [Double]? {
        let x = explanation, tape = x.tape
        let e = tape.entries[c.consumer]
        let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
        let (m, k, n) = Op.matmulDims(ea.shape, eb.shape)
        let g = Array(x.slice(x.adjoints, c.consumer))
        let A = Array(x.slice(x.values, Int(e.a))), B = Array(x.slice(x.values, Int(e.b)))
        if c.position == 0 {
            // Ā = Ḡ Bᵀ (m×k); the mistake Ḡ B needs B square (k = n).
            guard k == n, n > 1 else { return nil }
            return (0..<m * k).map { idx in
                let r = idx / k, col = idx % k
                return (0..<n).reduce(0) { $0 + g[r * n + $1] * B[$1 * n + col] }
            }
        }
        // B̄ = Aᵀ Ḡ (k×n); the mistake A Ḡ needs A square (m = k).
        guard m == k, m > 1 else { return nil }
        return (0..<k * n).map { idx in
            let r = idx / n, col = idx % n
            return (0..<m).reduce(0) { $0 + A[r * k + $1] * g[$1 * n + col] }
        }
    }

    /// A row-major `rows × cols` matrix transposed (row-major `cols × rows`).
    static func transpose(_ v: [Double], _ shape: Shape) -> [Double] {
        let r = Int(shape.rows), c = Int(shape.cols)
        return (0..<r * c).map { idx in v[(idx % r) * c + idx / r] }
    }
}
