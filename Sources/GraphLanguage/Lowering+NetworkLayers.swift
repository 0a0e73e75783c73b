import GraphCore

// Layers written out in primitive ops (see Lowering+Layers.swift): linear, batch norm, layer
// norm and dropout, each step (μ, σ², the mask) a node of its own.
extension Lowering {
    /// `linear(x, W, b)` = x @ Wᵀ + b, as PyTorch's `nn.Linear`: W is (out × in), x is one
    /// sample [in] or a batch (N × in), b is [out].
    mutating func lowerLinear(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let nodes = positional.map { lower($0) }
        guard !nodes.contains(where: { $0 == nil }) else { return nil }
        guard let wt = node(.transpose, nodes[1]!, nil, call), let xw = node(.matmul, nodes[0]!, wt, call) else { return nil }
        return nodes.count == 3 ? node(.add, xw, nodes[2]!, call) : xw
    }

    /// (h − μ)/√(σ² + ε) for each column of a matrix over its rows, with the batch's mean and
    /// biased variance.
    mutating func normalizeColumns(_ h: NodeID, eps: NodeID, _ call: LayerCall) -> NodeID? {
        guard let mu = mean(h, axis: 0, call), let d = node(.sub, h, mu, call),
              let d2 = node(.mul, d, d, call), let v = mean(d2, axis: 0, call),
              let ve = node(.add, v, eps, call), let sigma = node(.sqrt, ve, nil, call) else { return nil }
        return node(.div, d, sigma, call)
    }

    mutating func scaleAndShift(_ hHat: NodeID, _ gamma: NodeID, _ beta: NodeID, _ call: LayerCall) -> NodeID? {
        guard let scaled = node(.mul, hHat, gamma, call) else { return nil }
        return node(.add, scaled, beta, call)
    }

    /// `batchnorm(h, gamma, beta)`: each column (feature) of h (batch × features) normalised
    /// over the batch, then γ ⊙ ĥ + β, as PyTorch's `nn.BatchNorm1d`. Training mode (the
    /// default) uses the batch's mean and biased variance; `mode=eval` uses `running_mean=`
    /// and `running_var=` (0 and 1 if not given, a fresh layer's). ε defaults to 1e-5.
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
        guard builder.shape(of: h).rank == 2 else {
            return shapeError("batchnorm needs a matrix (batch × features)", call, [h])
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
            hHat = normalizeColumns(h, eps: eps, call)
        }
        guard let hHat else { return nil }
        return scaleAndShift(hHat, gamma, beta, call)
    }

    /// `layernorm(h, gamma, beta)`: each row (sample) normalised over its own features, then
    /// γ ⊙ ĥ + β, as PyTorch's `nn.LayerNorm(features)`; a vector is one sample.
    mutating func lowerLayernorm(_ call: LayerCall, _ positional: [Expr], _ arguments: [Expr]) -> NodeID? {
        let h = lower(positional[0]), gamma = lower(positional[1]), beta = lower(positional[2])
        var epsValue = 1e-5
        if let e = keyword("eps", in: arguments) {
            guard let x = epsilon(e) else { return nil }
            epsValue = x
        }
        guard let h, let gamma, let beta, let eps = scalar(epsValue, call) else { return nil }
        let hHat: NodeID?
        switch builder.shape(of: h).rank {
        case 1:
            guard let mu = node(.mean, h, nil, call), let d = node(.sub, h, mu, call),
                  let d2 = node(.mul, d, d, call), let v = node(.mean, d2, nil, call),
                  let ve = node(.add, v, eps, call), let sigma = node(.sqrt, ve, nil, call) else { return nil }
            hHat = node(.div, d, sigma, call)
        case 2:
            guard let t = node(.transpose, h, nil, call), let n = normalizeColumns(t, eps: eps, call) else { return nil }
            hHat = node(.transpose, n, nil, call)
        default:
            return shapeError("layernorm needs a vector or a matrix (batch × features)", call, [h])
        }
        guard let hHat else { return nil }
        return scaleAndShift(hHat, gamma, beta, call)
    }

    /// `dropout(h, p, seed)`: h ⊙ mask, the mask a constant of 0 (dropped, probability p) and
    /// 1/(1 − p) (kept) drawn from `seed` (`Dropout.mask`); `mode=eval` multiplies by 1.
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
        return node(.mul, h, mask, call)
    }
}
