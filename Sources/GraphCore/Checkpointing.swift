/// Checkpointing: the reverse sweep run while holding only some of the forward values, the
/// others recomputed from the nearest held ones when the sweep needs them (Griewank and
/// Walther, "Evaluating Derivatives", ch. 12; `torch.utils.checkpoint`). Memory is traded for
/// forward evaluations: on a chain of n nodes, a checkpoint every K nodes holds about n/K + K
/// values instead of n, and evaluates each node at most twice.
///
/// The scheme, on the computed nodes v₁ … vₙ up to the output (in tape order):
/// - The forward pass evaluates every node once. It keeps the checkpoints (every K-th node,
///   and the output) and drops any other value after its last consumer has read it. Inputs,
///   params and constants are always held, by the plain tape too, so they are not counted.
/// - The reverse sweep takes the segments v₁…v_K, v_{K+1}…v_{2K}, … from the last to the
///   first. Before the first step of a segment it recomputes, in tape order, every value the
///   segment's steps read (each visited node and its operands) that is not held, together
///   with the values those need; then it runs the segment's steps with the same kernels as
///   the plain sweep, and drops what it recomputed and the segment's own checkpoints.
///
/// The sweep really runs that way: a dropped value is overwritten with NaN, so a step that
/// read one would spoil the gradient. Visiting the same nodes in the same order on the same
/// values, it gives the plain sweep's gradients bit for bit.
public struct CheckpointedSweep: Sendable {
    /// Memory and work of one way of running the forward pass and the reverse sweep.
    public struct Cost: Sendable, Equatable {
        /// Computed values held at the same time, at most.
        public var heldAtMost: Int
        /// The same counted in numbers (a tensor holds all its elements).
        public var elementsHeldAtMost: Int
        /// Forward evaluations of computed nodes: the first pass plus every recomputation.
        public var evaluations: Int

        public init(heldAtMost: Int, elementsHeldAtMost: Int, evaluations: Int) {
            self.heldAtMost = heldAtMost
            self.elementsHeldAtMost = elementsHeldAtMost
            self.evaluations = evaluations
        }
    }

    /// K: a checkpoint every K computed nodes.
    public let every: Int
    /// The checkpoints, in tape order (the output is always one).
    public let checkpoints: [Int]
    /// The computed nodes the sweep covers: those up to the output.
    public let computed: Int
    public let plain: Cost
    public let checkpointed: Cost
    /// The values recomputed just before the step that visits a node, keyed by that node (the
    /// first node of its segment the sweep visits), in tape order.
    public let recomputedBefore: [Int: [Int]]
    /// Every node's adjoint, as `Tape.adjoints` gives it.
    public let adjoints: [Double]

    /// Evaluations beyond the first forward pass.
    public var recomputations: Int { checkpointed.evaluations - plain.evaluations }
}

extension Tape {
    /// The computed nodes a reverse sweep of the output covers (those up to the output).
    public var sweptComputedCount: Int { output >= firstComputed ? output - firstComputed + 1 : 0 }

    /// The reverse sweep with a checkpoint every `every` computed nodes (1 keeps every value,
    /// as the plain tape does), seeded with `outputSeed` (the output's elements).
    public func checkpointedSweep(every k: Int, outputSeed: [Double]) -> CheckpointedSweep {
        precondition(k >= 1, "a checkpoint every K ≥ 1 nodes")
        let first = firstComputed, n = sweptComputedCount
        let last = first + n - 1
        func isCheckpoint(_ i: Int) -> Bool { i == output || (i - first + 1) % k == 0 }

        var v = [Double](repeating: .nan, count: valueCount)
        loadLeaves(into: &v)
        var held = [Bool](repeating: false, count: count)
        var heldCount = 0, heldElements = 0, peak = 0, peakElements = 0, evaluations = 0
        func evaluate(_ i: Int) {
            forward(&v, range: i ..< i + 1)
            evaluations += 1
            held[i] = true
            heldCount += 1
            heldElements += entries[i].count
            peak = max(peak, heldCount)
            peakElements = max(peakElements, heldElements)
        }
        func drop(_ i: Int) {
            guard held[i] else { return }
            held[i] = false
            heldCount -= 1
            heldElements -= entries[i].count
            let e = entries[i]
            for j in Int(e.offset) ..< Int(e.offset) + e.count { v[j] = .nan }
        }

        // Forward: each value not kept lives until its last consumer has read it.
        var lastUse = [Int](repeating: -1, count: count)
        if n > 0 { for i in first ... last { for o in entries[i].operands { lastUse[o] = i } } }
        if n > 0 {
            for i in first ... last {
                evaluate(i)
                for o in Set(entries[i].operands) where o >= first && !isCheckpoint(o) && lastUse[o] == i { drop(o) }
                if !isCheckpoint(i) && lastUse[i] < 0 { drop(i) }
            }
        }

        // Reverse, segment by segment from the last.
        var g = [Double](repeating: 0, count: valueCount)
        if count > 0 {
            let out = entries[output]
            for k in 0 ..< out.count { g[Int(out.offset) + k] = outputSeed[k] }
        }
        let live = leadsToOutput
        var recomputedBefore: [Int: [Int]] = [:]
        for start in stride(from: first, through: last, by: k).reversed() {
            let segment = start ... min(start + k - 1, last)
            let visited = segment.reversed().filter { live[$0] && needsGradient($0) }
            var missing: [Int] = []
            var wanted = Set<Int>()
            var stack = visited.flatMap { [$0] + entries[$0].operands }
            while let j = stack.popLast() {
                if held[j] || j < first || wanted.contains(j) { continue }
                wanted.insert(j)
                stack += entries[j].operands
            }
            missing = wanted.sorted()
            for j in missing { evaluate(j) }
            if let top = visited.first, !missing.isEmpty { recomputedBefore[top] = missing }
            for i in visited { backpropagate(values: v, into: &g, from: i, downTo: i) }
            for j in missing { drop(j) }
            for j in segment where isCheckpoint(j) { drop(j) }
        }

        let plainElements = n > 0 ? (first ... last).reduce(0) { $0 + entries[$1].count } : 0
        return CheckpointedSweep(
            every: k, checkpoints: n > 0 ? (first ... last).filter(isCheckpoint) : [], computed: n,
            plain: .init(heldAtMost: n, elementsHeldAtMost: plainElements, evaluations: n),
            checkpointed: .init(heldAtMost: peak, elementsHeldAtMost: peakElements, evaluations: evaluations),
            recomputedBefore: recomputedBefore, adjoints: g)
    }
}
