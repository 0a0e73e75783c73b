import Foundation
import GraphCore

/// The limit of a quotient f/g as x → a, found the way the course does it: evaluate f and g
/// at a; if both are 0, differentiate both (L'Hôpital's rule) and try again. Every round is
/// kept, so the answer can be shown as the student would write it.
///
/// At x → ±∞ no value can be substituted: the ratios f/g and f′/g′ are sampled at x = ±10ᵏ
/// instead, and the verdict is stated as numerical evidence, not as a proof.
///
/// ```swift
/// let lim = try Limit(tape: graph.tape, variable: "x", at: .point(0))
/// lim.rounds.count   // 2: 0/0 at the first, −1/−1 after one derivative
/// lim.verdict        // .value(1)
/// ```
public struct Limit: Sendable {
    /// Where x goes.
    public enum Point: Hashable, Sendable, CustomStringConvertible {
        case point(Double)
        case infinity(sign: Double)

        public var description: String {
            switch self {
            case .point(let a): Limit.number(a)
            case .infinity(let s): s > 0 ? "∞" : "−∞"
            }
        }
    }

    /// One round of L'Hôpital: the k-th derivatives of numerator and denominator, as source
    /// text, and their values at the point (nil at ±∞).
    public struct Round: Sendable {
        public var order: Int
        public var numerator: String
        public var denominator: String
        public var numeratorValue: Double?
        public var denominatorValue: Double?
        /// Both values are 0 up to rounding: the next round differentiates.
        public var isZeroOverZero = false
    }

    /// f/g and f′/g′ at one sample point, for limits at ±∞.
    public struct Sample: Sendable {
        public var x: Double
        public var ratio: Double
        public var derivativeRatio: Double
    }

    /// What the rounds or the samples say.
    public enum Verdict: Hashable, Sendable {
        /// A finite limit.
        case value(Double)
        /// The quotient grows without bound, with this sign (both one-sided limits agree).
        case infinite(sign: Double)
        /// A nonzero number over 0: the one-sided limits are ±∞ and differ, so there is none.
        case oneSidedInfinities
        /// The one-sided limits are finite and differ (a kink: `abs(x)/x` at 0 is −1 from the
        /// left and 1 from the right), so there is none.
        case oneSidedValues(left: Double, right: Double)
        /// Still 0/0 after the last round allowed, or samples that settle on nothing.
        case undecided(String)
    }

    public let point: Point
    public let variable: String
    public private(set) var rounds: [Round] = []
    public private(set) var samples: [Sample] = []
    public private(set) var verdict: Verdict = .undecided("not computed")
    /// At a point: true when the last round's ratio just left and right of it agree with
    /// each other but not with its value at the point itself. There the derivatives follow a
    /// convention (`abs′(0) = 0`, `relu′(0) = 0`, a tie of `max` splits), which is no limit,
    /// and the sides' common value is the answer.
    public private(set) var sidesOverruleThePoint = false

    /// Rounds of L'Hôpital tried before giving up (each derivative can double in size).
    public static let maximumRounds = 6

    /// Why a tape's output is not a limit this can take.
    public struct NotAQuotient: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The limit of the tape's output, which must be a quotient `f / g` of scalar, elementwise
    /// expressions in `variable`.
    public init(tape: Tape, variable: String, at point: Point) throws {
        let out = tape.entries[tape.output]
        guard out.op == .div else {
            throw NotAQuotient(description: "the output (\(tape.formula(tape.output))) is not a quotient: write it as f / g (for example -e '(exp(x^2) - x - 1) / (3*cos(x) - x - 3)')")
        }
        self.point = point
        self.variable = variable
        var numeratorTape = tape, denominatorTape = tape
        numeratorTape.output = Int(out.a)
        denominatorTape.output = Int(out.b)
        let f = try SymbolicFunction(tape: numeratorTape)
        let g = try SymbolicFunction(tape: denominatorTape)
        // One term graph for both, so both derivatives share subexpressions and printing.
        var terms = f.terms
        var num = f.root
        var den = terms.graft(g.root, from: g.terms)
        switch point {
        case .point(let a):
            for order in 0...Self.maximumRounds {
                if order > 0 {
                    num = terms.derivative(of: num, wrt: variable)
                    den = terms.derivative(of: den, wrt: variable)
                }
                let fa = terms.evaluateNearZero(num, [variable: a])
                let ga = terms.evaluateNearZero(den, [variable: a])
                rounds.append(Round(order: order, numerator: terms.printed(num), denominator: terms.printed(den),
                                    numeratorValue: fa.value, denominatorValue: ga.value,
                                    isZeroOverZero: fa.isZero && ga.isZero))
                if fa.value.isNaN || ga.value.isNaN {
                    // exp(−1/x²)/x at 0: f′(0) is 0·∞, NaN, so the rule gives nothing there,
                    // yet the limit exists (0); "limit = undefined" read as a verdict.
                    let p = ["", "′", "″", "‴", "⁽⁴⁾", "⁽⁵⁾", "⁽⁶⁾"][min(order, 6)], at = Format.exact(a)
                    let nan = [fa.value.isNaN ? "f\(p)(\(at))" : nil, ga.value.isNaN ? "g\(p)(\(at))" : nil].compactMap { $0 }
                    verdict = .undecided("\(nan.joined(separator: " and ")) \(nan.count == 1 ? "is" : "are") not a number (NaN), so L'Hôpital's rule gives no value here; the limit may exist all the same")
                    return
                }
                if !ga.isZero {
                    verdict = .value(fa.value / ga.value)
                    checkBothSides(num, den, at: a, terms)
                    return
                }
                if !fa.isZero {
                    verdict = Self.sideways(num, den, at: a, variable, terms)
                    if case .value = verdict { sidesOverruleThePoint = true }
                    return
                }
            }
            verdict = .undecided("still 0/0 after \(Self.maximumRounds) derivatives")
        case .infinity(let sign):
            let dnum = terms.derivative(of: num, wrt: variable)
            let dden = terms.derivative(of: den, wrt: variable)
            rounds = [
                Round(order: 0, numerator: terms.printed(num), denominator: terms.printed(den)),
                Round(order: 1, numerator: terms.printed(dnum), denominator: terms.printed(dden)),
            ]
            for k in [1, 2, 4, 8, 16, 32, 64, 128, 256] {
                let x = sign * Foundation.pow(10, Double(k))
                let ratio = terms.evaluate(num, [variable: x]) / terms.evaluate(den, [variable: x])
                let dratio = terms.evaluate(dnum, [variable: x]) / terms.evaluate(dden, [variable: x])
                guard ratio.isFinite || dratio.isFinite else { break }
                samples.append(Sample(x: x, ratio: ratio, derivativeRatio: dratio))
            }
            verdict = Self.trend(samples.map { $0.ratio.isFinite ? $0.ratio : $0.derivativeRatio })
        }
    }

    /// How far from the point the one-sided ratios are taken, relative to max(1, |a|); they
    /// are taken again 64 times nearer. A smooth ratio's two sides then move 64 times closer
    /// together, a kink's jump does not shrink.
    static let sideOffset = 1e-6

    /// Two one-sided ratios closer than this (relative to max(1, their size)) are one limit.
    static let sideTolerance = 1e-6

    /// One-sided L'Hôpital: the limit from each side is the limit of the last round's ratio
    /// from that side, which at a kink need not be its value at the point (the derivatives
    /// there are a convention). The ratio is taken at a ± h: sides that differ are no limit;
    /// sides that agree with each other but not with the point overrule it (their mean, whose
    /// error is O(h²)). A side where the ratio is not defined (`sqrt(x)` left of 0) says nothing.
    private mutating func checkBothSides(_ num: Term, _ den: Term, at a: Double, _ terms: TermGraph) {
        guard case .value(let atPoint) = verdict, atPoint.isFinite else { return }
        let far = Self.ratios(num, den, at: a, Self.sideOffset * Swift.max(1, abs(a)), variable, terms)
        let (left, right) = Self.ratios(num, den, at: a, Self.sideOffset / 64 * Swift.max(1, abs(a)), variable, terms)
        guard left.isFinite, right.isFinite, far.left.isFinite, far.right.isFinite else { return }
        func close(_ u: Double, _ v: Double) -> Bool {
            abs(u - v) <= Self.sideTolerance * Swift.max(1, abs(u), abs(v))
        }
        let gap = abs(right - left), farGap = abs(far.right - far.left)
        if !close(left, right) && gap > farGap / 8 {
            verdict = .oneSidedValues(left: left, right: right)
        } else if !close(atPoint, (left + right) / 2) {
            verdict = .value((left + right) / 2)
            sidesOverruleThePoint = true
        }
    }

    /// A nonzero number over 0: the sign of f/g just left and right of a decides between ∞,
    /// −∞ and no limit.
    /// num/den at a − h and a + h.
    private static func ratios(_ num: Term, _ den: Term, at a: Double, _ h: Double, _ x: String,
                               _ terms: TermGraph) -> (left: Double, right: Double) {
        (terms.evaluate(num, [x: a - h]) / terms.evaluate(den, [x: a - h]),
         terms.evaluate(num, [x: a + h]) / terms.evaluate(den, [x: a + h]))
    }

    /// A ratio that does not grow as x nears a (at a kink the 0 below is a convention:
    /// x/abs(x) gives 1/0 at 0, but ±1 on either side) has finite one-sided limits instead.
    private static func sideways(_ num: Term, _ den: Term, at a: Double, _ x: String, _ terms: TermGraph) -> Verdict {
        let h = Swift.max(1e-6, abs(a) * 1e-6)
        let (left, right) = ratios(num, den, at: a, h, x, terms)
        let near = ratios(num, den, at: a, h / 64, x, terms)
        let growing = abs(near.left) > 8 * abs(left) || abs(near.right) > 8 * abs(right)
        if !growing, near.left.isFinite, near.right.isFinite {
            if abs(near.left - near.right) <= sideTolerance * Swift.max(1, abs(near.left), abs(near.right)) {
                return .value((near.left + near.right) / 2)
            }
            return .oneSidedValues(left: near.left, right: near.right)
        }
        if left.sign == right.sign, !left.isNaN, !right.isNaN { return .infinite(sign: right < 0 ? -1 : 1) }
        return .oneSidedInfinities
    }

    /// The trend of ratios sampled at x = 10, 10², 10⁴, …: settling (relative change under
    /// 1e-6) is a finite limit; growing tenfold or more at every later sample is ±∞.
    static func trend(_ ratios: [Double]) -> Verdict {
        let finite = ratios.filter(\.isFinite)
        guard finite.count >= 3 else { return .undecided("too few finite samples") }
        let last = finite[finite.count - 1], previous = finite[finite.count - 2]
        if abs(last - previous) <= 1e-6 * Swift.max(1, abs(last)) { return .value(last) }
        let tail = finite.suffix(4)
        let growing = zip(tail, tail.dropFirst()).allSatisfy { (pair: (Double, Double)) -> Bool in
            let (a, b) = pair
            return abs(b) >= 10 * abs(a) && a.sign == b.sign
        }
        if growing { return .infinite(sign: last < 0 ? -1 : 1) }
        return .undecided("the samples settle on no value")
    }

    /// A number as the rounds print it: integers without a fraction, others to 12 digits.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.12g", x)
    }
}

extension Limit.Point {
    /// `3`, `-0.5`, `inf`, `+inf`, `-inf`, `∞` or `−∞`; nil for anything else.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "inf", "+inf", "infinity", "∞", "+∞": self = .infinity(sign: 1)
        case "-inf", "-infinity", "−inf", "-∞", "−∞": self = .infinity(sign: -1)
        case let t:
            guard let a = Double(t.replacingOccurrences(of: "−", with: "-")), a.isFinite else { return nil }
            self = .point(a)
        }
    }
}

extension TermGraph {
    /// Copies `root` of another term graph into this one (shared subexpressions stay shared).
    mutating func graft(_ root: Term, from other: TermGraph) -> Term {
        var map = [Term?](repeating: nil, count: Int(root.id) + 1)
        for (i, isUsed) in other.reachable(from: root).enumerated() where isUsed {
            switch other.nodes[i] {
            case let .constant(x): map[i] = constant(x)
            case let .variable(name): map[i] = variable(name)
            case let .unary(op, a): map[i] = apply(op, map[Int(a.id)]!)
            case let .binary(op, a, b): map[i] = apply(op, map[Int(a.id)]!, map[Int(b.id)]!)
            }
        }
        return map[Int(root.id)]!
    }

    /// The value of `root`, and whether it is 0 up to rounding: within 1e-12 of the largest
    /// subexpression's magnitude (exp(x³) − e²⁷ at x = 3 cancels two numbers near 5·10¹¹).
    func evaluateNearZero(_ root: Term, _ values: [String: Double]) -> (value: Double, isZero: Bool) {
        let v = subtermValues(root, values)
        let scale = v.lazy.filter(\.isFinite).map(abs).max() ?? 0
        let value = v[Int(root.id)]
        return (value, abs(value) <= 1e-12 * scale)
    }

    /// `root` as graph-language source, or a note when it is too large to print.
    func printed(_ root: Term) -> String {
        (try? source(root)) ?? "(\(dagSize(root)) nodes: too large to print)"
    }
}
