/// Taylor mode: the tape swept once with jets instead of numbers, so the output's jet holds
/// the Taylor coefficients f(a), f′(a), f″(a)/2!, … f⁽ᴷ⁾(a)/K! of the output as a function
/// of one input element (all other leaves held at their values). Order 1 is forward mode
/// with dual numbers; higher orders are nested forward mode done in one pass.
///
///     let series = try TaylorMode(tape, slot: 0, order: 3)
///     series.coefficients   // for sin at 0: [0, 1, 0, −0.16666…]
public struct TaylorMode: Sendable {
    /// c₀ … c_K: c_k = f⁽ᵏ⁾(a) / k!.
    public var coefficients: [Double]
    /// Computed nodes whose operands sit on a kink at the expansion point (relu at 0, …):
    /// the function has no Taylor series there, and the coefficients follow PyTorch's
    /// one-sided conventions instead.
    public var kinks: [Int]
    /// True when some coefficient grew past the largest `Double` (exp(exp(x)) at 6): the
    /// series exists, its coefficients are only too large to hold, unlike √x at 0 whose
    /// derivative is infinite.
    public var overflowed: Bool

    /// A coefficient that turns infinite or NaN where every number it came from is finite
    /// but one is beyond this overflowed (the next product passes 1.8e308); below it, the
    /// op met a singularity.
    static let overflowThreshold = 1e100

    /// Expands the output's first element in value slot `slot` (an element of an input or
    /// param) up to `order`. Tensor ops are not supported.
    public init(_ tape: Tape, slot: Int, order: Int) throws(TaylorError) {
        precondition(order >= 0, "the order of a Taylor polynomial is at least 0")
        for i in tape.firstComputed ..< tape.count where tape.entries[i].op.kind == .tensor {
            throw .unsupported(tape.entries[i].op)
        }
        var jets = [Jet](repeating: Jet.constant(0, order: order), count: tape.valueCount)
        for i in 0..<tape.firstComputed {
            let e = tape.entries[i]
            for k in 0..<e.count {
                let o = Int(e.offset) + k, x = tape.leafData[Int(e.b) + k]
                jets[o] = o == slot ? Jet.variable(x, order: order) : Jet.constant(x, order: order)
            }
        }
        var kinks: [Int] = []
        var overflowed = false
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i], ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            var kinked = false
            for k in 0..<e.count {
                let a = jets[Int(ea.offset) + k % ea.count], b = jets[Int(eb.offset) + k % eb.count]
                var (jet, kink) = try e.op.jet(a, b)
                // The value is the op's own primal, bit for bit, whatever route the rule took.
                jet.coefficients[0] = e.op.primal(a.value, b.value)
                jets[Int(e.offset) + k] = jet
                kinked = kinked || kink
                if !overflowed { overflowed = Self.overflows(jet, from: a, b) }
            }
            if kinked { kinks.append(i) }
        }
        coefficients = jets[Int(tape.entries[tape.output].offset)].coefficients
        self.kinks = kinks
        self.overflowed = overflowed
    }

    /// Whether the first non-finite coefficient of `jet` (after its value) is born here from
    /// finite but huge coefficients: see `overflowThreshold`.
    static func overflows(_ jet: Jet, from a: Jet, _ b: Jet) -> Bool {
        guard let k = jet.coefficients.firstIndex(where: { !$0.isFinite }), k > 0 else { return false }
        let sources = a.coefficients.prefix(k + 1) + b.coefficients.prefix(k + 1) + jet.coefficients.prefix(k)
        return sources.allSatisfy(\.isFinite) && sources.contains { Swift.abs($0) > overflowThreshold }
    }

    /// The polynomial c₀ + c₁·(x − a) + c₂·(x − a)² + …, in the graph language so that it can
    /// be evaluated (`gradstep eval -e`); zero terms are left out and `x − 0` is written `x`.
    /// It stops before the first coefficient that is NaN or infinite (√x at 0 has no
    /// derivative there, so no series beyond its value).
    public static func polynomial(_ coefficients: [Double], variable: String, at a: Double,
                                  number: (Double) -> String = Format.exact) -> String {
        let base = a == 0 ? variable : (a < 0 ? "(\(variable) + \(number(-a)))" : "(\(variable) - \(number(a)))")
        var text = ""
        let finite = coefficients.prefix { $0.isFinite }
        for (k, c) in finite.enumerated() where c != 0 {
            let magnitude = Swift.abs(c)
            let term: String
            switch k {
            case 0: term = number(magnitude)
            case 1: term = magnitude == 1 ? base : "\(number(magnitude))*\(base)"
            default: term = magnitude == 1 ? "\(base)^\(k)" : "\(number(magnitude))*\(base)^\(k)"
            }
            if text.isEmpty {
                text = c < 0 ? "-" + term : term
            } else {
                text += c < 0 ? " - " + term : " + " + term
            }
        }
        return text.isEmpty ? "0" : text
    }
}
