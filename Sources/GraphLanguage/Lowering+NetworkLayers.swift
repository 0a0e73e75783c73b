import GraphCore

// The network layers. Batch norm, layer norm and dropout build their own ops (the op table's
// `batch_norm`, `layer_norm`, `dropout`, with their derivatives in
// GraphCore/Layers/Normalization.swift), so the graph shows one node where the layer
// normalises or drops; γ ⊙ ĥ + β follows as broadcast `mul` and `add`. `linear` and batch
// norm's eval mode are sugar, written out in primitive ops.
extension Lowering {
    /// `linear(x, W, b)` = x @ Wᵀ + b, as PyTorch's `nn.Linear`: W is (out × in), x is one
    /// sample [in] or a batch (N × in), b is [out].
    mutating func lowerLinear(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let nodes = positional.map { lower($0) }
        guard !nodes.contains(where: { $0 == nil }) else { return nil }
        // Checked here, so the error names `linear` and W's (out × in) layout, not the
        // `transpose` and `@` it is written as.
        let x = builder.shape(of: nodes[0]!), w = builder.shape(of: nodes[1]!)
        let features = x.rank == 2 ? Int(x.cols) : Int(x.rows)
        guard (x.rank == 1 || x.rank == 2), w.rank == 2, Int(w.cols) == features else {
            let expected = x.rank == 1 || x.rank == 2 ? "W of (out × \(features))" : "x a vector [in] or a batch (N × in)"
            error("linear(x, W) needs \(expected): x is \(x) and W is \(w)", at: call.nameRange,
                  hint: "W is (out × in), as PyTorch's nn.Linear: x @ transpose(W) + b")
            return nil
        }
        if nodes.count == 3 {
            let bias = builder.shape(of: nodes[2]!)
            let product = x.rank == 1 ? Shape.vector(Int(w.rows)) : Shape.matrix(Int(x.rows), Int(w.rows))
            guard (try? Op.add.resultShape([product, bias])) != nil else {
                error("linear(x, W, b) needs b of [\(w.rows)], one per output of W \(w): b is \(bias)", at: call.nameRange,
                      hint: "W is (out × in), as PyTorch's nn.Linear: x @ transpose(W) + b")
                return nil
            }
        }
        guard let wt = node(.transpose, nodes[1]!, nil, call), let xw = node(.matmul, nodes[0]!, wt, call) else { return nil }
        return nodes.count == 3 ? node(.add, xw, nodes[2]!, call) : xw
    }

    /// γ ⊙ ĥ + β, the normalisation layers' learned scale and shift, each a vector [C]
    /// broadcast over the rows.
    mutating func scaleAndShift(_ hHat: NodeID, _ gamma: NodeID, _ beta: NodeID, _ call: LayerCall) -> NodeID? {
        guard let scaled = node(.mul, hHat, gamma, call) else { return nil }
        return node(.add, scaled, beta, call)
    }

    /// `batchnorm(h, gamma, beta)`: each column (feature) of h (batch × features) normalised
    /// over the batch, then γ ⊙ ĥ + β, as PyTorch's `nn.BatchNorm1d`. Training mode (the
    /// default) is the `batch_norm` op, with the batch's mean and biased variance, and like
    /// PyTorch refuses a batch of one; `mode=eval` is the affine map
    /// (h − running_mean)/√(running_var + ε), the statistics given by `running_mean=` and
    /// `running_var=` (0 and 1 if not given, a fresh layer's). ε defaults to 1e-5.
    mutating func lowerBatchnorm(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let h = lower(positional[0]), gamma = lower(positional[1]), beta = lower(positional[2])
        var keywordsOK = true
        var eval = false
        var modeIsEval = false
        if let e = keyword("mode", in: arguments), case .name("eval") = e.kind { modeIsEval = true }
        var runningMean: NodeID?, runningVar: NodeID?, epsValue = 1e-5
        for a in arguments {
            guard case .keyword(let name, let range, let value) = a.kind else { continue }
            switch name {
            case "mode":
                if let e = isEval(arguments) { eval = e } else { keywordsOK = false }
            case "eps":
                if let x = epsilon(value) { epsValue = x } else { keywordsOK = false }
            default:
                let lowered = lower(value)
                if lowered == nil { keywordsOK = false }
                if name == "running_mean" { runningMean = lowered } else { runningVar = lowered }
                if !modeIsEval, keywordsOK {
                    error("'\(name)=' is used in eval mode only", at: range,
                          hint: "add mode=eval; in training batchnorm uses the batch's own statistics")
                    keywordsOK = false
                }
            }
        }
        guard let h, let gamma, let beta, keywordsOK else { return nil }
        if builder.shape(of: h).rank >= 3 {
            return lowerChannelBatchnorm(h, gamma, beta, eval: eval, eps: epsValue,
                                         running: (runningMean, runningVar), call)
        }
        guard builder.shape(of: h).rank == 2 else {
            return shapeError("batchnorm needs a matrix (batch × features), or images (N, C, H, W) or sequences (N, C, L)", call, [h])
        }
        if !eval && builder.shape(of: h).rows < 2 {
            // One sample: each feature's variance is 0 and ĥ = 0 whatever h is.
            error("batchnorm in training needs more than one sample: a batch of 1 has variance 0 in every feature (PyTorch raises 'Expected more than 1 value per channel when training')",
                  at: call.nameRange, hint: "use mode=eval with running_mean= and running_var=, or layernorm, which normalises each sample on its own")
            return nil
        }
        guard let eps = scalar(epsValue, call) else { return nil }
        let hHat: NodeID?
        if eval {
            let c = Int(builder.shape(of: h).cols)
            let mu = runningMean ?? constant(.vector(c), Array(repeating: 0, count: c), call)
            let v = runningVar ?? constant(.vector(c), Array(repeating: 1, count: c), call)
            guard let mu, let v, let d = node(.sub, h, mu, call), let ve = node(.add, v, eps, call),
                  let sigma = node(.sqrt, ve, nil, call) else { return nil }
            hHat = node(.div, d, sigma, call)
        } else {
            hHat = node(.batchNorm, h, eps, call)
        }
        guard let hHat else { return nil }
        return scaleAndShift(hHat, gamma, beta, call)
    }

    /// `layernorm(h, gamma, beta)`: each row (sample) normalised over its own features (the
    /// `layer_norm` op), then γ ⊙ ĥ + β, as PyTorch's `nn.LayerNorm(features)`; a vector is
    /// one sample.
    mutating func lowerLayernorm(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let h = lower(positional[0]), gamma = lower(positional[1]), beta = lower(positional[2])
        var epsValue = 1e-5
        if let e = keyword("eps", in: arguments) {
            guard let x = epsilon(e) else { return nil }
            epsValue = x
        }
        guard let h, let gamma, let beta, let eps = scalar(epsValue, call) else { return nil }
        let rank = builder.shape(of: h).rank
        guard rank == 1 || rank == 2 else {
            return shapeError("layernorm needs a vector or a matrix (batch × features)", call, [h])
        }
        guard let hHat = node(.layerNorm, h, eps, call) else { return nil }
        return scaleAndShift(hHat, gamma, beta, call)
    }

    /// `dropout(h, p, seed)`: the `dropout` op h ⊙ mask, the mask a constant of 0 (dropped,
    /// probability p) and 1/(1 − p) (kept) drawn from `seed` (`Dropout.mask`); in `mode=eval`
    /// the mask is the scalar 1, so the layer is the identity and still shows as a node.
    mutating func lowerDropout(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let h = lower(positional[0])
        let p = number(positional[1], "p"), seed = number(positional[2], "seed")
        let eval = isEval(arguments)
        guard let h, let p, let seed, let eval else { return nil }
        guard p >= 0, p <= 1 else {
            error("dropout's p is a probability, got \(Self.spell(p))", at: positional[1].range, hint: "p is between 0 and 1")
            return nil
        }
        guard seed >= 0, seed == seed.rounded(), seed < 0x1p63 else {
            error("the seed must be a whole number ≥ 0, got \(Self.spell(seed))", at: positional[2].range)
            return nil
        }
        let shape = builder.shape(of: h)
        let mask = eval ? constant(.scalar, [1], call)
            : constant(shape, Dropout.mask(count: shape.count, p: p, seed: UInt64(seed)), call)
        guard let mask else { return nil }
        return node(.dropout, h, mask, call)
    }
}
