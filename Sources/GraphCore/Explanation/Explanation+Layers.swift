import Foundation

// What the layer ops' steps mean, in words with their numbers: batch and layer norm's groups
// and σ, the three paths by which the adjoint of ĥ reaches h (batch norm's VJP in the course's
// form), dropout's kept and dropped units. `Sentence.remarks` carries these to the views.

extension Explanation {
    /// N and σ of normalisation node `i` as they appear inside a formula with numbers (σ one
    /// number per column or row); nil for any other op.
    func normalizationNumbers(_ i: Int) -> (n: String, sigma: String)? {
        guard let (n, sigma) = tape.normalizationStatistics(i, values: values) else { return nil }
        return (String(n), inline(sigma[...], sigma.count == 1 ? .scalar : .vector(sigma.count)))
    }

    /// The sentences in words for node `i`: about the layer op it is, and (reverse mode)
    /// about the layer ops its adjoint comes back through.
    func layerRemarks(_ i: Int) -> [String] {
        var out: [String] = []
        let e = tape.entries[i]
        if let words = normalizationWords(i) { out.append(words) }
        if e.op == .dropout, let words = dropoutWords(i) { out.append(words) }
        guard phase == .reverse else { return out }
        for c in received(by: i) where c.position == 0 {
            switch tape.entries[c.consumer].op {
            case .batchNorm, .layerNorm:
                let g = tape.adjointLabel(c.consumer), y = tape.label(c.consumer), h = tape.label(i)
                out.append("through \(y) = ĥ the adjoint reaches \(h) three ways: directly (N·\(g)), through the mean μ (−Σ\(g)) "
                    + "and through the variance σ² (−\(y)⊙Σ(\(g)⊙\(y))), all over N·σ; with \(g) = γ ⊙ ȳ when the layer's scale γ follows, "
                    + "this is (γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ)). Taking ∂ĥ/∂h as 1/σ elementwise keeps only the first path, wrong for N > 1")
            case .dropout:
                guard let (scale, dropped, _) = dropoutMask(c.consumer) else { continue }
                let g = tape.adjointLabel(c.consumer)
                if dropped.isEmpty && scale == 1 {
                    out.append("dropout in eval mode passes \(g) back unchanged")
                } else if scale == 0 {
                    out.append("dropout with p = 1 passes nothing back")
                } else {
                    out.append("dropout passes \(g) back through the kept units only, each times 1/(1 − p) = \(Format.short(scale)); "
                        + "the dropped \(Self.elements(dropped)) \(dropped.count == 1 ? "gets" : "get") 0")
                }
            // No layer, nothing to add.
            case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
                 .neg, .unary, .stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse, .logsumexp, .logSoftmax,
                 .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape, .gather, .along:
                continue
            }
        }
        return out
    }

    /// `ĥ: each of the 3 columns of v₂ normalised over the batch's N = 4 rows …`.
    private func normalizationWords(_ i: Int) -> String? {
        let e = tape.entries[i]
        guard let (n, sigma) = normalizationNumbers(i) else { return nil }
        let h = tape.label(Int(e.a))
        let groups = e.normalizationGroups.count
        let what: String
        if e.op == .batchNorm {
            what = "batch norm: each of the \(groups) column\(groups == 1 ? "" : "s") (features) of \(h) normalised over the batch's N = \(n) rows, with the column's mean μ and biased variance σ²"
        } else if e.rank == 2 {
            what = "layer norm: each of the \(groups) row\(groups == 1 ? "" : "s") (samples) of \(h) normalised over its N = \(n) features, with the row's mean μ and biased variance σ²"
        } else {
            what = "layer norm: \(h) normalised over its N = \(n) elements, with their mean μ and biased variance σ²"
        }
        let per = groups == 1 ? "" : (e.op == .batchNorm ? " per column" : " per row")
        return "\(what); σ = √(σ² + ε) = \(sigma)\(per)"
    }

    /// `dropout: units 1 and 3 of 5 dropped, …`, from the mask (the second operand).
    private func dropoutWords(_ i: Int) -> String? {
        guard let (scale, dropped, count) = dropoutMask(i) else { return nil }
        if dropped.isEmpty && scale == 1 { return "dropout in eval mode: the identity (the mask is 1)" }
        if scale == 0 { return "dropout with p = 1: every unit dropped" }
        let p = 1 - 1 / scale
        return "dropout: \(Self.elements(dropped)) of \(count) dropped (mask 0), the others kept and scaled by 1/(1 − p) = \(Format.short(scale)) (p = \(Format.short(p)))"
    }

    /// A dropout node's mask as its kept units' scale 1/(1 − p), the dropped elements and the
    /// units' count; nil when the mask is not of that form (0s and one scale).
    private func dropoutMask(_ i: Int) -> (scale: Double, dropped: [Int], count: Int)? {
        let e = tape.entries[i]
        let mask = slice(values, Int(e.b))
        let kept = Set(mask.filter { $0 != 0 })
        guard kept.count <= 1 else { return nil }
        let dropped = mask.count == 1 && mask.first == 0 ? Array(0..<e.count) : mask.indices.filter { mask[$0] == 0 }.map { $0 - mask.startIndex }
        return (kept.first ?? 0, dropped, e.count)
    }

    /// `element 2`, `elements 1 and 3`, `elements 0, 2 and 4`.
    static func elements(_ k: [Int]) -> String {
        guard let last = k.last else { return "no elements" }
        if k.count == 1 { return "element \(last)" }
        return "elements " + k.dropLast().map(String.init).joined(separator: ", ") + " and \(last)"
    }
}
