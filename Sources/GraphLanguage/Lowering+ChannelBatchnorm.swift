import GraphCore

// Batch norm over channels, PyTorch's `nn.BatchNorm2d` on images (N, C, H, W) and
// `nn.BatchNorm1d` on sequences (N, C, L): one mean and variance per channel, over every
// pixel of every image in the batch (N·H·W numbers), then γ and β per channel.
//
// Written out with ops that already exist, so that every evaluator, the neuron view and
// codegen take it unchanged, and so the picture shows what BatchNorm2d does to the layout:
//
//     rows   = reshape(h, [N·C, H·W])      one row per (image, channel)
//     byC    = P @ rows                    P a 0/1 permutation: the rows of channel c together
//     Z      = reshape(byC, [C, N·H·W])    one row per channel, all its pixels
//     Ẑ      = layer_norm(Z, ε)            each row (= each channel) normalised
//     Y      = transpose(transpose(Ẑ) ⊙ γ + β)     γ, β one per channel (a column of Ẑᵀ)
//     result = reshape(Pᵀ @ reshape(Y, [C·N, H·W]), [N, C, H, W])
//
// With one image (N = 1) P is the identity and is left out.
extension Lowering {
    mutating func lowerChannelBatchnorm(_ h: NodeID, _ gamma: NodeID, _ beta: NodeID, eval: Bool, eps: Double,
                                        running: (mean: NodeID?, variance: NodeID?), _ call: LayerCall) -> NodeID? {
        let shape = builder.shape(of: h), dims = shape.dims
        guard dims.count == 3 || dims.count == 4 else {
            return shapeError("batchnorm needs a matrix (batch × features), or images (N, C, H, W) or sequences (N, C, L)", call, [h])
        }
        let n = dims[0], c = dims[1], inner = dims[2...].reduce(1, *)
        for (what, v) in [("gamma", gamma), ("beta", beta)] where builder.shape(of: v) != .vector(c) {
            return shapeError("batchnorm's \(what) needs one number per channel, shape [\(c)] for \(shape) (channels are axis 1, as BatchNorm\(dims.count == 4 ? "2d" : "1d"))",
                              call, [h, v])
        }
        if !eval && n * inner < 2 {
            error("batchnorm in training needs more than one value per channel: \(shape) has 1 (PyTorch raises 'Expected more than 1 value per channel when training')",
                  at: call.nameRange, hint: "use mode=eval with running_mean= and running_var=")
            return nil
        }
        // Channel-major rows: channel c's pixels of every image, one row per channel.
        var permutation: NodeID?
        if n > 1 {
            guard let p = channelPermutation(n: n, c: c, call) else { return nil }
            permutation = p
        }
        guard let rows = reshaped(h, .matrix(n * c, inner), call) else { return nil }
        var byChannel = rows
        if let permutation {
            guard let m = node(.matmul, permutation, rows, call) else { return nil }
            byChannel = m
        }
        guard let z = reshaped(byChannel, .matrix(c, n * inner), call), let epsNode = scalar(eps, call) else { return nil }
        let zHat: NodeID?
        if eval {
            let mu = running.mean ?? constant(.vector(c), Array(repeating: 0, count: c), call)
            let v = running.variance ?? constant(.vector(c), Array(repeating: 1, count: c), call)
            guard let mu, let v, let zt = node(.transpose, z, nil, call), let d = node(.sub, zt, mu, call),
                  let ve = node(.add, v, epsNode, call), let sigma = node(.sqrt, ve, nil, call),
                  let q = node(.div, d, sigma, call) else { return nil }
            zHat = node(.transpose, q, nil, call)
        } else {
            zHat = node(.layerNorm, z, epsNode, call)
        }
        guard let zHat, let zt = node(.transpose, zHat, nil, call), let scaled = scaleAndShift(zt, gamma, beta, call),
              let y = node(.transpose, scaled, nil, call), let back = reshaped(y, .matrix(c * n, inner), call) else { return nil }
        var imageRows = back
        if let permutation {
            guard let pt = node(.transpose, permutation, nil, call), let m = node(.matmul, pt, back, call) else { return nil }
            imageRows = m
        }
        return reshaped(imageRows, shape, call)
    }

    /// The (N·C × N·C) 0/1 matrix that moves row n·C + c (image n, channel c) to row c·N + n,
    /// so each channel's rows are adjacent. Its transpose undoes it.
    private mutating func channelPermutation(n: Int, c: Int, _ call: LayerCall) -> NodeID? {
        let size = n * c
        var values = [Double](repeating: 0, count: size * size)
        for image in 0..<n {
            for channel in 0..<c { values[(channel * n + image) * size + image * c + channel] = 1 }
        }
        return constant(.matrix(size, size), values, call)
    }
}
