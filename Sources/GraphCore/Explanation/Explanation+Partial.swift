extension Explanation {
    /// Reverse mode: how many of the terms node `i`'s adjoint sums have arrived after
    /// `position` steps, out of how many it receives (the output's seed is not a term).
    public func adjointProgress(_ i: Int, at position: Int) -> (arrived: Int, total: Int) {
        guard phase == .reverse, i != tape.output else { return (0, 0) }
        let terms = received(by: i)
        return (terms.filter { hasArrived($0, at: position) }.count, terms.count)
    }

    /// Reverse mode: node `i`'s adjoint is a partial sum after `position` steps: some but not
    /// all of its terms have arrived, so the number shown is not yet ∂y/∂vᵢ (baydin's x̄₁
    /// reads 5 after its first term; it ends at 5.5). Every view that shows an adjoint (graph
    /// pane, trace, inspector, pictures, frames) asks this, so a partial never looks final in
    /// one and partial in another. False for the output (its seed is whole from the start) and
    /// in the other phases, where a node's value or tangent is computed whole at its step.
    public func isPartialAdjoint(_ i: Int, at position: Int) -> Bool {
        let p = adjointProgress(i, at: position)
        return p.arrived > 0 && p.arrived < p.total
    }

    /// Reverse mode: whether node `i`'s adjoint is partial at some step of the sweep (it
    /// receives more than one term), so a picture reserves room for the mark.
    public func canBePartialAdjoint(_ i: Int) -> Bool {
        phase == .reverse && i != tape.output && received(by: i).count > 1
    }
}
