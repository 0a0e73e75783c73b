/// Numerical differentiation and gradient checking, as taught alongside AD: central
/// differences (f(x + h) − f(x − h)) / 2h against the adjoints, compared by relative error
/// |a − n| / max(|a|, |n|, tiny) and passed with an absolute-plus-relative tolerance, as
/// `torch.autograd.gradcheck` does: a correct zero gradient (x³ at 0, Rosenbrock at its
/// minimum) has a relative error of 1 against a difference of 1e-12 and must still pass.
///
/// The course notes (003, gradient checking) divide by |g_n + g_{n+1}| instead; that
/// denominator vanishes when the two derivatives have opposite signs and blows the error up
/// for a pair that is merely wrong by a sign. gradstep uses the max of the magnitudes, which
/// is symmetric, never smaller than either, and bounded below by `tiny` (EXERCISES.md, 15).
///
///     let results = GradientCheck.check(tape)
///     let verdicts = results.map { GradientCheck.Verdict($0) }   // .pass, .fail or .kink
public enum GradientCheck {
    /// One leaf element's comparison.
    public struct Result: Sendable {
        public var leaf: Int
        public var element: Int
        public var analytic: Double
        public var numeric: Double
        public var relativeError: Double
        /// x − h and x + h fell on different sides of a kink (relu or abs at 0, a max tie,
        /// step's jump): the central difference straddles a non-differentiable point and is
        /// not meaningful there, so a mismatch is flagged, not failed.
        public var nearKink: Bool
        /// How far apart two central differences can land from rounding alone:
        /// a few ε·|f| / h. A difference |a − n| below it is all the numbers can resolve.
        public var roundoff: Double
        /// The central difference's own error, h²·|f‴|/6, estimated as |D(2h) − D(h)| / 3
        /// (D(h) = f′ + h²f‴/6 + …); 0 unless the entry needed it to pass (it costs two more
        /// evaluations) or x ± 2h straddles a kink.
        public var truncation: Double = 0

        /// |a − n|.
        public var absoluteError: Double { Swift.abs(analytic - numeric) }
    }

    /// When an analytic and a numeric derivative agree: |a − n| ≤ atol + rtol·max(|a|, |n|),
    /// plus what the difference itself cannot resolve (its round-off and truncation error).
    /// `torch.autograd.gradcheck` tests |a − n| ≤ atol + rtol·|n| with atol 1e-5, rtol 1e-3;
    /// gradstep is stricter because it allows for the difference's own error explicitly.
    public struct Tolerance: Sendable, Hashable {
        public var absolute: Double
        public var relative: Double

        public init(absolute: Double = GradientCheck.defaultAbsoluteTolerance, relative: Double = GradientCheck.defaultThreshold) {
            (self.absolute, self.relative) = (absolute, relative)
        }

        /// The largest |a − n| that passes for `result`.
        public func allowed(_ result: Result) -> Double {
            absolute + relative * Swift.max(Swift.abs(result.analytic), Swift.abs(result.numeric))
                + result.roundoff + result.truncation
        }
    }

    /// What a check says about one entry.
    public enum Verdict: String, Sendable {
        /// Within the tolerance (see `Tolerance`).
        case pass
        /// Too far apart: the analytic derivative (or the op's rule) is suspect.
        case fail
        /// x ± h straddles a kink: flagged, not failed.
        case kink

        /// The verdict for `result` within `tolerance`.
        public init(_ result: Result, tolerance: Tolerance = Tolerance()) {
            if result.nearKink {
                self = .kink
            } else if result.absoluteError <= tolerance.allowed(result) {
                self = .pass
            } else {
                self = .fail
            }
        }

        /// The verdict at relative tolerance `threshold` and the default absolute one.
        public init(_ result: Result, threshold: Double) {
            self.init(result, tolerance: Tolerance(relative: threshold))
        }

        /// Passes and kinks do not fail a check.
        public var isOK: Bool { self != .fail }
    }

    /// The default step: near the cube root of ε, where a central difference's truncation
    /// error (∝ h²) and round-off (∝ ε/h) are about equal.
    public static let defaultStep = 1e-6
    /// The default relative tolerance (rtol) for a pass.
    public static let defaultThreshold = 1e-5
    /// The default absolute tolerance (atol) for a pass: a gradient of about 0 is compared by
    /// this, as no relative error can judge it.
    public static let defaultAbsoluteTolerance = 1e-8

    /// The most values a check computes, two forward sweeps of the whole tape per entry,
    /// before it checks a sample of entries instead: about a second (30,000 params of a
    /// 60,000-value tape would be 3.6·10⁹).
    public static let maximumWork = 100_000_000

    /// The values computed by checking `entries` entries of `tape`: two forward sweeps each.
    public static func work(_ tape: Tape, entries: Int) -> Int {
        let (w, overflow) = entries.multipliedReportingOverflow(by: 2 * Swift.max(tape.valueCount, 1))
        return overflow ? Int.max : w
    }

    /// The most entries of `tape` one check may cover within `maximumWork` (at least 1).
    public static func maximumEntries(_ tape: Tape) -> Int {
        Swift.max(1, maximumWork / (2 * Swift.max(tape.valueCount, 1)))
    }

    /// Every input and param element as (leaf, element), in declaration order, row-major.
    public static func entries(_ tape: Tape) -> [(leaf: Int, element: Int)] {
        tape.differentiableLeaves.flatMap { leaf in (0..<tape.entries[leaf].count).map { (leaf, $0) } }
    }

    /// `count` of `entries` chosen at random by `seed` (Floyd's algorithm: no array of all
    /// entries is shuffled), in their order; all of them when `count` covers them.
    public static func sample(_ entries: [(leaf: Int, element: Int)], count: Int, seed: UInt64) -> [(leaf: Int, element: Int)] {
        guard count < entries.count else { return entries }
        var generator = SeededGenerator(seed: seed)
        var chosen = Set<Int>()
        for j in (entries.count - count) ..< entries.count {
            let t = Int.random(in: 0...j, using: &generator)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted().map { entries[$0] }
    }

    /// |a − n| / max(|a|, |n|, tiny).
    public static func relativeError(_ a: Double, _ n: Double, tiny: Double = 1e-12) -> Double {
        Swift.abs(a - n) / Swift.max(Swift.abs(a), Swift.abs(n), tiny)
    }

    /// Compares reverse-mode adjoints with central differences for every element of every
    /// input and param, in declaration order (element by element, row-major). The output
    /// must be a scalar.
    public static func check(_ tape: Tape, h: Double = defaultStep, tolerance: Tolerance = Tolerance()) -> [Result] {
        check(tape, entries: entries(tape), h: h, tolerance: tolerance)
    }

    /// Compares the given entries only (a sample of a large graph's).
    public static func check(_ tape: Tape, entries: [(leaf: Int, element: Int)], h: Double = defaultStep,
                             tolerance: Tolerance = Tolerance()) -> [Result] {
        var probe = Probe(tape)
        let adjoints = tape.adjoints(values: probe.base)
        let basePattern = probe.kinkPattern(probe.base)
        return entries.map { check($0.leaf, $0.element, h, tolerance, &probe, adjoints, basePattern) }
    }

    /// The comparison for one element of one input or param (the explorer's derivatives
    /// view asks for the one derivative it shows, not the whole gradient).
    public static func check(_ tape: Tape, leaf: Int, element: Int, h: Double = defaultStep) -> Result {
        var probe = Probe(tape)
        return check(leaf, element, h, Tolerance(), &probe, tape.adjoints(values: probe.base), probe.kinkPattern(probe.base))
    }

    private static func check(_ leaf: Int, _ k: Int, _ h: Double, _ tolerance: Tolerance, _ probe: inout Probe,
                              _ adjoints: [Double], _ basePattern: [Int8]) -> Result {
        let slot = Int(probe.tape.entries[leaf].offset) + k
        let x = probe.base[slot]
        let plus = probe.output(moving: slot, to: x + h)
        let plusPattern = probe.kinkPattern(probe.scratch)
        let minus = probe.output(moving: slot, to: x - h)
        let minusPattern = probe.kinkPattern(probe.scratch)
        let numeric = (plus - minus) / (2 * h)
        let analytic = adjoints[slot]
        let straddles = plusPattern != minusPattern || plusPattern != basePattern
            || minusPattern != basePattern
        let roundoff = 8 * Double.ulpOfOne * Swift.max(Swift.abs(plus), Swift.abs(minus)) / h
        var result = Result(leaf: leaf, element: k, analytic: analytic, numeric: numeric,
                            relativeError: relativeError(analytic, numeric),
                            nearKink: straddles, roundoff: roundoff)
        guard !straddles, numeric.isFinite, result.absoluteError > tolerance.allowed(result) else { return result }
        // Only now is the difference's truncation error worth two more evaluations.
        let plus2 = probe.output(moving: slot, to: x + 2 * h)
        let plus2Pattern = probe.kinkPattern(probe.scratch)
        let minus2 = probe.output(moving: slot, to: x - 2 * h)
        guard plus2Pattern == basePattern, probe.kinkPattern(probe.scratch) == basePattern else { return result }
        let wide = (plus2 - minus2) / (4 * h)
        if wide.isFinite { result.truncation = Swift.abs(wide - numeric) / 3 }
        return result
    }

    /// Which side of its kink every kinked op's operand sits on (−1, 0, +1), node by node and
    /// element by element: a pattern that changes between x − h and x + h means a
    /// non-differentiable point lies in between.
    static func kinkPattern(_ tape: Tape, _ v: [Double]) -> [Int8] {
        var pattern: [Int8] = []
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i]
            let ea = tape.entries[Int(e.a)], eb = tape.entries[Int(e.b)]
            guard let kinkAt = e.op.kinkSide else { continue }
            if kinkAt == .windowMaximum {
                pattern += maxPoolPattern(e, ea, eb, v)
                continue
            }
            for k in 0..<e.count {
                let a = v[Int(ea.offset) + k % ea.count], b = v[Int(eb.offset) + k % eb.count]
                let d = kinkAt == .operandZero ? a : a - b
                pattern.append(d > 0 ? 1 : (d < 0 ? -1 : 0))
            }
        }
        return pattern
    }

    /// Per window of a max-pool: where its maximum is (low byte of the index in the window)
    /// and whether it is tied, so that a maximum that moves or ties between x − h and x + h
    /// shows as a changed pattern.
    static func maxPoolPattern(_ e: TapeEntry, _ ea: TapeEntry, _ eb: TapeEntry, _ v: [Double]) -> [Int8] {
        var v = v, pattern: [Int8] = []
        let g = e.geometry(ea, eb)
        v.withUnsafeMutableBufferPointer { vb in
            let x = vb.baseAddress! + Int(ea.offset)
            g.forEachWindow { _, span in
                pattern.append(Int8(truncatingIfNeeded: g.argmax(x, span) - span.start))
                pattern.append(g.hasTiedMaximum(x, span) ? 0 : 1)
            }
        }
        return pattern
    }
}

// MARK: - Kinks

extension Op {
    /// Where an op is not differentiable, in the terms a gradient check needs.
    public enum KinkSide: Sendable {
        /// At the first operand = 0 (relu, abs, step's jump, leaky relu).
        case operandZero
        /// Where the two operands tie (max, min).
        case operandsTie
        /// Where a window's maximum is tied (max-pool: the gradient goes to the first).
        case windowMaximum
    }

    /// Where this op has a kink, or nil for an op that is smooth wherever it is defined.
    public var kinkSide: KinkSide? {
        switch self {
        case .unary(let f): f.kinkAtZero ? .operandZero : nil
        case .leakyRelu: .operandZero
        case .max, .min, .compare: .operandsTie
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .neg, .stopGradient, .matmul, .sum, .mean,
             .transpose, .softmax, .crossEntropy, .mse, .select, .logsumexp, .logSoftmax:
            nil
        // Convolution and pooling
        case .maxpool2d: .windowMaximum
        case .conv1d, .conv2d, .avgpool2d, .biasAdd, .reshape: nil
        // Indexing: linear in the source; the indices are constants of the step
        case .gather, .along: nil
        // Layers
        case .batchNorm, .layerNorm, .dropout:
            nil
        }
    }
}

// MARK: - Probing

/// A tape evaluated at its stored point (`base`) and re-evaluated, into `scratch`, with one
/// value slot moved: the evaluations behind central differences, h-sweeps and plots.
struct Probe {
    let tape: Tape
    let base: [Double]
    var scratch: [Double]

    /// The `stop_gradient` entries, in tape order: their values stay at `base` when a leaf
    /// moves, so a difference measures the function the reverse sweep differentiates (the one
    /// in which a stopped value is a constant), as `tf.stop_gradient` defines it.
    let frozen: [Int]

    init(_ tape: Tape) {
        self.tape = tape
        base = tape.evaluate()
        scratch = base
        frozen = (tape.firstComputed ..< tape.count).filter { tape.entries[$0].op == .stopGradient }
    }

    /// The output's first element with value slot `slot` (a leaf element) set to `x`.
    mutating func output(moving slot: Int, to x: Double) -> Double {
        scratch = base
        scratch[slot] = x
        var start = tape.firstComputed
        for i in frozen {
            // Every entry before the stopped one, then the stopped one left at its base value.
            tape.forward(&scratch, range: start ..< i)
            start = i + 1
        }
        tape.forward(&scratch, range: start ..< tape.count)
        return scratch[Int(tape.entries[tape.output].offset)]
    }

    func kinkPattern(_ v: [Double]) -> [Int8] { GradientCheck.kinkPattern(tape, v) }
}
