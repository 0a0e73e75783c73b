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

    public init(leaf: Int, element: Int? = nil, magnitude: Double = 1) {
        self.leaf = leaf
        self.element = element
        self.magnitude = magnitude
    }

    /// The seed buffer: `magnitude` on the seeded element(s) of the leaf, 0 everywhere else.
    public func buffer(_ tape: Tape) -> [Double] {
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
    public func isPartial(_ tape: Tape) -> Bool { element != nil || tape.entries[leaf].count == 1 }

    /// The seeded leaf as the user writes it: `x1`, `W[2,0]`, `x[1]`, `W` (all elements).
    public func reference(_ tape: Tape) -> String {
        let name = tape.displayName(leaf)
        guard let element else { return name }
        let e = tape.entries[leaf]
        guard e.rank > 0 else { return name }
        return "\(name)[" + e.shape.index(of: element).map(String.init).joined(separator: ",") + "]"
    }

    /// What the output's tangent is: `∂L/∂W[2,0]`, `∂y/∂x1`, or `D_1 L` (the directional
    /// derivative along the all-ones direction) for a whole tensor seeded at once.
    public func derivativeLabel(_ tape: Tape) -> String {
        let y = tape.displayName(tape.output)
        return factor + (isPartial(tape) ? "∂\(y)/∂\(reference(tape))" : "D_1 \(y)")
    }

    /// How the seed reads in titles: `ẋ1 = 1`, `Ẇ[2,0] = 1`, `ẋ = 1 (every element)`.
    public func description(_ tape: Tape) -> String {
        let dot = tape.names[leaf].map { Explanation.decorated($0, "\u{0307}") } ?? tape.tangentLabel(leaf)
        guard let element, tape.entries[leaf].count > 1 else {
            return "\(dot) = \(Format.short(magnitude))" + (tape.entries[leaf].count > 1 ? " (every element)" : "")
        }
        let ref = TangentSeed(leaf: leaf, element: element).reference(tape)
        return dot + ref.drop { $0 != "[" } + " = \(Format.short(magnitude))"
    }

    /// Every seed of `tape` in the order `s` cycles through them: each input or param, a
    /// tensor first as a whole (all ones) then element by element.
    public static func all(_ tape: Tape) -> [TangentSeed] {
        tape.differentiableLeaves.flatMap { leaf -> [TangentSeed] in
            let n = tape.entries[leaf].count
            return [TangentSeed(leaf: leaf)] + (n > 1 ? (0..<n).map { TangentSeed(leaf: leaf, element: $0) } : [])
        }
    }

    /// Parses an element reference: `x1`, `W`, `x[1]`, `W[2,0]`, `W[2, 0]`. The name must be
    /// an input or param, the indices within its shape.
    public static func parse(_ text: String, in tape: Tape, node: (String) -> Int?) -> Result<TangentSeed, SeedError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name: String, indexText: String?
        if let open = trimmed.firstIndex(of: "[") {
            guard trimmed.hasSuffix("]") else { return .failure(SeedError("'\(text)': missing ']'")) }
            name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            indexText = String(trimmed[trimmed.index(after: open) ..< trimmed.index(before: trimmed.endIndex)])
        } else {
            name = trimmed
            indexText = nil
        }
        guard let leaf = node(name), tape.differentiableLeaves.contains(leaf) else {
            let names = tape.differentiableLeaves.map(tape.displayName).joined(separator: ", ")
            return .failure(SeedError("no input or param named '\(name)' (inputs: \(names))"))
        }
        guard let indexText else { return .success(TangentSeed(leaf: leaf)) }
        let e = tape.entries[leaf]
        let parts = indexText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let dims = e.shape.dims
        guard parts.count == dims.count, parts.allSatisfy({ $0 != nil }) else {
            return .failure(SeedError("'\(text)': \(name) is \(e.shape.isScalar ? "a scalar" : e.shape.description), so it takes \(dims.count) index\(dims.count == 1 ? "" : "es")"))
        }
        let idx = parts.map { $0! }
        for (k, i) in idx.enumerated() where i < 0 || i >= dims[k] {
            return .failure(SeedError("'\(text)': index \(i) is out of range 0..<\(dims[k])"))
        }
        let element = e.shape.element(at: idx) ?? 0
        return .success(TangentSeed(leaf: leaf, element: e.count == 1 ? nil : element))
    }
}

/// Why an element reference was refused.
public struct SeedError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
