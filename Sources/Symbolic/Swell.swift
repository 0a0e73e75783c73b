import GraphCore

/// Expression swell: how big a symbolic derivative is, written out as a tree and with shared
/// subexpressions merged, against the length of the tape that AD records for the same
/// function.
///
/// For f(x) = x·sin(x) the tape of f∘f∘…∘f grows by the same few nodes per composition,
/// the derivative's DAG grows about as fast, but the derivative written out as one
/// expression (the tree) multiplies with every composition: the product rule copies each
/// factor into two terms. That gap is why AD keeps a tape and does not build expressions.
public struct Swell: Hashable, Sendable {
    /// How many times f is composed with itself: 1 for f, 2 for f(f(x)), …
    public var compositions: Int
    public var tapeNodes: Int
    public var treeNodes: Int
    public var dagNodes: Int

    public init(compositions: Int, tapeNodes: Int, treeNodes: Int, dagNodes: Int) {
        self.compositions = compositions
        self.tapeNodes = tapeNodes
        self.treeNodes = treeNodes
        self.dagNodes = dagNodes
    }

    /// The swell of `derivative`, a derivative of `function` (f composed `compositions` times).
    public init(_ function: SymbolicFunction, derivative: Term, compositions: Int = 1) {
        self.init(compositions: compositions, tapeNodes: function.tapeNodes,
                  treeNodes: function.terms.treeSize(derivative), dagNodes: function.terms.dagSize(derivative))
    }

    /// The swell of ∂f/∂`name` for f itself and, when f has a single scalar input, for
    /// f∘f, … up to `compositions` copies (fewer rows when f cannot be composed). Rows start
    /// at `first` copies, so a caller that has measured f already can skip it.
    public static func table(for tape: Tape, wrt name: String, compositions: Int, from first: Int = 1) throws(SymbolicError) -> [Swell] {
        var rows: [Swell] = []
        for k in max(1, first)..<(max(1, compositions) + 1) {
            guard let composed = k == 1 ? tape : tape.composed(k) else { break }
            var f = try SymbolicFunction(tape: composed)
            let d = f.derivative(wrt: name)
            rows.append(Swell(f, derivative: d, compositions: k))
        }
        return rows
    }
}

extension Tape {
    /// f(f(…f(x)…)) with `n` copies of this tape's function, as one tape, recorded the way the
    /// composed expression would be: each copy's nodes and constants again, the input of
    /// each copy being the previous copy's output. Nil unless the tape has exactly one input
    /// or param and it has the output's shape.
    public func composed(_ n: Int) -> Tape? {
        let leaves = differentiableLeaves
        guard n >= 1, leaves.count == 1, entries[leaves[0]].shape == entries[output].shape else { return nil }
        let x = leaves[0]
        var builder = TapeBuilder()
        builder.reserveCapacity(n * count)
        var previous = builder.leaf(entries[x].op, entries[x].shape, Array(leafValues(x)), name: names[x])
        for _ in 0..<n {
            var copy = [NodeID](repeating: previous, count: count)
            for i in 0..<count where i != x {
                let e = entries[i]
                if e.op.kind == .leaf {
                    copy[i] = builder.leaf(e.op, e.shape, Array(leafValues(i)), name: names[i])
                } else {
                    do {
                        copy[i] = try builder.apply(e.op, copy[Int(e.a)], e.op.arity == 2 ? copy[Int(e.b)] : nil, name: names[i])
                    } catch {
                        return nil
                    }
                }
            }
            previous = copy[output]
        }
        return builder.finish(output: previous).tape
    }
}
