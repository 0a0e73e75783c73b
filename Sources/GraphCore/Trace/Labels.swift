import Foundation

// Names of nodes as Baydin et al. (2018) write them: inputs v₋ₙ … v₀, computed nodes v₁ …,
// with a bar for adjoints (v̄₁) and a dot for tangents (v̇₁). Constants go by their name or,
// for literals, by their value.

extension Tape {
    /// Number of inputs and params (they are the first entries of the tape).
    public var differentiableLeafCount: Int {
        var n = 0
        while n < firstComputed && entries[n].op != .constant { n += 1 }
        return n
    }

    /// `v₋₁`, `v₀`, `v₃`; a constant's name, or its value when it is a literal: a number
    /// (`2`), a small tensor's elements (`[0.5, 2]`), or a larger one's kind and shape
    /// (`const[2×3]`), never a shape in brackets that reads as a matrix holding it.
    public func label(_ i: Int) -> String {
        let e = entries[i]
        if e.op == .constant {
            if let name = names[i] { return name }
            // A shapes-only tape's initialised constants have no numbers (b = −1).
            guard e.b >= 0 else { return "const" + e.shape.description }
            if e.count == 1 { return Format.short(leafData[Int(e.b)]) }
            let written = Format.tensor(leafValues(i), e.shape) { Format.short($0, digits: 4) }
            return e.count <= Self.constantElementsWritten && written.count <= 24 ? written : "const" + e.shape.description
        }
        let leaves = differentiableLeafCount
        return "v" + Format.subscripted(i < leaves ? i - (leaves - 1) : i - firstComputed + 1)
    }

    /// The most elements an unnamed constant tensor is written out with in a label.
    public static let constantElementsWritten = 4

    /// `v̄₃` for a variable; constants receive no adjoint and keep their plain label.
    public func adjointLabel(_ i: Int) -> String { decorated(i, "\u{0304}") }
    /// `v̇₃` for a variable.
    public func tangentLabel(_ i: Int) -> String { decorated(i, "\u{0307}") }

    private func decorated(_ i: Int, _ mark: String) -> String {
        let plain = label(i)
        guard entries[i].op != .constant, plain.hasPrefix("v") else { return plain }
        return "v" + mark + plain.dropFirst()
    }

    /// The user's name of a node, or its label.
    public func displayName(_ i: Int) -> String { names[i] ?? label(i) }

    /// The formula node `i` computes, over its operands' labels: `v₄ − v₃`; for a constant
    /// folded from constants, the formula it replaced (`sqrt 4`).
    public func formula(_ i: Int) -> String {
        let e = entries[i]
        guard e.op.kind != .leaf else { return foldedFormulas[i] ?? displayName(i) }
        if case .along(let f) = e.op { return alongFormula(f, e) }
        if let pool = e.poolFormula(label(Int(e.a))) { return pool }
        return e.op.formula(e.operands.map(label))
    }
}

/// Number formatting shared by trace tables, the explorer and export.
public enum Format {
    /// Where a number is not computed yet, in the explorer, the quiz and pictures alike: the
    /// sweep has not reached it (`·` already means multiplication, and `?` is the quiz's).
    public static let pending = "…"
    /// The one value a quiz asks for, hidden until it is answered.
    public static let asked = "?"

    /// Shortest text that reads back as the same Double (`5.5`, `10`, `1.7163378145367738`);
    /// what JSON and CSV output use.
    public static func exact(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// Up to `digits` significant digits, trailing zeros dropped, a true minus sign:
    /// `0.693147`, `−0.958924`, `10`. For tables people read.
    public static func short(_ x: Double, digits: Int = 6) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "−∞" : "∞" }
        if x == 0 { return "0" }
        return printed(x, digits: digits)
    }

    /// A tensor slice as `[1, 2]` or `[[1, 2], [3, 4]]` with `number` for each element.
    public static func tensor(_ values: ArraySlice<Double>, _ shape: Shape,
                              number: (Double) -> String = { short($0) }) -> String {
        let v = Array(values)
        switch shape.rank {
        case 0: return v.first.map(number) ?? ""
        default: return nested(v.map(number), shape.dims)
        }
    }

    /// Elements (already formatted, row-major) in nested brackets, one level per extent:
    /// `[1, 2]`, `[[1, 2], [3, 4]]`, `[[[1, 2]], [[3, 4]]]`.
    public static func nested(_ items: [String], _ dims: [Int]) -> String {
        guard let outer = dims.first, dims.count > 1 else { return "[" + items.joined(separator: ", ") + "]" }
        let inner = items.count / Swift.max(outer, 1)
        return "[" + (0..<outer).map { k in
            nested(Array(items[k * inner ..< (k + 1) * inner]), Array(dims.dropFirst()))
        }.joined(separator: ", ") + "]"
    }

    /// `₋₁`, `₀`, `₁₂`.
    public static func subscripted(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        let body = String(String(Swift.abs(n)).compactMap { $0.wholeNumberValue.map { digits[$0] } })
        return n < 0 ? "₋" + body : body
    }
}
