extension Explanation {
    /// Reverse mode: how many of the terms node `i`'s adjoint sums have arrived after
    /// `position` steps, out of how many it receives (the output's seed is not a term).
    public func adjointProgress(_ i: Int, at position: Int) -> (arrived: Int, total: Int) {
        guard phase == .reverse else { return (0, 0) }
        let terms = received(by: i)
        return (terms.filter { hasArrived($0, at: position) }.count, terms.count)
    }

    /// Reverse mode: node `i`'s adjoint is a partial sum after `position` steps: some but not
    /// all of its terms have arrived, so the number shown is not yet ∂y/∂vᵢ. Every view that
    /// shows an adjoint (graph pane, trace, inspector, pictures, frames) asks this, so a
    /// partial never looks final in one and partial in another.
    public func isPartialAdjoint(_ i: Int, at position: Int) -> Bool {
        let p = adjointProgress(i, at: position)
        return p.arrived > 0 && p.arrived < p.total
    }
}
