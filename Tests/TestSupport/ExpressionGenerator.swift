/// Random expression text over a few names (`u`, `v`, `w`), shared by the property tests of
/// the language (reverse = forward = central differences) and of symbolic differentiation
/// (symbolic = AD). Domains are kept safe by construction: a divisor is 1 + b², exp takes a
/// tanh, so every expression is smooth and finite everywhere.
public struct ExpressionGenerator {
    public var rng: SplitMix64
    /// The names used so far, in order of first use.
    public var used: [String] = []
    public init(rng: SplitMix64) { self.rng = rng }

    public static let names = ["u", "v", "w"]
    public static let numbers = ["0.5", "2", "1.5", "0.25", "3"]

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

    public mutating func leaf() -> String {
        if rng.next() % 4 == 0 { return pick(Self.numbers) }
        let name = pick(Self.names)
        if !used.contains(name) { used.append(name) }
        return name
    }

    /// An expression at most `depth` operations deep; at the root (`allowLeaf` false)
    /// always at least one operation.
    public mutating func expression(depth: Int, allowLeaf: Bool = true) -> String {
        if depth == 0 || (allowLeaf && rng.next() % 5 == 0) { return leaf() }
        let a = expression(depth: depth - 1)
        switch rng.next() % 12 {
        case 0: return "\(a) + \(expression(depth: depth - 1))"
        case 1: return "\(a) - (\(expression(depth: depth - 1)))"
        case 2: return "(\(a)) * (\(expression(depth: depth - 1)))"
        case 3: return "(\(a)) / (1 + (\(expression(depth: depth - 1)))^2)"
        case 4: return "sin(\(a))"
        case 5: return "cos(\(a))"
        case 6: return "tanh(\(a))"
        case 7: return "exp(tanh(\(a)))"
        case 8: return "sigmoid(\(a))"
        case 9: return "softplus(\(a))"
        case 10: return "-(\(a))"
        default: return "(\(a))^2"
        }
    }
}
