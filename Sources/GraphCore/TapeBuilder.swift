/// A node being built, before the tape is ordered.
public struct NodeID: Hashable, Sendable {
    public let raw: Int
    /// The node `raw` of a builder, for a caller that keeps node numbers in compact arrays.
    public init(raw: Int) { self.raw = raw }
}

/// Why an op cannot take operands of these shapes; `description` names both shapes.
public struct ShapeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
}

/// Builds a `Tape`: leaves and ops are added in any valid order (operands first), then
/// `finish` orders them the way Baydin et al. number a trace: inputs and params, constants,
/// then computed nodes by depth (ties in the order they were added).
///
/// ```swift
/// var b = TapeBuilder()
/// let x = b.leaf(.input, .scalar, [2], name: "x")
/// let y = try b.apply(.sin, [x], name: "y")
/// let tape = b.finish(output: y)
/// ```
public struct TapeBuilder: Sendable {
    /// 64 bytes: the fields are in the order that packs them (Swift lays them out as
    /// declared), and the rare formula of a folded constant is kept aside (`foldedFormulas`).
    /// A loaded file holds one per node until the tape is laid out (issue 23).
    struct Node: Sendable {
        var op: Op
        var window: Window = .none
        /// A constant whose numbers the caller may replace after building (a data table).
        var swappable = false
        /// A node the caller refers to: kept even when a fold leaves it unused.
        var kept = false
        var a: Int32 = -1, b: Int32 = -1
        var shape: Shape
        var depth: Int32 = 0
        /// The last fold that read this constant, or −1.
        var absorbedBy: Int32 = -1
        /// A leaf's first number in `leafData` (−1 when it keeps none); within the
        /// shapes-only limit of 2·10⁹ values.
        var leafStart: Int32 = 0
        var name: String?

        init(op: Op, a: Int32 = -1, b: Int32 = -1, shape: Shape, leafStart: Int = 0, depth: Int32 = 0, name: String? = nil,
             window: Window = .none) {
            (self.op, self.a, self.b, self.shape, self.leafStart) = (op, a, b, shape, Int32(leafStart))
            (self.depth, self.name, self.window) = (depth, name, window)
        }
    }
    var nodes: [Node] = []
    /// The formula each constant made by folding replaced (`sqrt 4`), by node.
    private var foldedFormulas: [Int: String] = [:]
    var leafData: [Double] = []
    /// The values every node added so far holds: the length of the tape's value buffer.
    public private(set) var valueCount = 0

    /// Builds the structure and shapes only: initialised leaves keep no numbers (their `b` is
    /// −1) and the size limits are `Limits.maximumShapeOnly…`, so `gradstep info` can describe
    /// a network too large to evaluate (a full-size VGG11). Such a tape (`Tape.isShapesOnly`)
    /// cannot be evaluated.
    public var shapesOnly = false

    /// Whether an op whose operands are all constants (`sqrt(4)`, `0.5*0.001`) becomes one
    /// constant holding its value instead of a computed node: it has no adjoint to take, so
    /// it is no step of a sweep. The lowering turns this on; rewrites of a finished tape
    /// (the neuron view) keep their node-for-node shape with it off.
    public var foldsConstants = false
    private var foldCount = 0

    public init() {}

    public var count: Int { nodes.count }

    /// Throws when a node of `shape` would pass `Limits.maximumTensorElements` or take the
    /// graph past `Limits.maximumGraphValues`. `apply` checks its result this way before
    /// adding anything; call it before `leaf` with a shape that comes from user input.
    public func checkSize(of shape: Shape) throws(ShapeError) {
        let elements = shape.count
        if shape.lead0 > Limits.maximumLeadingExtent || shape.lead1 > Limits.maximumLeadingExtent {
            throw ShapeError(description: "a \(shape) tensor has a leading extent over \(Limits.grouped(Limits.maximumLeadingExtent)), "
                + "the most a tensor of rank 3 or 4 may have in N and C")
        }
        let perTensor = shapesOnly ? Limits.maximumShapeOnlyTensorElements : Limits.maximumTensorElements
        let perGraph = shapesOnly ? Limits.maximumShapeOnlyGraphValues : Limits.maximumGraphValues
        if elements > perTensor {
            throw ShapeError(description: "a \(shape) tensor would have \(Limits.grouped(elements)) elements; "
                + "a tensor may have at most \(Limits.grouped(perTensor)) "
                + "(\(Limits.describe(bytes: perTensor * 8)))")
        }
        if valueCount + elements > perGraph {
            throw ShapeError(description: "the graph would hold \(Limits.grouped(valueCount + elements)) values; "
                + "a graph may hold at most \(Limits.grouped(perGraph)) "
                + "(\(Limits.describe(bytes: perGraph * 8)))")
        }
    }

    /// Makes room for `nodes` nodes, so a builder of known size does not grow step by step.
    public mutating func reserveCapacity(_ nodes: Int) {
        self.nodes.reserveCapacity(nodes)
    }
    public func shape(of node: NodeID) -> Shape { nodes[node.raw].shape }
    public func op(of node: NodeID) -> Op { nodes[node.raw].op }
    /// A node's window: a convolution's or pool's geometry, an axis op's axis and start.
    public func window(of node: NodeID) -> Window { nodes[node.raw].window }
    /// The name given to a node so far, if any.
    public func name(of node: NodeID) -> String? { nodes[node.raw].name }
    /// A leaf's numbers, or nil for a computed node or a leaf read for its shape only: what
    /// the language checks an index tensor's positions against before any evaluation.
    public func leafValues(of node: NodeID) -> ArraySlice<Double>? {
        let n = nodes[node.raw]
        guard n.op.kind == .leaf, n.leafStart >= 0 else { return nil }
        return leafData[Int(n.leafStart) ..< Int(n.leafStart) + n.shape.count]
    }

    /// Adds an input, param or constant holding `values` (row-major, `shape.count` of them).
    public mutating func leaf(_ op: Op, _ shape: Shape, _ values: [Double], name: String? = nil) -> NodeID {
        precondition(op.kind == .leaf && (values.count == shape.count || shapesOnly && values.isEmpty))
        // Read for its shapes only, a leaf may come without numbers (an initialiser's): it keeps
        // none (start −1). Numbers that were given (a literal, a layer's constant) are kept.
        let hasValues = values.count == shape.count
        nodes.append(Node(op: op, shape: shape, leafStart: hasValues ? leafData.count : -1, name: name))
        leafData.append(contentsOf: values)
        valueCount += shape.count
        return NodeID(raw: nodes.count - 1)
    }

    /// Adds `op` applied to `operands`, checking shapes.
    public mutating func apply(_ op: Op, _ operands: [NodeID], name: String? = nil) throws(ShapeError) -> NodeID {
        precondition(op.kind != .leaf && operands.count == op.arity)
        let shape = try op.resultShape(operands.map { nodes[$0.raw].shape })
        try checkSize(of: shape)
        if !shapesOnly {
            try WindowGeometry.checkWork(op, x: nodes[operands[0].raw].shape,
                                         weight: operands.count > 1 ? nodes[operands[1].raw].shape : nil, window: .none)
        }
        let a = operands[0].raw, b = operands.count > 1 ? operands[1].raw : a
        if let node = fold(op, a, operands.count > 1 ? b : nil, shape: shape, window: .none, name: name) { return node }
        let depth = Swift.max(nodes[a].depth, nodes[b].depth) + 1
        nodes.append(Node(op: op, a: Int32(a), b: Int32(b), shape: shape, depth: depth, name: name))
        valueCount += shape.count
        return NodeID(raw: nodes.count - 1)
    }

    /// Adds `op` applied to one operand (`b` nil) or two, checking shapes, without building
    /// an operand array: the same node and the same errors as `apply(op, [a, b])`. A
    /// convolution or pooling op takes its kernel size, stride and padding from `window`.
    public mutating func apply(_ op: Op, _ a: NodeID, _ b: NodeID? = nil, window: Window = .none,
                               name: String? = nil) throws(ShapeError) -> NodeID {
        precondition(op.kind != .leaf && (b == nil ? 1 : 2) == op.arity)
        let sa = nodes[a.raw].shape
        let shape: Shape
        switch op.kind {
        case .unary: shape = sa
        case .binary:
            // Equal shapes (two scalars, most of a large file) broadcast to themselves: said
            // here, the op's name (a `String`) is made only for a broadcast that may fail.
            let sb = nodes[b!.raw].shape
            shape = sa == sb ? sa : try Op.broadcast(sa, sb, what: op.name)
        case .tensor, .leaf: shape = try op.resultShape(b.map { [sa, nodes[$0.raw].shape] } ?? [sa], window: window)
        }
        try checkSize(of: shape)
        if !shapesOnly && op.kind == .tensor {
            try WindowGeometry.checkWork(op, x: sa, weight: b.map { nodes[$0.raw].shape }, window: window)
        }
        if let node = fold(op, a.raw, b?.raw, shape: shape, window: window, name: name) { return node }
        let bRaw = b?.raw ?? a.raw
        let depth = Swift.max(nodes[a.raw].depth, nodes[bRaw].depth) + 1
        nodes.append(Node(op: op, a: Int32(a.raw), b: Int32(bRaw), shape: shape, depth: depth, name: name, window: window))
        valueCount += shape.count
        return NodeID(raw: nodes.count - 1)
    }

    /// Adds `reshape(x)` to `shape`: the same elements in the same (row-major) order, as
    /// NumPy's and PyTorch's `reshape`.
    public mutating func reshape(_ x: NodeID, to shape: Shape, name: String? = nil) throws(ShapeError) -> NodeID {
        let from = nodes[x.raw].shape
        guard from.count == shape.count else {
            throw ShapeError(description: "cannot reshape \(from) (\(from.count) elements) to \(shape) (\(shape.count))")
        }
        return try apply(.reshape, x, window: .none, shape: shape, name: name)
    }

    /// Adds an op whose result's shape its operands and window do not fix alone: `reshape`
    /// (any shape of as many elements) and the axis ops (a slice's extent, the sum's kept
    /// axis; `AxisOp.accepts` checks `shape`).
    public mutating func apply(_ op: Op, _ a: NodeID, _ b: NodeID? = nil, window: Window, shape: Shape,
                               name: String? = nil) throws(ShapeError) -> NodeID {
        let operands = [nodes[a.raw].shape] + (b.map { [nodes[$0.raw].shape] } ?? [])
        switch op {
        case .reshape: precondition(operands[0].count == shape.count && b == nil, "a reshape keeps its elements")
        case .along(let f):
            precondition(f.arity == operands.count && f.accepts(operands, result: shape, window: window),
                         "\(f.name) cannot give \(shape) from \(operands)")
        case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
             .neg, .unary, .stopGradient, .matmul, .sum, .mean, .transpose, .softmax, .crossEntropy, .mse,
             .logsumexp, .logSoftmax, .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .batchNorm, .layerNorm,
             .dropout, .gather:
            preconditionFailure("\(op.name) gives its own shape: use apply(_:_:_:window:name:)")
        }
        try checkSize(of: shape)
        if let node = fold(op, a.raw, b?.raw, shape: shape, window: window, name: name) { return node }
        let bRaw = b?.raw ?? a.raw
        nodes.append(Node(op: op, a: Int32(a.raw), b: Int32(bRaw), shape: shape,
                          depth: Swift.max(nodes[a.raw].depth, nodes[bRaw].depth) + 1, name: name, window: window))
        valueCount += shape.count
        return NodeID(raw: nodes.count - 1)
    }

    /// Whether `op` takes its result's shape from the caller (`apply(_:_:_:window:shape:)`).
    static func isShapeGiven(_ op: Op) -> Bool {
        if case .along = op { return true }
        return op == .reshape
    }

    /// Names a node (the last name given wins).
    public mutating func setName(_ node: NodeID, _ name: String) { nodes[node.raw].name = name }

    /// Whether `node` is a constant made by folding an op of constants.
    public func isFolded(_ node: NodeID) -> Bool { foldCount > 0 && foldedFormulas[node.raw] != nil }

    /// Marks a constant whose numbers are replaced after the tape is built (a data table
    /// swapped for a mini-batch or held-out rows): nothing computed from it is folded.
    public mutating func markSwappable(_ node: NodeID) { nodes[node.raw].swappable = true }

    /// Keeps `node` in the finished tape though a fold leaves it unused (a name refers to it).
    public mutating func keep(_ node: NodeID) { nodes[node.raw].kept = true }

    // MARK: - Folding constants

    /// A constant with its numbers, which the caller will not replace.
    private func isFoldable(_ k: Int) -> Bool {
        nodes[k].op == .constant && nodes[k].leafStart >= 0 && !nodes[k].swappable
    }

    /// `op` of the constants `a` and `b` as one constant, when folding is on and both are
    /// foldable; nil otherwise. The value comes from the op's own kernel (a one-op tape), so a
    /// folded constant holds exactly what the computed node would have. A shapes-only build
    /// (`gradstep info`) folds its literals too, so it lists the nodes every other command
    /// has; the one-op builder checks the evaluating limits (size, a window's work), and a
    /// fold past them is left a computed node.
    private mutating func fold(_ op: Op, _ a: Int, _ b: Int?, shape: Shape, window: Window, name: String?) -> NodeID? {
        guard foldsConstants, isFoldable(a), b.map(isFoldable) ?? true else { return nil }
        var single = TapeBuilder()
        func operand(_ k: Int) -> NodeID {
            single.leaf(.constant, nodes[k].shape, Array(leafData[Int(nodes[k].leafStart) ..< Int(nodes[k].leafStart) + nodes[k].shape.count]),
                        name: nodes[k].name)
        }
        let x = operand(a), y = b.map(operand)
        let result: NodeID
        do {
            result = TapeBuilder.isShapeGiven(op) ? try single.apply(op, x, y, window: window, shape: shape)
                : try single.apply(op, x, y, window: window)
        } catch {
            return nil  // past the evaluating limits, which a shapes-only build does not check
        }
        let (tape, order) = single.finish(output: result)
        let i = order[result.raw], o = Int(tape.entries[i].offset)
        let values = Array(tape.evaluate()[o ..< o + shape.count])
        let node = leaf(.constant, shape, values, name: name)
        foldedFormulas[node.raw] = tape.formula(i)
        nodes[a].absorbedBy = Int32(node.raw)
        if let b { nodes[b].absorbedBy = Int32(node.raw) }
        foldCount += 1
        return node
    }

    /// Orders the nodes and lays out their values. `order[id.raw]` in the result maps each
    /// built node to its tape index.
    ///
    /// `insertionOrder`, when given, lists every node once: nodes of a bucket (equal depth)
    /// then keep that order instead of the order they were added in. A loader that builds
    /// the nodes in another order than the usual lowering (in source order, in one pass) gets
    /// the same tape by naming the order the lowering would have added them in.
    public func finish(output: NodeID, insertionOrder: [Int32]? = nil) -> (tape: Tape, order: [Int]) {
        let dropped = unusedFoldOperands(output: output)
        let kept = nodes.count - dropped.count
        var isDropped = [Bool](repeating: false, count: dropped.isEmpty ? 0 : nodes.count)
        for id in dropped { isDropped[id] = true }
        func isKept(_ id: Int) -> Bool { isDropped.isEmpty || !isDropped[id] }
        // Counting sort: differentiable leaves, constants, then computed nodes by depth.
        // Each bucket keeps insertion order, so the result is deterministic and O(n).
        // The loops here read a node's fields in place (`nodes[id].depth`, through a buffer
        // in the longest): iterating over `nodes` itself copied each 64-byte node, its name's
        // reference count included.
        var maxDepth: Int32 = 0
        for id in nodes.indices { maxDepth = Swift.max(maxDepth, nodes[id].depth) }
        // One 32-bit array, the buckets' sizes and then where each starts: a chain's depth is
        // its length, so there are about as many buckets as nodes.
        var starts = [Int32](repeating: 0, count: Int(maxDepth) + 2)
        func bucket(_ id: Int) -> Int {
            let op = nodes[id].op
            return op.kind != .leaf ? Int(nodes[id].depth) + 1 : (op == .constant ? 1 : 0)
        }
        // Constants share bucket 1 with depth-0 computed nodes, which do not exist (depth ≥ 1).
        for id in nodes.indices where isKept(id) { starts[bucket(id)] += 1 }
        var total: Int32 = 0
        for k in starts.indices { (starts[k], total) = (total, total + starts[k]) }
        var order = [Int](repeating: 0, count: nodes.count)
        if let insertionOrder {
            precondition(insertionOrder.count == nodes.count, "the insertion order lists every node once")
            for id in insertionOrder where isKept(Int(id)) {
                let k = bucket(Int(id))
                order[Int(id)] = Int(starts[k])
                starts[k] += 1
            }
        } else {
            for id in nodes.indices where isKept(id) {
                let k = bucket(id)
                order[id] = Int(starts[k])
                starts[k] += 1
            }
        }
        // A constant a fold used up stands for the constant that replaced it (made later, so
        // its place is known when walking back).
        for id in dropped.reversed() { order[id] = order[Int(nodes[id].absorbedBy)] }

        var entries = [TapeEntry](repeating: TapeEntry(op: .constant, rank: 0, flags: 0, a: -1, b: -1, offset: 0, rows: 1, cols: 1), count: kept)
        var names = [String?](repeating: nil, count: kept)
        var foldedFormulas: [Int: String] = [:]
        var leafData: [Double] = []
        leafData.reserveCapacity(self.leafData.count)
        var allScalar = true
        var firstComputed = kept
        nodes.withUnsafeBufferPointer { nodes in
            for id in nodes.indices where isKept(id) {
                let i = order[id]
                let op = nodes[id].op, shape = nodes[id].shape
                var e = TapeEntry(op: op, rank: shape.rank, flags: 0, window: nodes[id].window, a: -1, b: -1, offset: 0,
                                  rows: shape.rows, cols: shape.cols,
                                  lead0: UInt16(shape.lead0), lead1: UInt16(shape.lead1))
                if op.kind == .leaf {
                    e.b = Int32(nodes[id].leafStart)
                } else {
                    e.a = Int32(order[Int(nodes[id].a)])
                    e.b = Int32(order[Int(nodes[id].b)])
                    firstComputed = Swift.min(firstComputed, i)
                    let elementwise = op.kind == .unary || op.kind == .binary
                    if elementwise && shape.isScalar { e.flags |= TapeEntry.Flags.scalar }
                    if op.arity == 2 { e.flags |= TapeEntry.Flags.binary }
                    // The all-scalar fast path runs only the scalar rules: a tensor op (even on a
                    // scalar, like softmax of one number) needs its kernel.
                    if e.flags & TapeEntry.Flags.scalar == 0 { allScalar = false }
                }
                if !shape.isScalar { allScalar = false }
                entries[i] = e
                names[i] = nodes[id].name
            }
        }
        for (id, formula) in self.foldedFormulas where isKept(id) { foldedFormulas[order[id]] = formula }
        // Lay out values in tape order; leaf data follows the same order.
        var offset = 0
        for i in entries.indices {
            entries[i].offset = Int32(offset)
            if entries[i].op.kind == .leaf {
                let start = Int(entries[i].b)
                if start < 0 {
                    entries[i].b = -1  // no numbers: a shapes-only tape's initialised leaf
                } else {
                    entries[i].b = Int32(leafData.count)
                    leafData.append(contentsOf: self.leafData[start ..< start + entries[i].count])
                }
            }
            offset += entries[i].count
        }
        // Handed over (`consume`), so that setting the flags below changes the one copy rather
        // than copying all the entries.
        var tape = Tape(entries: consume entries, leafData: consume leafData, valueCount: offset,
                        output: order[output.raw], names: names,
                        firstComputed: firstComputed, isAllScalar: allScalar)
        tape.isShapesOnly = shapesOnly
        tape.foldedFormulas = foldedFormulas
        tape.markGradientPaths()
        return (tape, order)
    }

    /// The unnamed constants that folds read and nothing else uses (the `4` of `sqrt(4)`),
    /// in increasing order: the finished tape leaves them out.
    private func unusedFoldOperands(output: NodeID) -> [Int] {
        guard foldCount > 0 else { return [] }
        var used = [Bool](repeating: false, count: nodes.count)
        for n in nodes where n.op.kind != .leaf {
            used[Int(n.a)] = true
            used[Int(n.b)] = true
        }
        used[output.raw] = true
        return nodes.indices.filter { k in
            nodes[k].absorbedBy >= 0 && !used[k] && nodes[k].name == nil && !nodes[k].kept
        }
    }
}
