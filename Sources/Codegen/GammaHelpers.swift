/// The helpers a generated program defines when it calls `lgamma`'s or `digamma`'s rules:
/// ψ (digamma) and ψ′ (trigamma), which neither Python's `math`, NumPy nor C's `math.h`
/// provide. As the engine's `SpecialFunctions`: at a pole (0, −1, −2, …) ψ is NaN and ψ′ +∞;
/// left of 0 the reflection ψ(x) = ψ(1 − x) − π cot(πx) (ψ′(x) = −ψ′(1 − x) + π²/sin²(πx))
/// moves x past 1, so the work is bounded wherever x is (a recurrence from −1e300 would never
/// end); then the recurrence ψ(x) = ψ(x + 1) − 1/x (ψ′(x) = ψ′(x + 1) + 1/x²) moves it to
/// x ≥ 10, where the asymptotic series is added up to the term in B₁₄ for ψ′ and B₁₀ for ψ: the
/// first dropped term is below 3·10⁻¹⁴ of the value, the engine's result to round-off. ln Γ
/// itself is the library's (`math.lgamma`, C's `lgamma`); NumPy's element-by-element `lgamma`
/// gives +∞ at a pole and past the largest double, as C's does, where `math.lgamma` raises.
enum GammaHelpers {
    /// Python on floats.
    static let python: [String] = [
        "",
        "def digamma(x):",
        "    \"\"\"ψ(x) = d/dx ln Γ(x): NaN at the poles, the reflection left of 0, the recurrence up to x ≥ 10, then the asymptotic series.\"\"\"",
        "    if x != x or x == -math.inf or (x <= 0 and x == math.floor(x)):",
        "        return math.nan",
        "    if x == math.inf:",
        "        return math.inf",
        "    if x < 0:",
        "        return digamma(1 - x) - math.pi / math.tan(math.pi * x)",
        "    s = 0.0",
        "    while x < 10:",
        "        s -= 1 / x",
        "        x += 1",
        "    f = 1 / (x * x)",
        "    return s + math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))",
        "",
        "",
        "def trigamma(x):",
        "    \"\"\"ψ′(x), the derivative of digamma: +∞ at the poles, the reflection left of 0, the recurrence up to x ≥ 10, then the asymptotic series.\"\"\"",
        "    if x != x or x == -math.inf:",
        "        return math.nan",
        "    if x == math.inf:",
        "        return 0.0",
        "    if x <= 0 and x == math.floor(x):",
        "        return math.inf",
        "    if x < 0:",
        "        return -trigamma(1 - x) + (math.pi / math.sin(math.pi * x)) ** 2",
        "    s = 0.0",
        "    while x < 10:",
        "        s += 1 / (x * x)",
        "        x += 1",
        "    f = 1 / (x * x)",
        "    return s + 1 / x + f / 2 + f / x * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f * (1 / 30 - f * (5 / 66 - f * (691 / 2730 - f * 7 / 6))))))",
        "",
    ]

    /// NumPy: the scalar helpers applied element by element.
    static let numpy: [String] = python + [
        "",
        "def lgamma_scalar(x):",
        "    \"\"\"ln |Γ(x)| as C's lgamma: +∞ at a pole and past the largest double, where math.lgamma raises.\"\"\"",
        "    try:",
        "        return math.lgamma(x)",
        "    except (ValueError, OverflowError):",
        "        return math.inf",
        "",
        "",
        "lgamma = np.vectorize(lgamma_scalar, otypes=[float])",
        "psi = np.vectorize(digamma, otypes=[float])",
        "psi1 = np.vectorize(trigamma, otypes=[float])",
        "",
    ]

    /// C99 (no M_PI in strict C99: π is written out).
    static let c: [String] = [
        "/* psi(x) = d/dx ln Gamma(x): NaN at the poles, the reflection left of 0, the recurrence up to x >= 10, then the asymptotic series. */",
        "static double digamma(double x) {",
        "    const double pi = 3.141592653589793;",
        "    if (isnan(x) || x == -INFINITY || (x <= 0 && x == floor(x))) return NAN;",
        "    if (x == INFINITY) return INFINITY;",
        "    if (x < 0) return digamma(1 - x) - pi / tan(pi * x);",
        "    double s = 0;",
        "    for (; x < 10; x += 1) s -= 1 / x;",
        "    double f = 1 / (x * x);",
        "    return s + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));",
        "}",
        "",
        "/* psi'(x), the derivative of digamma: +inf at the poles, the reflection left of 0, the recurrence up to x >= 10, then the asymptotic series. */",
        "static double trigamma(double x) {",
        "    const double pi = 3.141592653589793;",
        "    if (isnan(x) || x == -INFINITY) return NAN;",
        "    if (x == INFINITY) return 0;",
        "    if (x <= 0 && x == floor(x)) return INFINITY;",
        "    if (x < 0) { double r = pi / sin(pi * x); return -trigamma(1 - x) + r * r; }",
        "    double s = 0;",
        "    for (; x < 10; x += 1) s += 1 / (x * x);",
        "    double f = 1 / (x * x);",
        "    return s + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * (691.0 / 2730 - f * 7.0 / 6))))));",
        "}",
        "",
    ]
}
