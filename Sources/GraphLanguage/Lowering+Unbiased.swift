import GraphCore

extension Lowering {
    /// The value of `unbiased=` on var and std (`true` or `false`, torch's `unbiased=`); false
    /// when absent, as PyTorch's `unbiased=False` / NumPy's `ddof=0`; nil after an error.
    mutating func isUnbiased(_ arguments: [Expr]) -> Bool? {
        guard let e = keyword("unbiased", in: arguments) else { return false }
        skipUses(in: [e])
        if case .name(let word) = e.kind, word == "true" || word == "false" { return word == "true" }
        error("unbiased must be 'true' or 'false'", at: e.range, hint: "unbiased=true divides by n − 1, as PyTorch's unbiased=True (correction=1)")
        return nil
    }

    /// The biased `var` or `std` of n elements made unbiased: var · n/(n − 1), std · √(n/(n − 1))
    /// (Bessel's correction). One element gives NaN (0 · ∞), as torch.var of one element.
    mutating func unbiased(_ result: NodeID, _ f: LayerFunction, count n: Int, _ call: LayerCall) -> NodeID? {
        let c = Double(n) / Double(n - 1)
        guard let factor = scalar(f == .std ? c.squareRoot() : c, call) else { return nil }
        return node(.mul, result, factor, call)
    }
}
