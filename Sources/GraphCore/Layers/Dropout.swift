/// Inverted dropout's random mask, reproducible from a seed.
///
/// In training each unit is dropped with probability p and a kept one is scaled by 1/(1 − p),
/// so the layer's expected output equals its input (PyTorch's `nn.Dropout`). The mask is a
/// constant of the graph: its backward pass is the same multiplication, so a dropped unit
/// passes no gradient back and a kept one passes it scaled by 1/(1 − p).
public enum Dropout {
    /// SplitMix64 (Steele, Lea and Flood 2014): small, and the same sequence on every machine,
    /// so a seed names a mask.
    public struct Generator: RandomNumberGenerator, Sendable {
        public private(set) var state: UInt64

        public init(seed: UInt64) { state = seed }

        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A uniform draw from [0, 1) with 53 random bits.
        public mutating func nextUnit() -> Double {
            Double(next() >> 11) * 0x1p-53
        }
    }

    /// The mask for `count` units, in row-major order: 0 where a unit is dropped (its draw
    /// u < p), 1/(1 − p) where it is kept. With p = 1 every unit is dropped (all zeros).
    public static func mask(count: Int, p: Double, seed: UInt64) -> [Double] {
        var generator = Generator(seed: seed)
        let scale = p < 1 ? 1 / (1 - p) : 0
        return (0..<count).map { _ in generator.nextUnit() < p ? 0 : scale }
    }
}
