/// `plateau:K:γ`, PyTorch's `ReduceLROnPlateau(mode="min", factor=γ, patience=K)` with its
/// defaults threshold 1e-4 (relative) and cooldown 0: after each step the watched loss counts
/// as an improvement when it is below best·(1 − 1e-4); once more than K steps in a row have
/// not improved, η is multiplied by γ and the count starts again. The loss before the first
/// step is not watched (PyTorch's scheduler is stepped after each epoch).
struct PlateauWatch {
    let patience: Int
    let factor: Double
    /// What η is multiplied by now: γ^(reductions so far).
    private(set) var multiplier = 1.0
    private var best = Double.infinity
    private var stale = 0

    /// A watch for `schedule` when it is `plateau:K:γ`; otherwise one that never reduces.
    init(_ schedule: Schedule) {
        if case .plateau(let k, let gamma) = schedule {
            (patience, factor) = (k, gamma)
        } else {
            (patience, factor) = (Int.max, 1)
        }
    }

    /// Takes the loss after a step; a NaN never improves.
    mutating func observe(_ loss: Double) {
        if loss < best * (1 - 1e-4) {
            best = loss
            stale = 0
        } else {
            stale += 1
        }
        if stale > patience {
            multiplier *= factor
            stale = 0
        }
    }
}
