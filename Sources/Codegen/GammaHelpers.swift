/// The helpers a generated program defines when it calls `lgamma`'s or `digamma`'s rules:
/// ψ (digamma) and ψ′ (trigamma), which neither Python's `math`, NumPy nor C's `math.h`
/// provide. Each moves x up with the recurrence ψ(x) = ψ(x + 1) − 1/x
/// (ψ′(x) = ψ′(x + 1) + 1/x²) to x ≥ 10 and adds the asymptotic series there, whose first
/// dropped term is below 3·10⁻¹⁴: the engine's `SpecialFunctions` to round-off. ln Γ itself is
/// the library's (`math.lgamma`, C's `lgamma`).
enum GammaHelpers {
    /// Python on floats.
    static let python: [String] = [
        "",
        "def digamma(x):",
        "    \"\"\"ψ(x) = d/dx ln Γ(x): recurrence up to x ≥ 10, then the asymptotic series.\"\"\"",
        "    s = 0.0",
        "    while x < 10:",
        "        s -= 1 / x",
        "        x += 1",
        "    f = 1 / (x * x)",
        "    return s + math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))",
        "",
        "",
        "def trigamma(x):",
        "    \"\"\"ψ′(x), the derivative of digamma: recurrence up to x ≥ 10, then the asymptotic series.\"\"\"",
        "    s = 0.0",
        "    while x < 10:",
        "        s += 1 / (x * x)",
        "        x += 1",
        "    f = 1 / (x * x)",
        "    return s + 1 / x + f / 2 + f / x * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)))",
        "",
    ]

    /// NumPy: the scalar helpers applied element by element.
    static let numpy: [String] = python + [
        "",
        "def lgamma(x):",
        "    \"\"\"ln |Γ(x)| element by element (math.lgamma).\"\"\"",
        "    return np.vectorize(math.lgamma, otypes=[float])(x)",
        "",
        "",
        "psi = np.vectorize(digamma, otypes=[float])",
        "psi1 = np.vectorize(trigamma, otypes=[float])",
        "",
    ]

    /// C99.
    static let c: [String] = [
        "/* psi(x) = d/dx ln Gamma(x): recurrence up to x >= 10, then the asymptotic series. */",
        "static double digamma(double x) {",
        "    double s = 0;",
        "    for (; x < 10; x += 1) s -= 1 / x;",
        "    double f = 1 / (x * x);",
        "    return s + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));",
        "}",
        "",
        "/* psi'(x), the derivative of digamma: recurrence up to x >= 10, then the asymptotic series. */",
        "static double trigamma(double x) {",
        "    double s = 0;",
        "    for (; x < 10; x += 1) s += 1 / (x * x);",
        "    double f = 1 / (x * x);",
        "    return s + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));",
        "}",
        "",
    ]
}
