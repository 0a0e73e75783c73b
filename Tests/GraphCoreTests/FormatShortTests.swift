import GraphCore
import Testing
import TestSupport

/// `Format.short`: `%g` with `digits` significant digits, trailing zeros and a `+` or leading
/// zeros of the exponent dropped, and a true minus sign (U+2212) for every `-`.
@Suite("Format.short")
struct FormatShortTests {
    @Test(arguments: [
        (-0.9589242746631385, 6, "−0.958924"),
        (0.6931471805599453, 6, "0.693147"),
        (10, 6, "10"),
        (0.5, 6, "0.5"),
        (1e-5, 6, "1e−5"),
        (-2.5e17, 6, "−2.5e17"),
        (123456789, 6, "1.23457e8"),
        (-1.25, 2, "−1.2"),
        (100, 2, "1e2"),
        (-0.000123, 3, "−0.000123"),
        (0, 6, "0"),
        (-Double.infinity, 6, "−∞"),
        (Double.nan, 6, "NaN"),
    ] as [(Double, Int, String)])
    func writesTheNumber(x: Double, digits: Int, text: String) {
        expectEqual(Format.short(x, digits: digits), text)
    }
}
