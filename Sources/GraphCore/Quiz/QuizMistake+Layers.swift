import Foundation

// The mistakes students make in the layers' backward passes, as wrong values of one
// chain-rule term: batch or layer norm's VJP with a path left out (the course's own notes take
// ∂ĥ/∂h as 1/σ elementwise and lose both), dropout's VJP without the 1/(1 − p) scaling.

extension Quiz {
    /// The wrong values of term `t` (reverse mode, into a layer op's first operand) that a
    /// recognised mistake gives, with the mistake and what went wrong.
    func layerMistakes(_ t: Sentence.Term) -> [(Mistake.Kind, [Double], String)] {
        let x = explanation, tape = x.tape, c = t.contribution
        guard phase == .reverse, c.position == 0 else { return [] }
        let consumer = tape.entries[c.consumer]
        let g = Array(x.slice(x.adjoints, c.consumer)), gLabel = tape.adjointLabel(c.consumer)
        switch consumer.op {
        case .batchNorm, .layerNorm:
            guard let (_, sigma) = tape.normalizationStatistics(c.consumer, values: x.values) else { return [] }
            let hat = Array(x.slice(x.values, c.consumer)), groups = consumer.normalizationGroups
            // h̄ = (ḡ − [mean ḡ] − [ĥ·mean(ḡ⊙ĥ)])/σ with the bracketed paths kept or not.
            func vjp(throughMean: Bool, throughVariance: Bool) -> [Double] {
                var out = [Double](repeating: 0, count: consumer.count)
                for grp in 0..<groups.count {
                    let idx = (0..<groups.length).map { groups.index(grp, $0) }
                    let a = idx.reduce(0) { $0 + g[$1] } / Double(groups.length)
                    let b = idx.reduce(0) { $0 + g[$1] * hat[$1] } / Double(groups.length)
                    for i in idx {
                        out[i] = (g[i] - (throughMean ? a : 0) - (throughVariance ? hat[i] * b : 0)) / sigma[grp]
                    }
                }
                return out
            }
            return [
                (.missingTerm, vjp(throughMean: false, throughVariance: false),
                 "∂ĥ/∂h taken as 1/σ elementwise (as the course notes' eqs. 38/39 do): the paths through the mean μ (−Σ\(gLabel)) and the variance σ² (−ĥ⊙Σ(\(gLabel)⊙ĥ)) are missing"),
                (.missingTerm, vjp(throughMean: true, throughVariance: false),
                 "the path through the variance σ² is missing: −ĥ⊙Σ(\(gLabel)⊙ĥ)/(N·σ)"),
                (.missingTerm, vjp(throughMean: false, throughVariance: true),
                 "the path through the mean μ is missing: −Σ\(gLabel)/(N·σ)"),
            ]
        case .dropout:
            let mask = Array(x.slice(x.values, Int(consumer.b)))
            guard mask.contains(where: { $0 != 0 && $0 != 1 }) else { return [] }
            let keep = (0..<consumer.count).map { g[$0] * (mask[$0 % mask.count] == 0 ? 0 : 1) }
            guard keep.count == t.value.count else { return [] }
            return [(.unscaledMask, keep, "the kept units not scaled: dropout's VJP is \(gLabel) ⊙ mask, with 1/(1 − p) = \(Format.short(mask.first { $0 != 0 }!)) where a unit was kept")]
        // Not a layer: the ordinary mistakes cover it.
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
             .neg, .unary, .stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp, .logSoftmax,
             .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape, .gather, .along:
            return []
        }
    }
}
