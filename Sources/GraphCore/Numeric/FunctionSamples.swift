/// f and f′ sampled over an interval of one input element, for plots: the output's value and
/// its derivative by reverse mode at evenly spaced points, with the kinks found between them
/// (located by bisection on which side of its kink each relu, abs, step or max sits) and the
/// points where f or f′ is undefined (NaN or ±∞).
///
///     let s = FunctionSamples(tape, slot: 0, from: -2, to: 2, count: 101)
///     s.kinks        // [0.0] for relu(x)
public struct FunctionSamples: Sendable {
    public var xs: [Double]
    public var values: [Double]
    public var derivatives: [Double]
    /// Where a kink lies: between two samples whose kink pattern differs, or at a sample that
    /// sits exactly on one.
    public var kinks: [Double]
    /// f at each kink.
    public var kinkValues: [Double]
    /// Samples where f or f′ is NaN or infinite (f′ is NaN wherever f is).
    public var undefined: [Double]

    /// Samples value slot `slot` (an element of an input or param) at `count` ≥ 2 points from
    /// `from` to `to`, the other leaves held at their values.
    public init(_ tape: Tape, slot: Int, from: Double, to: Double, count: Int) {
        let n = Swift.max(2, count)
        var probe = Probe(tape)
        // from·(1 − t) + to·t, not from + (to − from)·t: the width of -1e308…1e308 overflows.
        xs = (0..<n).map { k in
            let t = Double(k) / Double(n - 1)
            return k == n - 1 ? to : from * (1 - t) + to * t
        }
        var values: [Double] = [], derivatives: [Double] = [], patterns: [[Int8]] = []
        kinks = []
        undefined = []
        for x in xs {
            let f = probe.output(moving: slot, to: x)
            values.append(f)
            // Where f itself is undefined so is f′, whatever the local partials multiply to.
            derivatives.append(f.isFinite ? tape.adjoints(values: probe.scratch)[slot] : .nan)
            let pattern = probe.kinkPattern(probe.scratch)
            if pattern.contains(0) { kinks.append(x) }
            patterns.append(pattern)
            if !values.last!.isFinite || !derivatives.last!.isFinite { undefined.append(x) }
        }
        for i in 1..<n where patterns[i] != patterns[i - 1]
            && !patterns[i].contains(0) && !patterns[i - 1].contains(0) {
            // Bisect to where the pattern changes.
            var lo = xs[i - 1], hi = xs[i]
            for _ in 0..<40 {
                let mid = (lo + hi) / 2
                _ = probe.output(moving: slot, to: mid)
                if probe.kinkPattern(probe.scratch) == patterns[i - 1] { lo = mid } else { hi = mid }
            }
            kinks.append((lo + hi) / 2)
        }
        kinks.sort()
        kinkValues = kinks.map { probe.output(moving: slot, to: $0) }
        self.values = values
        self.derivatives = derivatives
    }
}
