import Foundation

/// What forward mode seeds: one element of one leaf (ẋ = eₖ, giving the partial derivative
/// ∂y/∂x[k]) or every element of it at once (ẋ = 𝟏, giving the directional derivative D₁y,
/// which for a tensor leaf is the sum of the gradient's entries, not the gradient).
public struct TangentSeed: Hashable, Sendable {
    public var leaf: Int
    /// Row-major element seeded; nil seeds every element (the all-ones direction).
    public var element: Int?
    /// The tangent ẋ put on the seeded element(s): 1 gives the derivative itself, any other
    /// value that many times it (a dual number x + ẋε with any ẋ).
    public var magnitude: Double
    /// A tangent along any direction (`trace --seed`): one number per element of the leaf,
    /// row-major, times `magnitude`; nil seeds `element`, or every element with 1.
    public var direction: [Double]?

    public init(leaf: Int, element: Int? = nil, magnitude: Double = 1, direction: [Double]? = nil) {
        self.leaf = leaf
        self.element = element
        self.magnitude = magnitude
        self.direction = direction
    }

    /// The seed buffer: `magnitude` on the seeded element(s) of the leaf, 0 everywhere else.
    public func buffer(_ tape: Tape) -> [Double] {
        if let direction { return tape.tangentSeed(leaf: leaf, direction: direction.map { $0 * magnitude }) }
        guard let element else {
            let n = tape.entries[leaf].count
            return tape.tangentSeed(leaf: leaf, direction: [Double](repeating: magnitude, count: n))
        }
        var seed = [Double](repeating: 0, count: tape.valueCount)
        seed[Int(tape.entries[leaf].offset) + element] = magnitude
        return seed
    }

    /// `3·` before a derivative seeded with ẋ = 3; nothing for ẋ = 1.
    var factor: String { magnitude == 1 ? "" : Format.short(magnitude) + "·" }

    /// True when the output's tangent is a partial derivative: one element is seeded, or the
    /// leaf is a scalar.
    public func isPartial(_ tape: Tape) -> Bool { direction == nil && (element != nil || tape.entries[leaf].count == 1) }

    /// The seeded leaf as the user writes it: `x1`, `W[2,0]`, `x[1]`, `W` (all elements).
    public func reference(_ tape: Tape) -> String {
        ElementReference(tape, leaf: leaf, element: element).description
    }

    /// What the output's tangent is: `∂L/∂W[2,0]`, `∂y/∂x1`, or `D_1 L` (the directional
    /// derivative along the all-ones direction) for a whole tensor seeded at once.
    public func derivativeLabel(_ tape: Tape) -> String {
        let y = tape.displayName(tape.output)
        if direction != nil { return factor + "D_v \(y)" }
        return factor + (isPartial(tape) ? "∂\(y)/∂\(reference(tape))" : "D_1 \(y)")
    }

    /// How the seed reads in titles: `ẋ1 = 1`, `Ẇ[2,0] = 1`, `ẋ = 1 (every element)`.
    public func description(_ tape: Tape) -> String {
        let dot = tape.names[leaf].map { Explanation.decorated($0, "\u{0307}") } ?? tape.tangentLabel(leaf)
        if let direction {
            // Nested as the leaf is, so a matrix's direction reads row by row.
            return "\(dot) = \(factor)v, v = " + Format.tensor(direction[...], tape.entries[leaf].shape)
        }
        guard let element, tape.entries[leaf].count > 1 else {
            return "\(dot) = \(Format.short(magnitude))" + (tape.entries[leaf].count > 1 ? " (every element)" : "")
        }
        return dot + ElementReference.subscriptText(tape.entries[leaf].shape.index(of: element)) + " = \(Format.short(magnitude))"
    }

    /// Every seed of `tape` in the order `s` cycles through them: each input or param, a
    /// tensor first as a whole (all ones) then element by element.
    public static func all(_ tape: Tape) -> [TangentSeed] {
        tape.differentiableLeaves.flatMap { leaf -> [TangentSeed] in
            let n = tape.entries[leaf].count
            return [TangentSeed(leaf: leaf)] + (n > 1 ? (0..<n).map { TangentSeed(leaf: leaf, element: $0) } : [])
        }
    }
}

