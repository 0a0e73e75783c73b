import Foundation

/// Seeded starting values for params, as PyTorch's `torch.nn.init` draws them: the same seed
/// gives the same numbers on every machine (SplitMix64 for the bits, Box–Muller for normals).
/// The shape is (fan_out, fan_in) as in PyTorch's `Linear.weight`: rows are outputs, columns
/// inputs; a vector of n has fan_in = fan_out = n.
///
///     Initialiser.xavier.values(count: 35, fanIn: 5, fanOut: 7, seed: 1)   // U(−a, a), a = √(6/12)
public enum Initialiser: String, CaseIterable, Sendable {
    /// All 0.
    case zeros
    /// All 1.
    case ones
    /// N(0, 1), `torch.randn`.
    case randn
    /// Glorot uniform, `xavier_uniform_`: U(−a, a) with a = √(6/(fan_in + fan_out)).
    case xavier
    /// He normal, `kaiming_normal_` with mode fan_in and the relu gain:
    /// N(0, σ²) with σ = √2/√fan_in.
    case kaiming

    /// Whether the initialiser takes a seed after its shape.
    public var isRandom: Bool {
        switch self {
        case .zeros, .ones: false
        case .randn, .xavier, .kaiming: true
        }
    }

    /// `count` values drawn for a tensor with these fans.
    public func values(count: Int, fanIn: Int, fanOut: Int, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        switch self {
        case .zeros: return [Double](repeating: 0, count: count)
        case .ones: return [Double](repeating: 1, count: count)
        case .randn: return (0..<count).map { _ in rng.nextNormal() }
        case .xavier:
            let a = (6 / Double(fanIn + fanOut)).squareRoot()
            return (0..<count).map { _ in -a + 2 * a * rng.nextUnit() }
        case .kaiming:
            let sigma = 2.0.squareRoot() / Double(fanIn).squareRoot()
            return (0..<count).map { _ in sigma * rng.nextNormal() }
        }
    }
}
