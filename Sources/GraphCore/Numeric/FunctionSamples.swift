/// f and f′ sampled over an interval of one input element, for plots: the output's value and
/// its derivative by reverse mode at evenly spaced points, with the kinks found between them
/// and the points where f or f′ is undefined (NaN or ±∞).
///
/// A kink is marked only where it can change the derivative (the `Explanation`'s rule): at a
/// sample that sits on one, when the output's one-sided derivatives differ there; between two
/// samples whose pattern of relu, abs, step and max sides differs, where bisection finds the
/// change, when f′ (or f itself) differs on its two sides. So `x + relu(0*x)` has none, a
/// `where` has one where its condition flips (if the branches' slopes differ there), and
/// relu(x) one at 0.
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
        var direction = [Double](repeating: 0, count: tape.valueCount)
        direction[slot] = 1
        for x in xs {
            let f = probe.output(moving: slot, to: x)
            values.append(f)
            let adjoints = tape.adjoints(values: probe.scratch)
            // Where f itself is undefined so is f′, whatever the local partials multiply to.
            derivatives.append(f.isFinite ? adjoints[slot] : .nan)
            let pattern = probe.kinkPattern(probe.scratch)
            if pattern.contains(0) {
                let candidates = Explanation.candidateKinks(tape, probe.scratch)
                let tangents = tape.tangents(values: probe.scratch, seed: direction)
                if !Explanation.kinksThatMatter(tape, probe.scratch, candidates, adjoints: adjoints, tangents: tangents).isEmpty {
                    kinks.append(x)
                }
            }
            patterns.append(pattern)
            if !values.last!.isFinite || !derivatives.last!.isFinite { undefined.append(x) }
        }
        for i in 1..<n where patterns[i] != patterns[i - 1] {
            // Bisect to where the pattern changes, then ask whether f′ (or f) differs across it.
            var lo = xs[i - 1], hi = xs[i]
            for _ in 0..<40 {
                let mid = (lo + hi) / 2
                _ = probe.output(moving: slot, to: mid)
                if probe.kinkPattern(probe.scratch) == patterns[i - 1] { lo = mid } else { hi = mid }
            }
            if Self.differs(tape, &probe, slot, lo, hi) { kinks.append((lo + hi) / 2) }
        }
        kinks.sort()
        // A sample on a kink and the bisection next to it find the same one.
        let close = 1e-9 * Swift.max(Swift.abs(to - from), Double.leastNormalMagnitude)
        let sorted = kinks
        kinks = sorted.enumerated().filter { k, x in k == 0 || x - sorted[k - 1] > close }
            .map { Swift.abs($0.element) <= close ? 0 : $0.element }
        kinkValues = kinks.map { probe.output(moving: slot, to: $0) }
        self.values = values
        self.derivatives = derivatives
    }

    /// The values of scalar `nodes` with value slot `slot` moved to each of `xs` (the other
    /// leaves held at their values): more curves over the same axis (`plot --of`).
    public static func values(of nodes: [Int], _ tape: Tape, slot: Int, at xs: [Double]) -> [[Double]] {
        var probe = Probe(tape)
        var out = nodes.map { _ in [Double]() }
        for x in xs {
            _ = probe.output(moving: slot, to: x)
            for (k, node) in nodes.enumerated() { out[k].append(probe.scratch[Int(tape.entries[node].offset)]) }
        }
        return out
    }

    /// Whether the output's value or derivative differs between two points a rounding error
    /// apart (either side of a pattern change): a kink or a jump, not a smooth crossing.
    static func differs(_ tape: Tape, _ probe: inout Probe, _ slot: Int, _ lo: Double, _ hi: Double) -> Bool {
        let fl = probe.output(moving: slot, to: lo), dl = tape.adjoints(values: probe.scratch)[slot]
        let fh = probe.output(moving: slot, to: hi), dh = tape.adjoints(values: probe.scratch)[slot]
        guard fl.isFinite, fh.isFinite, dl.isFinite, dh.isFinite else { return true }
        let tolerance = 1e-7
        let slopeJump = Swift.abs(dh - dl) > tolerance * Swift.max(1, Swift.abs(dl), Swift.abs(dh))
        let valueJump = Swift.abs(fh - fl) > tolerance * Swift.max(1, Swift.abs(fl)) + Swift.max(Swift.abs(dl), Swift.abs(dh)) * (hi - lo) * 2
        return slopeJump || valueJump
    }
}
