/// Inverted dropout's random mask, reproducible from a seed.
///
/// In training each unit is dropped with probability p and a kept one is scaled by 1/(1 − p),
/// so the layer's expected output equals its input (PyTorch's `nn.Dropout`). The mask is a
/// constant of the graph: its backward pass is the same multiplication, so a dropped unit
/// passes no gradient back and a kept one passes it scaled by 1/(1 − p).
public enum Dropout {
    /// The mask for `count` units, in row-major order: 0 where a unit is dropped (its draw
    /// u < p), 1/(1 − p) where it is kept. With p = 1 every unit is dropped (all zeros).
    public static func mask(count: Int, p: Double, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let scale = p < 1 ? 1 / (1 - p) : 0
        return (0..<count).map { _ in generator.nextUnit() < p ? 0 : scale }
    }
}
