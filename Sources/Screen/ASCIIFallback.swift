/// One ASCII character for each character a terminal without a UTF-8 locale cannot show, so
/// every cell keeps its width and the screen its layout: `v₋₁` reads `v-1`, `v₄ − v₃` reads
/// `v4 - v3`, and a letter with a bar or a dot (the adjoint v̄₃, the tangent v̇₃) reads as its
/// capital, `V3`.
extension Character {
    public var asciiFallback: Character {
        if isASCII { return self }
        if let mapped = Self.asciiTable[self] { return mapped }
        let scalars = unicodeScalars
        if scalars.count > 1, let base = scalars.first, base.isASCII {
            let marked = scalars.dropFirst().contains { $0 == "\u{0304}" || $0 == "\u{0307}" }
            let letter = Character(base)
            return marked ? Character(letter.uppercased()) : letter
        }
        return "?"
    }

    private static let asciiTable: [Character: Character] = {
        var table: [Character: Character] = [:]
        for (k, digit) in "0123456789".enumerated() {
            table[Array("₀₁₂₃₄₅₆₇₈₉")[k]] = digit
            table[Array("⁰¹²³⁴⁵⁶⁷⁸⁹")[k]] = digit
        }
        let pairs: [(Character, Character)] = [
            ("₋", "-"), ("⁻", "-"), ("−", "-"), ("·", "*"), ("×", "x"), ("÷", "/"), ("⊙", "o"),
            ("σ", "s"), ("Σ", "S"), ("∂", "d"), ("∇", "g"), ("ᵀ", "T"), ("θ", "t"), ("η", "n"),
            ("α", "a"), ("β", "b"), ("γ", "g"), ("λ", "l"), ("μ", "u"), ("ε", "e"),
            ("→", ">"), ("←", "<"), ("↑", "^"), ("↓", "v"), ("…", "~"), ("•", "*"),
            ("≤", "<"), ("≥", ">"), ("≠", "#"), ("∞", "I"),
            ("─", "-"), ("│", "|"), ("┌", "+"), ("┐", "+"), ("└", "+"), ("┘", "+"),
            ("├", "+"), ("┤", "+"), ("┬", "+"), ("┴", "+"), ("┼", "+"),
        ]
        for (from, to) in pairs { table[from] = to }
        return table
    }()
}
