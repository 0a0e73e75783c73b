/// A tape evaluated at one point, kept up to date as inputs change.
///
/// The tape is built once; `set` moves a leaf and recomputes only the nodes downstream of it
/// (its dirty cone), in tape order, and says how many that was. Gradients reuse these cached
/// primal values; the forward pass is never re-run for them.
public struct Evaluation: Sendable {
    public private(set) var tape: Tape
    /// The primal value buffer (`tape.entries[i].offset` locates node i's slice).
    public private(set) var values: [Double]
    /// Nodes recomputed by the last `set` or `evaluateAll`.
    public private(set) var lastRecomputed = 0
    private var consumers: Consumers?
    private var dirty: [Bool] = []

    public init(_ tape: Tape) {
        self.tape = tape
        values = tape.evaluate()
        lastRecomputed = tape.count - tape.firstComputed
    }

    /// Node `i`'s primal value (row-major).
    public func value(_ i: Int) -> ArraySlice<Double> {
        let e = tape.entries[i]
        return values[Int(e.offset) ..< Int(e.offset) + e.count]
    }

    /// Gives the leaves new values and recomputes their downstream cone.
    /// - Returns: how many computed nodes were re-evaluated.
    @discardableResult
    public mutating func set(_ changes: [(leaf: Int, values: [Double])]) -> Int {
        if consumers == nil {
            consumers = Consumers(tape)
            dirty = [Bool](repeating: false, count: tape.count)
        }
        var heap = IndexHeap()
        for (leaf, new) in changes {
            tape.setLeafValues(leaf, new)
            let o = Int(tape.entries[leaf].offset)
            for k in new.indices { values[o + k] = new[k] }
            for c in consumers![leaf] where !dirty[Int(c)] {
                dirty[Int(c)] = true
                heap.push(c)
            }
        }
        // Popping the smallest index first visits the cone in tape order, so every operand is
        // up to date before its consumers are recomputed.
        var recomputed = 0
        while let i = heap.pop() {
            let n = Int(i)
            dirty[n] = false
            tape.forward(&values, range: n ..< n + 1)
            recomputed += 1
            for c in consumers![n] where !dirty[Int(c)] {
                dirty[Int(c)] = true
                heap.push(c)
            }
        }
        lastRecomputed = recomputed
        return recomputed
    }

    /// Changes the node that is differentiated (no recomputation needed).
    public mutating func setOutput(_ node: Int) { tape.output = node }

    /// Reverse mode at the current point: the adjoint of every node.
    public func adjoints(seed: Double = 1) -> [Double] { tape.adjoints(values: values, seed: seed) }

    /// Forward mode at the current point, seeded on one leaf (or along `direction`).
    public func tangents(seedLeaf: Int, direction: [Double]? = nil) -> [Double] {
        tape.tangents(values: values, seed: tape.tangentSeed(leaf: seedLeaf, direction: direction))
    }
}

/// A binary min-heap of tape indices.
struct IndexHeap {
    private var items: [Int32] = []

    mutating func push(_ x: Int32) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> Int32? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
