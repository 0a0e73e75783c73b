/// One row of the Wengert list: an op, its operands (tape indices) and where its value lives.
///
/// Plain data, 32 bytes: with a scalar's value and adjoint (8 bytes each) a scalar node costs
/// 48 bytes while it is being differentiated. The shape is stored as `Shape` stores it: the
/// row-major 2-D view `rows × cols` and the leading extents of rank 3 and 4 (at most 65,535
/// each, see `Limits.maximumLeadingExtent`); a convolution or pooling entry also carries its
/// `Window` (kernel, stride, padding), so every kernel reads all it needs from the entry.
public struct TapeEntry: Hashable, Sendable {
    public var op: Op
    public var rank: UInt8
    /// `Flags` bits, precomputed so the evaluators' inner loops test one byte.
    public var flags: UInt8
    /// Kernel size, stride and padding of a convolution or pooling op; `Window.none` elsewhere.
    public var window: Window = .none
    /// First operand's tape index; -1 for leaves.
    public var a: Int32
    /// Second operand's tape index. Unary ops repeat `a` here so loops never read out of
    /// bounds; leaves keep the start of their data in `Tape.leafData`.
    public var b: Int32
    /// Start of this node's slice in the value, tangent and adjoint buffers.
    public var offset: Int32
    public var rows: Int32
    public var cols: Int32
    /// N of a rank-4 value (see `Shape.lead0`).
    public var lead0: UInt16 = 1
    /// C of a rank-3 or rank-4 value (see `Shape.lead1`).
    public var lead1: UInt16 = 1

    public var shape: Shape { Shape(rank: rank, rows: rows, cols: cols, lead0: Int32(lead0), lead1: Int32(lead1)) }
    @inlinable public var count: Int { Int(rows) * Int(cols) }

    /// The operand tape indices, in order.
    public var operands: [Int] {
        let arity = op.arity
        return arity == 0 ? [] : arity == 1 ? [Int(a)] : [Int(a), Int(b)]
    }

    public enum Flags {
        /// Elementwise op whose result and operands are all scalars: the fast path.
        public static let scalar: UInt8 = 1
        /// Has a second operand.
        public static let binary: UInt8 = 2
        /// The first (second) operand needs a gradient: an input or param reaches it. The
        /// reverse sweep computes an adjoint only for such operands, so a constant, and a
        /// node only constants reach, costs nothing there.
        public static let firstNeedsGradient: UInt8 = 4
        public static let secondNeedsGradient: UInt8 = 8
        /// Either operand needs a gradient, so the node itself does.
        public static let needsGradient: UInt8 = firstNeedsGradient | secondNeedsGradient
    }
}

/// The tape: a topologically ordered array of entries (operands before results), the data of
/// its leaves, and the names the user gave. Built once per graph structure by `TapeBuilder`;
/// every evaluator (`forward`, `tangents`, `adjoints`, incremental `recompute`) reuses it.
///
/// Node ids are tape indices, so everything derived from a tape (trace tables, DOT) is
/// deterministic. Leaves come first: inputs and params (v₋ₙ … v₀), then constants, then the
/// computed nodes v₁ … in order of depth.
public struct Tape: Sendable {
    public internal(set) var entries: [TapeEntry]
    /// Leaf values, concatenated; a leaf entry's `b` is the start of its slice here.
    public internal(set) var leafData: [Double]
    /// Total scalars in a value buffer.
    public internal(set) var valueCount: Int
    /// The node that is differentiated.
    public var output: Int
    /// The user's name of each node, if it has one.
    public internal(set) var names: [String?]
    /// Index of the first computed (non-leaf) entry.
    public internal(set) var firstComputed: Int
    /// True when every node is a scalar and every op elementwise, so value offsets equal tape
    /// indices and the evaluators take their fast path.
    public internal(set) var isAllScalar: Bool
    /// True for a tape built for its shapes only (`TapeBuilder.shapesOnly`): its leaves hold
    /// no numbers, and it must not be evaluated.
    public internal(set) var isShapesOnly = false
    /// The formula each folded constant replaced (`sqrt 4` for the constant 2 of `sqrt(4)`),
    /// by tape index: see `TapeBuilder.foldsConstants`.
    public internal(set) var foldedFormulas: [Int: String] = [:]

    public var count: Int { entries.count }
    public subscript(i: Int) -> TapeEntry { entries[i] }

    /// Inputs and params: the leaves a gradient is reported for, in declaration order.
    public var differentiableLeaves: [Int] {
        (0..<firstComputed).filter { entries[$0].op == .input || entries[$0].op == .param }
    }

    /// Whether node `i` needs a gradient: it is an input or param, or one reaches it. The
    /// reverse sweep computes adjoints for these nodes only (a constant, and a node only
    /// constants reach, keeps an adjoint of 0: nothing asks for it).
    public func needsGradient(_ i: Int) -> Bool {
        let e = entries[i]
        return e.op == .input || e.op == .param || e.op.kind != .leaf && e.flags & TapeEntry.Flags.needsGradient != 0
    }

    /// The nodes whose adjoints a reverse sweep computes: those that need a gradient and lead
    /// to the output (the output included when it needs one), in tape order.
    public var gradientNodes: [Int] {
        let live = leadsToOutput
        return (0..<count).filter { live[$0] && needsGradient($0) }
    }

    /// Whether each node has a path to the output (the output itself included): the nodes
    /// backpropagation has anything to say about.
    public var leadsToOutput: [Bool] {
        var live = [Bool](repeating: false, count: count)
        guard count > 0 else { return live }
        live[output] = true
        for i in stride(from: output, through: 0, by: -1) where live[i] && entries[i].op.kind != .leaf {
            for operand in entries[i].operands { live[operand] = true }
        }
        return live
    }

    /// Sets the `needsGradient` bits of every computed entry, in one pass down the tape
    /// (operands come before their consumers).
    mutating func markGradientPaths() {
        for i in firstComputed ..< count {
            let e = entries[i]
            var flags = e.flags & ~TapeEntry.Flags.needsGradient
            if needsGradient(Int(e.a)) { flags |= TapeEntry.Flags.firstNeedsGradient }
            if e.op.arity == 2 && needsGradient(Int(e.b)) { flags |= TapeEntry.Flags.secondNeedsGradient }
            entries[i].flags = flags
        }
    }

    /// The stored value of leaf `i`.
    public func leafValues(_ i: Int) -> ArraySlice<Double> {
        let e = entries[i]
        return leafData[Int(e.b) ..< Int(e.b) + e.count]
    }

    /// Replaces the stored value of leaf `i` (its shape must not change). Used to move the
    /// point a tape is evaluated at without rebuilding it.
    public mutating func setLeafValues(_ i: Int, _ values: [Double]) {
        let e = entries[i]
        precondition(e.op.kind == .leaf && values.count == e.count, "leaf shape changed")
        leafData.replaceSubrange(Int(e.b) ..< Int(e.b) + e.count, with: values)
    }

    /// Memory the tape itself holds per node: entries plus leaf data (names excluded).
    public var bytesPerNode: Double {
        guard count > 0 else { return 0 }
        let bytes = entries.count * MemoryLayout<TapeEntry>.stride + leafData.count * 8
        return Double(bytes) / Double(count)
    }
}
