/// Numerical differentiation and gradient checking, as taught alongside AD: central
/// differences (f(x + h) − f(x − h)) / 2h against the adjoints, compared by relative error
/// |a − n| / max(|a|, |n|, tiny).
public enum GradientCheck {
    /// One leaf element's comparison.
    public struct Result: Sendable {
        public var leaf: Int
        public var element: Int
        public var analytic: Double
        public var numeric: Double
        public var relativeError: Double
        /// x − h and x + h fell on different sides of a kink (relu at 0, ...): the numeric
        /// derivative is not meaningful there, so a mismatch is flagged, not failed.
        public var nearKink: Bool
    }

    /// |a − n| / max(|a|, |n|, tiny).
    public static func relativeError(_ a: Double, _ n: Double, tiny: Double = 1e-12) -> Double {
        Swift.abs(a - n) / Swift.max(Swift.abs(a), Swift.abs(n), tiny)
    }

    /// The output (first element) of `tape` with its leaves as stored.
    static func outputValue(_ tape: Tape) -> Double {
        tape.evaluate()[Int(tape.entries[tape.output].offset)]
    }

    /// Compares reverse-mode adjoints with central differences for every element of every
    /// input and param. The output must be a scalar.
    public static func check(_ tape: Tape, h: Double = 1e-6) -> [Result] {
        let values = tape.evaluate()
        let adjoints = tape.adjoints(values: values)
        var results: [Result] = []
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            let original = Array(tape.leafValues(leaf))
            for k in 0..<e.count {
                var t = tape
                var moved = original
                moved[k] = original[k] + h
                t.setLeafValues(leaf, moved)
                let (plus, plusKinks) = (outputValue(t), kinkPattern(t))
                moved[k] = original[k] - h
                t.setLeafValues(leaf, moved)
                let (minus, minusKinks) = (outputValue(t), kinkPattern(t))
                let numeric = (plus - minus) / (2 * h)
                let analytic = adjoints[Int(e.offset) + k]
                results.append(Result(leaf: leaf, element: k, analytic: analytic, numeric: numeric,
                                      relativeError: relativeError(analytic, numeric),
                                      nearKink: plusKinks != minusKinks || kinkPattern(tape).contains(0)))
            }
        }
        return results
    }

    /// Which nodes sit on which side of their kinks: a sign pattern that changes between
    /// x − h and x + h means a non-differentiable point lies in between.
    static func kinkPattern(_ tape: Tape) -> [Int8] {
        let v = tape.evaluate()
        var pattern: [Int8] = []
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i]
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            switch e.op {
            case .relu, .abs, .step, .leakyRelu:
                for k in 0..<ea.count { pattern.append(v[Int(ea.offset) + k] > 0 ? 1 : (v[Int(ea.offset) + k] < 0 ? -1 : 0)) }
            case .max, .min:
                for k in 0..<e.count {
                    let d = v[Int(ea.offset) + k % ea.count] - v[Int(eb.offset) + k % eb.count]
                    pattern.append(d > 0 ? 1 : (d < 0 ? -1 : 0))
                }
            default: continue
            }
        }
        return pattern
    }
}
