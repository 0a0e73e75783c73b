/// PyTorch's `.grad` semantics: every `backward()` call adds its gradient into the leaves'
/// `.grad` buffers, which keep growing until `zero_grad()` clears them. Intermediate
/// nodes' adjoints are not kept between calls (each sweep starts from a fresh seed), so only
/// the leaves accumulate: after `calls` sweeps without zeroing, a leaf holds calls·∂y/∂leaf.
extension Tape {
    /// The leaves' accumulated gradients after `calls` reverse sweeps (from the primal values
    /// `v`, each seeded with `seed`) with no zeroing between them: a `valueCount` buffer whose
    /// leaf slices hold the running sums (computed nodes' slices stay 0, as PyTorch keeps no
    /// `.grad` for non-leaf tensors).
    public func accumulatedGradients(values v: [Double], seed: Double = 1, calls: Int) -> [Double] {
        precondition(calls >= 1, "at least one backward call")
        var grad = [Double](repeating: 0, count: valueCount)
        var sweep = [Double](repeating: 0, count: valueCount)
        let leaves = differentiableLeaves
        for _ in 0..<calls {
            adjoints(values: v, seed: seed, into: &sweep)
            for leaf in leaves {
                let e = entries[leaf]
                for k in Int(e.offset) ..< Int(e.offset) + e.count { grad[k] += sweep[k] }
            }
        }
        return grad
    }
}
