import GraphCore

extension Lowering {
    /// `clip(x, lo, hi)` as torch.clamp computes it, min(max(x, lo), hi) with each side a
    /// choice: t = select(x, 1 − [x < lo]) + select(lo, [x < lo]), then
    /// y = select(t, 1 − [t > hi]) + select(hi, [t > hi]). So x's gradient is 1 where
    /// lo ≤ x ≤ hi, the bounds included (torch's `clamp_backward`), lo's where x < lo, hi's
    /// where the value would pass hi; a NaN x stays NaN (no comparison with it holds); with
    /// lo > hi every element is hi, as in torch.
    mutating func lowerClip(_ call: LayerCall, _ positional: [Expr]) -> NodeID? {
        let x = lower(positional[0]), lo = lower(positional[1]), hi = lower(positional[2])
        guard let x, let lo, let hi else { return nil }
        // Checked here, so the error names `clip` and its arguments, not a comparison inside.
        guard broadcastTogether([x, lo, hi]) else {
            let (sx, sl, sh) = (builder.shape(of: x), builder.shape(of: lo), builder.shape(of: hi))
            error("clip(x, lo, hi) needs x \(sx), lo \(sl) and hi \(sh) to broadcast together",
                  at: call.nameRange, hint: "shapes must match, or one be a scalar, or a vector match a matrix's rows")
            return nil
        }
        guard let t = clamp(x, beyond: .less, lo, call) else { return nil }
        return clamp(t, beyond: .greater, hi, call)
    }

    /// `x` where `x beyond bound` does not hold, else `bound`, each chosen, not multiplied.
    private mutating func clamp(_ x: NodeID, beyond: Comparison, _ bound: NodeID, _ call: LayerCall) -> NodeID? {
        guard let out = node(.compare(beyond), x, bound, call), let one = scalar(1, call),
              let keep = node(.sub, one, out, call),
              let left = node(.select, x, keep, call), let right = node(.select, bound, out, call) else { return nil }
        return node(.add, left, right, call)
    }

    /// Whether the shapes of `nodes` broadcast together as an elementwise op's operands do.
    func broadcastTogether(_ nodes: [NodeID]) -> Bool {
        var shape = builder.shape(of: nodes[0])
        for n in nodes.dropFirst() {
            guard let s = try? Op.mul.resultShape([shape, builder.shape(of: n)]) else { return false }
            shape = s
        }
        return true
    }
}
