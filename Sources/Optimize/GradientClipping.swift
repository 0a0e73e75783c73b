/// Gradient clipping by the total norm, as PyTorch's `torch.nn.utils.clip_grad_norm_(params,
/// max_norm)`: the 2-norm of every parameter's gradient taken together, and when it is above
/// `max_norm` every gradient scaled by max_norm/(norm + 1e-6), so the step keeps its direction
/// and its length is at most (about) max_norm. PyTorch clips `.grad` before `optimizer.step()`
/// adds weight decay, so the norm is of ∇L alone.
public enum GradientClipping {
    /// PyTorch's 1e-6 in max_norm/(total_norm + 1e-6).
    public static let epsilon = 1e-6

    /// The gradient to use, the total norm it had, and the factor it was scaled by (1 when the
    /// norm was at most `maxNorm`).
    public static func clip(_ gradient: [Double], maxNorm: Double) -> (gradient: [Double], norm: Double, scale: Double) {
        let norm = LinearAlgebra.norm(gradient)
        let scale = maxNorm / (norm + epsilon)
        guard scale < 1 else { return (gradient, norm, 1) }
        return (gradient.map { $0 * scale }, norm, scale)
    }
}
