extension Explanation {
    /// Reverse mode: whether node `i`'s adjoint after `position` steps is a partial sum, having
    /// received some but not all of its terms, so the number shown is not yet the gradient
    /// (baydin's x̄₁ reads 5 after its first term; it ends at 5.5). False for the output (its
    /// seed is whole from the start), for a node with no term yet, and in the other phases,
    /// where a node's value or tangent is computed whole at its step.
    public func isPartialAdjoint(_ i: Int, at position: Int) -> Bool {
        guard phase == .reverse, i != tape.output else { return false }
        let terms = received(by: i)
        guard let first = terms.first, let last = terms.last else { return false }
        return hasArrived(first, at: position) && !hasArrived(last, at: position)
    }

    /// Reverse mode: whether node `i`'s adjoint is partial at some step of the sweep (it
    /// receives more than one term), so a picture reserves room for the mark.
    public func canBePartialAdjoint(_ i: Int) -> Bool {
        phase == .reverse && i != tape.output && received(by: i).count > 1
    }
}
