import Foundation

/// A student's answer to one quiz question: a number (`1.716`, `−0.5`, `2e-3`), a vector
/// `[1, 2]` or a matrix `[[1, 2], [3, 4]]`, read with the shape it was written in (so a
/// matrix typed transposed can be recognised as such).
public struct QuizAnswer: Sendable, Equatable {
    public var values: [Double]
    public var shape: Shape
    /// Half a unit in the last digit written, per number (`1.72` → 0.005): how close the
    /// answer is "to the digits shown".
    public var halfUnits: [Double]

    public init(values: [Double], shape: Shape, halfUnits: [Double]? = nil) {
        self.values = values
        self.shape = shape
        self.halfUnits = halfUnits ?? values.map { _ in 0 }
    }

    /// Why a text is not an answer.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        /// Where in the (trimmed) text the answer stops making sense, in characters.
        public var offset = 0
    }

    /// Reads an answer; rows of a matrix (and the slices of a tensor of rank 3 or 4) must have
    /// equal lengths, and at most four levels of brackets are allowed. NaN and infinities are
    /// not answers.
    public static func parse(_ text: String) -> Result<QuizAnswer, ParseError> {
        let chars = Array(text.replacingOccurrences(of: "−", with: "-").trimmingCharacters(in: .whitespaces))
        guard !chars.isEmpty else { return .failure(ParseError(description: "an empty answer")) }
        var k = 0
        func skipSpace() { while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 } }
        func number() -> (Double, Double)? {
            skipSpace()
            let start = k
            while k < chars.count, "+-0123456789.eE".contains(chars[k]) { k += 1 }
            let word = String(chars[start..<k])
            guard !word.isEmpty, let x = Double(word), x.isFinite else { return nil }
            return (x, halfUnit(word))
        }
        func list(_ item: () -> Bool) -> Bool {
            skipSpace()
            guard k < chars.count, chars[k] == "[" else { return false }
            k += 1
            skipSpace()
            if k < chars.count, chars[k] == "]" { return false }
            while true {
                guard item() else { return false }
                skipSpace()
                guard k < chars.count else { return false }
                if chars[k] == "]" { k += 1; return true }
                guard chars[k] == "," else { return false }
                k += 1
            }
        }
        var values: [Double] = [], halves: [Double] = []
        func scalarItem() -> Bool {
            guard let (x, h) = number() else { return false }
            values.append(x); halves.append(h)
            return true
        }
        var ragged = false
        /// A list of numbers, or of lists of equal extents (at most four levels): its extents,
        /// outermost first, or nil when it is not one.
        func nested(_ depth: Int) -> [Int]? {
            skipSpace()
            guard depth < 4, k < chars.count, chars[k] == "[" else { return nil }
            var look = k + 1
            while look < chars.count, chars[look] == " " { look += 1 }
            let holdsLists = look < chars.count && chars[look] == "["
            var count = 0, inner: [Int]? = nil
            let ok = list {
                count += 1
                guard holdsLists else { return scalarItem() }
                guard let d = nested(depth + 1) else { return false }
                if let first = inner, first != d { ragged = true; return false }
                inner = d
                return true
            }
            return ok ? [count] + (inner ?? []) : nil
        }
        let shape: Shape
        skipSpace()
        if k < chars.count, chars[k] == "[" {
            var look = k + 1
            while look < chars.count, chars[look] == " " { look += 1 }
            if look < chars.count, chars[look] == "[" {
                guard let dims = nested(0) else {
                    if ragged { return .failure(ParseError(description: "the rows of '\(text)' have different lengths")) }
                    return .failure(ParseError(description: "'\(text)' is not a matrix literal such as [[1, 2], [3, 4]]"))
                }
                shape = .tensor(dims)
            } else {
                guard list(scalarItem) else { return .failure(ParseError(description: "'\(text)' is not a vector literal such as [1, 2]")) }
                shape = .vector(values.count)
            }
        } else {
            guard scalarItem() else { return .failure(ParseError(description: "'\(text)' is not a number")) }
            shape = .scalar
        }
        skipSpace()
        guard k == chars.count else { return .failure(ParseError(description: "unexpected '\(String(chars[k...]))' after the answer in '\(text)'", offset: k)) }
        return .success(QuizAnswer(values: values, shape: shape, halfUnits: halves))
    }

    /// Half a unit of the last digit of a number as written: `1.72` → 0.005, `3` → 0.5,
    /// `2.5e-3` → 0.00005.
    static func halfUnit(_ word: String) -> Double {
        let lower = word.lowercased()
        let parts = lower.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? lower
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let decimals = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let places = decimals.count > 1 ? decimals[1].count : 0
        return 0.5 * Foundation.pow(10, Double(exponent - places))
    }

    /// The answer as written: `1.5`, `[1, 2]`, `[[1, 2], [3, 4]]`.
    public var text: String { Format.tensor(values[...], shape) { Format.short($0, digits: 12) } }
}

/// How close an answer must be to the right value.
public enum QuizTolerance: Sendable, Equatable {
    /// Each number within `r` relative error (plus 1e-12 absolute, so a right 0 is 0), or
    /// within half a unit of its third significant digit: the precision the trace and the
    /// explorer show it at (`−0.0143` for −0.014276), so an answer copied from the screen
    /// is right.
    case relative(Double)
    /// Each number right to the digits the student wrote: `1.72` accepts 1.715 … 1.725.
    case digitsShown

    /// The default: within 1e-3 relative error.
    public static let standard = QuizTolerance.relative(1e-3)

    /// Whether `given` agrees with `expected`, element by element (the counts must match).
    public func accepts(_ given: QuizAnswer, _ expected: [Double]) -> Bool {
        accepts(given.values, halfUnits: given.halfUnits, expected)
    }

    /// The fewest significant digits gradstep shows a value with; an answer at that precision is right.
    public static let significantDigitsShown = 3

    /// Half a unit in the last of `significantDigitsShown` significant digits of `e` (0 for 0 and for
    /// values that are not finite).
    static func shownHalfUnit(_ e: Double) -> Double {
        guard e != 0, e.isFinite else { return 0 }
        return 0.5 * Foundation.pow(10, (Foundation.log10(Swift.abs(e))).rounded(.down) - Double(significantDigitsShown - 1))
    }

    func accepts(_ given: [Double], halfUnits: [Double], _ expected: [Double]) -> Bool {
        guard given.count == expected.count else { return false }
        for (k, (g, e)) in zip(given, expected).enumerated() {
            let slack: Double
            switch self {
            case .relative(let r): slack = Swift.max(r * Swift.abs(e), Self.shownHalfUnit(e)) + 1e-12
            case .digitsShown: slack = (k < halfUnits.count ? halfUnits[k] : 0) * (1 + 1e-9) + 1e-12 * Swift.abs(e)
            }
            guard Swift.abs(g - e) <= slack else { return false }
        }
        return true
    }
}
