#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// `Format.short` runs for every number of every picture, frame, tooltip and table: a frame
// sweep of a small MLP formats millions. `String(format:)` parses its format string, boxes
// the argument and goes through CoreFoundation for each one (a third of a frame's cost in the
// profile); the same printf `%.Ng` comes from the C library's `gcvt` into a stack buffer, and
// the text is tidied byte by byte. A property test (ShortNumberTests) holds it to
// `String(format:)` with the tidying as it was written before, on edge cases and random bits.

extension Format {
    /// `gcvt` is `sprintf("%.*g")` with the precision capped at 17, the most a Double needs;
    /// a precision past the cap (or below 0) goes through `String(format:)` as before.
    static let printableDigits = 0 ... 17

    /// printf's `%.{digits}g` of `x` (finite, nonzero), tidied: see `tidied`.
    static func printed(_ x: Double, digits: Int) -> String {
        guard printableDigits.contains(digits) else {
            var text = String(format: "%.\(digits)g", x)
            return text.withUTF8 { tidied(UnsafeRawBufferPointer($0)) }
        }
        // %.17g of a Double is at most 24 bytes ("-2.2250738585072014e-308") and the NUL.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            let start = buffer.baseAddress!
            // The C library's printf takes its decimal point from the locale (the explorer
            // sets it from the environment); a number is always written with a full stop.
            let previous = uselocale(numericC)
            gcvt(x, Int32(digits), start)
            uselocale(previous)
            return tidied(UnsafeRawBufferPointer(start: start, count: strlen(start)))
        }
    }

    /// The C locale's numbers, made once (a `locale_t` is never freed or changed after).
    nonisolated(unsafe) private static let numericC = newlocale(LC_NUMERIC_MASK, "C", nil)

    /// printf's `%g` text as people read it: a mantissa's trailing zeros after the point
    /// dropped (`1.50000` → `1.5`, `2.` → `2`), the exponent without its plus sign or leading
    /// zeros (`e+06` → `e6`, `e-07` → `e-7`), and every minus a true minus sign (U+2212).
    static func tidied(_ printed: UnsafeRawBufferPointer) -> String {
        let e = UInt8(ascii: "e"), point = UInt8(ascii: "."), zero = UInt8(ascii: "0")
        let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+")
        let exponentAt = printed.firstIndex(of: e) ?? printed.count
        var mantissaEnd = exponentAt
        if printed[0 ..< exponentAt].contains(point) {
            while mantissaEnd > 0 && printed[mantissaEnd - 1] == zero { mantissaEnd -= 1 }
            if mantissaEnd > 0 && printed[mantissaEnd - 1] == point { mantissaEnd -= 1 }
        }
        // Each byte becomes at most three (a minus sign is E2 88 92 in UTF-8).
        return String(unsafeUninitializedCapacity: 3 * printed.count + 1) { out in
            var n = 0
            func put(_ byte: UInt8) {
                if byte == minus {
                    out[n] = 0xE2; out[n + 1] = 0x88; out[n + 2] = 0x92
                    n += 3
                } else {
                    out[n] = byte
                    n += 1
                }
            }
            for k in 0 ..< mantissaEnd { put(printed[k]) }
            guard exponentAt < printed.count else { return n }
            put(e)
            var k = exponentAt + 1, negative = false
            if k < printed.count && (printed[k] == minus || printed[k] == plus) {
                negative = printed[k] == minus
                k += 1
            }
            while k < printed.count - 1 && printed[k] == zero { k += 1 }
            // The exponent as an integer is written: an exponent of zero has no sign.
            if negative && !(k == printed.count - 1 && printed[k] == zero) { put(minus) }
            while k < printed.count {
                put(printed[k])
                k += 1
            }
            return n
        }
    }
}
