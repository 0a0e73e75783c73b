import GraphCore

extension Lowering {
    /// The most elements `prod` multiplies: two nodes per element (its slice and a product).
    static let productElementLimit = 256

    /// `prod(x)`: the product of every element, written as the chain x₀ · x₁ · … · xₙ₋₁ of the
    /// elements picked one by one (xᵢ a `slice` op, a copy, so an ∞ elsewhere in x does not
    /// turn xᵢ into NaN). The reverse sweep
    /// multiplies the adjoint by the other factors only, so the gradient at a zero is the
    /// product of the other elements, and 0 where two or more are zero, as torch.prod; the
    /// form exp(Σ ln x) would give NaN there.
    mutating func lowerProduct(_ call: LayerCall, _ positional: [Expr]) -> NodeID? {
        guard let x = lower(positional[0]) else { return nil }
        let s = builder.shape(of: x)
        let n = s.count
        guard n <= Self.productElementLimit else {
            error("prod multiplies its elements one node at a time; \(n) elements are more than \(Self.productElementLimit)",
                  at: call.nameRange, hint: "split the tensor and multiply the parts' products")
            return nil
        }
        if s.rank == 0 {
            guard let one = scalar(1, call) else { return nil }
            return node(.mul, x, one, call)
        }
        guard let v = s.rank == 1 ? x : flatten(x, call) else { return nil }
        var product: NodeID?
        for i in 0..<n {
            guard let (element, _) = select(v, dims: [n], axis: 0, range: i ..< i + 1, drop: true, call) else { return nil }
            guard let sofar = product else {
                product = element
                continue
            }
            guard let next = node(.mul, sofar, element, call) else { return nil }
            product = next
        }
        return product
    }
}
