import Foundation
import GraphCore
import Testing
import TestSupport

/// `Format.short` writes printf's `%g` through the C library's `gcvt` on a stack buffer and
/// tidies the bytes itself. It must give, for every Double and every digit count, exactly
/// the text of the way it was first written: `String(format:)` and the tidying in Swift
/// strings below (kept here as the reference, character for character as it was).
@Suite("Format.short against String(format:)")
struct ShortNumberTests {
    /// The reference: `String(format: "%.Ng")`, the mantissa's trailing zeros dropped, the
    /// exponent read as an integer and written back, every `-` made `−`.
    static func reference(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "−∞" : "∞" }
        if x == 0 { return "0" }
        var s = String(format: "%.\(digits)g", x)
        if s.contains(Character("e")) {
            let parts = s.split(separator: "e", maxSplits: 1)
            var mantissa = String(parts[0])
            if mantissa.contains(Character(".")) {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            let exponent = Int(parts[1]) ?? 0
            s = "\(mantissa)e\(exponent)"
        } else if s.contains(Character(".")) {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s.contains(Character("-")) ? String(s.map { $0 == "-" ? "−" : $0 }) : s
    }

    /// Numbers where formatting goes wrong if it can: zeros, infinities, NaNs, the extremes
    /// and subnormals, powers of ten and their neighbours (the switch between fixed and
    /// exponent notation), and halves that round up into one more digit (9.9999995 → 10).
    static let edges: [Double] = {
        var xs: [Double] = [0, -0.0, .infinity, -.infinity, .nan, -Double.nan, Double(bitPattern: 0x7FF0_0000_0000_0001),
                            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude,
                            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, Double.leastNormalMagnitude.nextDown,
                            1, -1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, .pi, -.pi, 1e15, 1e16, 1e17, 123456789, 0.000123,
                            9.9999995, 99999.95, 999999.5, 9999999.5, 0.000099999995, 0.00001, 0.0001, 1e-5, 1e21, 1e22,
                            2.5e-308, 4.9e-324, 1.7976931348623157e308, 1e300, 1e-300, 0.693147, -0.958924]
        for e in -30 ... 30 {
            let p = pow(10.0, Double(e))
            xs += [p, p.nextUp, p.nextDown, -p, 5 * p, 9.5 * p, 9.999995 * p, 9.9999995 * p]
        }
        return xs
    }()

    /// Every digit count used (2 … 8 in the program, 6 by default) and past them: 0, the most
    /// `gcvt` writes (17), and beyond it and below 0, where `String(format:)` is used itself.
    static let digitCounts = Array(-1 ... 20)

    @Test func edgeCasesAtEveryDigitCount() {
        for digits in Self.digitCounts {
            for x in Self.edges {
                let got = Format.short(x, digits: digits), want = Self.reference(x, digits: digits)
                expectEqual(got, want, "\(x.bitPattern) at \(digits) digits")
            }
        }
    }

    /// Random bit patterns cover every exponent and sign (and NaNs and subnormals); random
    /// numbers of everyday size cover the fixed notation that pictures are mostly made of.
    @Test func randomDoublesAtEveryDigitCount() {
        var rng = SplitMix64(seed: 2026_12_07)
        var mismatches: [String] = []
        for k in 0 ..< 40_000 {
            let x = k % 2 == 0
                ? Double(bitPattern: rng.next())
                : Double.random(in: -1 ... 1, using: &rng) * pow(10, Double(Int.random(in: -12 ... 12, using: &rng)))
            let digits = Self.digitCounts[k % Self.digitCounts.count]
            let got = Format.short(x, digits: digits), want = Self.reference(x, digits: digits)
            if got != want && mismatches.count < 10 { mismatches.append("\(x) (bits \(x.bitPattern)) at \(digits): \(got) ≠ \(want)") }
        }
        expectEqual(mismatches, [])
    }
}
