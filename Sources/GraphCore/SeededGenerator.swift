import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014) with uniform and normal draws: a documented,
/// portable sequence, so a seed names the same numbers on every machine. The one generator
/// behind `randn`/`xavier`/`kaiming`, dropout masks, mini-batches and the benchmark's DAGs.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal by Box–Muller: √(−2 ln u₁)·cos(2π u₂), with u₁ in (0, 1].
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit(), u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
