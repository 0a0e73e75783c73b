import Foundation

// The neuron-level view: a tensor tape rewritten with one scalar node per element and per
// multiply-add, each op by one rule in one exhaustive switch. The rules repeat the tensor
// kernels' arithmetic in the same order (sums from the first element on, softmax shifted by
// its row's maximum, the mean divided at the end), so values and derivatives agree with the
// tensor tape to the last bits.

extension Tape {
    /// This tape with one scalar node per element and per multiply-add, named from the field:
    /// `W[2,0]`, `x[0]`, `W[2,0]·x[0]`, and `h[2]` for the sum that completes an element.
    ///
    /// Leaves become one scalar leaf per element, in declaration order (a [7×5] param gives
    /// 35 params). A tensor output is summed into one scalar node `Σ y`, which is what the
    /// tensor tape's seed of 1 on every output element differentiates.
    ///
    /// ```swift
    /// let neurons = try tape.scalarExpansion()
    /// neurons.tape.count          // every node a scalar
    /// neurons.elementNodes[h]     // the scalar node of each element of h
    /// ```
    ///
    /// Throws when the scalar graph would have more than `maximumNodes` nodes.
    public func scalarExpansion(maximumNodes: Int = Limits.maximumScalarNodes) throws(ExpansionError) -> ScalarExpansion {
        // A shapes-only tape holds no numbers to evaluate, and the expansion reads the values
        // (which terms vanish, softmax's shift): refused, not evaluated.
        if isShapesOnly {
            throw ExpansionError(description: "the scalar (neuron-level) view needs the graph's numbers, and this graph "
                + "is too large to evaluate (read for its shapes only): use the tensor view")
        }
        var expander = ScalarExpander(tape: self, values: evaluate(), maximumNodes: maximumNodes)
        for i in entries.indices { try expander.expand(i) }
        return try expander.finish()
    }
}

/// Builds the scalar tape node by node; `element[i][k]` is the scalar node holding element k of
/// tensor node i.
struct ScalarExpander {
    let tape: Tape
    /// The tensor tape's primal values, for the choices a rule makes from constants (which
    /// cross-entropy terms vanish, the shift that keeps softmax's exponentials finite).
    let values: [Double]
    let maximumNodes: Int
    var builder = TapeBuilder()
    var element: [[NodeID]] = []
    var owner: [ElementRef] = []

    init(tape: Tape, values: [Double], maximumNodes: Int) {
        self.tape = tape
        self.values = values
        self.maximumNodes = maximumNodes
        element.reserveCapacity(tape.count)
    }

    /// Appends the scalar nodes of tensor node `i`, by its op's rule.
    mutating func expand(_ i: Int) throws(ExpansionError) {
        let e = tape[i]
        let nodes: [NodeID]
        switch e.op {
        case .input, .param, .constant: nodes = try leaf(i)
        case .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare: nodes = try elementwise(i)
        case .neg, .unary, .stopGradient: nodes = try elementwise(i)
        case .matmul: nodes = try matmul(i)
        case .sum: nodes = [try sum(element[Int(e.a)], owner: i, name: name(i, 0))]
        case .mean: nodes = try mean(i)
        case .transpose: nodes = transpose(i)
        case .softmax: nodes = try softmax(i)
        case .logSoftmax: nodes = try logSoftmax(i)
        case .logsumexp: nodes = try logsumexp(i)
        case .crossEntropy: nodes = try crossEntropy(i)
        case .mse: nodes = try mse(i)
        // Layers
        case .dropout: nodes = try elementwise(i)
        case .batchNorm, .layerNorm: nodes = try normalize(i)
        // Convolution and pooling
        case .conv1d, .conv2d: nodes = try convolution(i)
        case .maxpool2d: nodes = maxPool(i)
        case .avgpool2d: nodes = try averagePool(i)
        case .biasAdd: nodes = try biasAdd(i)
        case .reshape: nodes = element[Int(e.a)]
        // Indexing: each result element is the source's element it copies (as max-pool's
        // picks), so the scalar graph's adjoints add up where a row is gathered twice.
        case .gather: nodes = try gather(i)
        // Along one axis: a slice or concat picks its operands' element nodes; the sum adds
        // the elements along the axis from the first on, as the kernel does.
        case .along(let f): nodes = try along(f, i)
        }
        element.append(nodes)
    }

    // MARK: - Rules

    /// One scalar leaf per element, row-major.
    mutating func leaf(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], data = tape.leafValues(i)
        var nodes: [NodeID] = []
        for k in 0..<e.count {
            try reserve(1, at: i)
            nodes.append(builder.leaf(e.op, .scalar, [data[data.startIndex + k]], name: name(i, k)))
            owner.append(ElementRef(node: i, element: k))
        }
        return nodes
    }

    /// The op on each element; a scalar operand is reused for every element, a vector [c] for
    /// every row of a matrix [r×c] (the kernels' `k % count` broadcast).
    mutating func elementwise(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], a = element[Int(e.a)]
        let b = e.op.arity == 2 ? element[Int(e.b)] : nil
        var nodes: [NodeID] = []
        for k in 0..<e.count {
            nodes.append(try apply(e.op, a[k % a.count], b.map { $0[k % $0.count] },
                                   owner: ElementRef(node: i, element: k), name: name(i, k)))
        }
        return nodes
    }

    /// `A @ B` as multiply-adds: element (i, j) is A[i,0]·B[0,j] + A[i,1]·B[1,j] + …, each
    /// product its own node, summed from the left; the last sum takes the element's name.
    mutating func matmul(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], eb = tape[Int(e.b)]
        let a = element[Int(e.a)], b = element[Int(e.b)]
        let (m, kk, n) = Op.matmulDims(ea.shape, eb.shape)
        var nodes: [NodeID] = []
        for r in 0..<m {
            for c in 0..<n {
                let k = r * n + c, at = ElementRef(node: i, element: k)
                var products: [NodeID] = []
                for q in 0..<kk {
                    let x = a[r * kk + q], y = b[q * n + c]
                    let label = kk == 1 ? name(i, k) : product(x, y)
                    products.append(try apply(.mul, x, y, owner: at, name: label))
                }
                nodes.append(try sum(products, owner: i, element: k, name: name(i, k)))
            }
        }
        return nodes
    }

    /// The sum, then a division by the number of elements (as the kernel divides at the end).
    mutating func mean(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let a = element[Int(tape[i].a)]
        let total = try sum(a, owner: i, name: nil)
        let n = try constant(Double(a.count), owner: ElementRef(node: i, element: 0), name: nil)
        return [try apply(.div, total, n, owner: ElementRef(node: i, element: 0), name: name(i, 0))]
    }

    /// Renaming only: element (r, c) of the result is element (c, r) of the operand.
    func transpose(_ i: Int) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], a = element[Int(e.a)]
        guard ea.rank == 2 else { return a }
        let rows = Int(ea.rows), cols = Int(ea.cols)
        return (0..<e.count).map { k in a[(k % rows) * cols + k / rows] }
    }

    /// Per row: e_k = exp(x_k − max x), y_k = e_k / Σ e. The maximum is a constant: softmax does
    /// not change when a constant is subtracted from its row, so its derivatives are exact,
    /// and the exponentials stay finite as in the kernel.
    mutating func softmax(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i]
        var nodes: [NodeID] = []
        for (row, r) in try shiftedRows(i, e.softmaxRows).enumerated() {
            for k in r.exps.indices {
                let at = row * r.exps.count + k
                nodes.append(try apply(.div, r.exps[k], r.total, owner: ElementRef(node: i, element: at), name: name(i, at)))
            }
        }
        return nodes
    }

    /// Per row: y_k = (x_k − max x) − ln Σ e, as the kernel computes it.
    mutating func logSoftmax(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i]
        var nodes: [NodeID] = []
        for (row, r) in try shiftedRows(i, e.softmaxRows).enumerated() {
            let first = ElementRef(node: i, element: row * r.exps.count)
            let lse = try apply(.ln, r.total, nil, owner: first, name: nil)
            for k in r.shifted.indices {
                let at = row * r.exps.count + k
                nodes.append(try apply(.sub, r.shifted[k], lse, owner: ElementRef(node: i, element: at), name: name(i, at)))
            }
        }
        return nodes
    }

    /// max x + ln Σ exp(x_k − max x) over every element.
    mutating func logsumexp(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let r = try shiftedRows(i, (1, tape[Int(tape[i].a)].count))[0], at = ElementRef(node: i, element: 0)
        let lse = try apply(.ln, r.total, nil, owner: at, name: nil)
        return [try apply(.add, r.shift, lse, owner: at, name: name(i, 0))]
    }

    /// For each row of node i's operand: the constant shift (the row's maximum), x_k − shift,
    /// e^(x_k − shift) and their sum, owned by node i's elements.
    mutating func shiftedRows(_ i: Int, _ layout: (rows: Int, width: Int)) throws(ExpansionError)
        -> [(shift: NodeID, shifted: [NodeID], exps: [NodeID], total: NodeID)] {
        let e = tape[i], a = element[Int(e.a)], ea = tape[Int(e.a)]
        let (rows, width) = layout
        var result: [(shift: NodeID, shifted: [NodeID], exps: [NodeID], total: NodeID)] = []
        for row in 0..<rows {
            let base = row * width, first = ElementRef(node: i, element: e.count == 1 ? 0 : base)
            var top = -Double.infinity
            for k in 0..<width { top = Swift.max(top, values[Int(ea.offset) + base + k]) }
            let rowName = tape.names[Int(e.a)].map { rows == 1 ? $0 : "\($0)[\(row),:]" }
            let shift = try constant(top, owner: first, name: rowName.map { "max \($0)" })
            var shifted: [NodeID] = [], exps: [NodeID] = []
            for k in 0..<width {
                let at = ElementRef(node: i, element: e.count == 1 ? 0 : base + k)
                shifted.append(try apply(.sub, a[base + k], shift, owner: at, name: nil))
                exps.append(try apply(.exp, shifted[k], nil, owner: at, name: nil))
            }
            let total = try sum(exps, owner: i, element: e.count == 1 ? 0 : base, name: nil)
            result.append((shift, shifted, exps, total))
        }
        return result
    }

    /// −Σ t_k·ln p_k. A term whose target is a constant 0 is left out, as the kernel skips it
    /// (0·ln 0 = 0, PyTorch's xlogy).
    mutating func crossEntropy(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], ep = tape[Int(e.a)], et = tape[Int(e.b)]
        let p = element[Int(e.a)], t = element[Int(e.b)]
        let at = ElementRef(node: i, element: 0)
        var terms: [NodeID] = []
        for k in 0..<p.count {
            if et.op == .constant && values[Int(et.offset) + k] == 0 { continue }
            let lnName = elementName(Int(e.a), k, of: ep).map { "ln \($0)" }
            let logarithm = try apply(.ln, p[k], nil, owner: at, name: lnName)
            let termName = elementName(Int(e.b), k, of: et).flatMap { tn in lnName.map { "\(tn)·\($0)" } }
            terms.append(try apply(.mul, t[k], logarithm, owner: at, name: termName))
        }
        if terms.isEmpty { return [try constant(0, owner: at, name: name(i, 0))] }
        let total = try sum(terms, owner: i, name: nil)
        return [try apply(.neg, total, nil, owner: at, name: name(i, 0))]
    }

    /// Σ (a_k − b_k)² / n over the broadcast shape, each difference and square its own node.
    mutating func mse(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], a = element[Int(e.a)], b = element[Int(e.b)]
        let width = Swift.max(a.count, b.count), at = ElementRef(node: i, element: 0)
        var squares: [NodeID] = []
        for k in 0..<width {
            let x = a[k % a.count], y = b[k % b.count]
            let difference = try apply(.sub, x, y, owner: at, name: differenceName(x, y))
            squares.append(try apply(.mul, difference, difference, owner: at,
                                     name: builderName(difference).map { "(\($0))²" }))
        }
        let total = try sum(squares, owner: i, name: nil)
        let n = try constant(Double(width), owner: at, name: nil)
        return [try apply(.div, total, n, owner: at, name: name(i, 0))]
    }

    /// Per group (a column for batch norm, a row for layer norm): μ = Σh/N, the differences
    /// h − μ, σ² = Σ(h − μ)²/N, σ = √(σ² + ε), ĥ = (h − μ)/σ: the kernel's two passes, each
    /// statistic its own named node (`μ h[:,0]`, `σ² h[:,0]`, `σ h[:,0]`) whose adjoint collects
    /// every path through it.
    mutating func normalize(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], h = element[Int(e.a)], eps = element[Int(e.b)][0]
        let groups = e.normalizationGroups
        let hName = tape.names[Int(e.a)]
        var nodes = [NodeID?](repeating: nil, count: e.count)
        for g in 0..<groups.count {
            let first = ElementRef(node: i, element: groups.index(g, 0))
            let group = hName.map { h -> String in
                guard e.rank == 2 else { return h }
                return e.op == .batchNorm ? "\(h)[:,\(g)]" : "\(h)[\(g),:]"
            }
            let members = (0..<groups.length).map { h[groups.index(g, $0)] }
            let n = try constant(Double(groups.length), owner: first, name: nil)
            let total = try sum(members, owner: i, element: first.element, name: nil)
            let mu = try apply(.div, total, n, owner: first, name: group.map { "μ \($0)" })
            var differences: [NodeID] = [], squares: [NodeID] = []
            for k in 0..<groups.length {
                let at = ElementRef(node: i, element: groups.index(g, k))
                let d = try apply(.sub, members[k], mu, owner: at, name: differenceName(members[k], mu))
                differences.append(d)
                squares.append(try apply(.mul, d, d, owner: at, name: builderName(d).map { "(\($0))²" }))
            }
            let squareSum = try sum(squares, owner: i, element: first.element, name: nil)
            let variance = try apply(.div, squareSum, n, owner: first, name: group.map { "σ² \($0)" })
            let shifted = try apply(.add, variance, eps, owner: first, name: nil)
            let sigma = try apply(.sqrt, shifted, nil, owner: first, name: group.map { "σ \($0)" })
            for k in 0..<groups.length {
                let at = groups.index(g, k)
                nodes[at] = try apply(.div, differences[k], sigma, owner: ElementRef(node: i, element: at), name: name(i, at))
            }
        }
        return nodes.map { $0! }
    }

    /// Each output element y[n,o,i,j] is the multiply-adds x[n,c,i·s+p−pad, j·s+q−pad]·w[o,c,p,q]
    /// over its window, the terms in the zero padding left out (a window wholly in the
    /// padding is the constant 0).
    mutating func convolution(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], geo = e.geometry(tape[Int(e.a)], tape[Int(e.b)])
        let x = element[Int(e.a)], w = element[Int(e.b)]
        // The kernel's own loop, so the products are those it multiplies, in its order.
        var products = [[(x: NodeID, w: NodeID)]](repeating: [], count: e.count)
        geo.forEachProduct { y, xi, wi in products[y].append((x[xi], w[wi])) }
        var nodes: [NodeID] = []
        for (k, pairs) in products.enumerated() {
            let at = ElementRef(node: i, element: k)
            var terms: [NodeID] = []
            for (a, b) in pairs { terms.append(try apply(.mul, a, b, owner: at, name: product(a, b))) }
            nodes.append(try sum(terms, owner: i, element: k, name: name(i, k)))
        }
        return nodes
    }

    /// Each output element *is* its window's first maximum at these values (PyTorch's choice,
    /// and the kernel's): the pooled element is that input's node, as a transpose reuses its
    /// operand's, so the adjoint reaches the maximum alone, exactly as in the tensor view.
    func gather(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], eb = tape[Int(e.b)], x = element[Int(e.a)]
        let width = e.gatherLayout(ea).width
        let base = Int(eb.offset)
        var nodes: [NodeID] = []
        for (k, row) in e.gatheredRows(ea, values[base ..< base + eb.count]).enumerated() {
            guard let row else {
                throw ExpansionError(description: "index \(Format.short(values[base + k])) of \(tape.label(i)) is not a row of \(ea.shape)")
            }
            nodes += x[row * width ..< (row + 1) * width]
        }
        return nodes
    }

    func maxPool(_ i: Int) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], geo = e.geometry(ea, ea), x = element[Int(e.a)]
        var nodes: [NodeID] = []
        values.withUnsafeBufferPointer { v in
            let input = v.baseAddress! + Int(ea.offset)
            geo.forEachWindow { _, span in nodes.append(x[geo.argmax(input, span)]) }
        }
        return nodes
    }

    /// The sum of the window's elements in the image divided by all kh·kw of its cells, the
    /// padding's zeros counted (PyTorch's `count_include_pad=True`), as the kernel computes it.
    mutating func averagePool(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], geo = e.geometry(ea, ea), x = element[Int(e.a)]
        var windows: [(Int, [Int])] = []
        geo.forEachWindow { k, span in
            var inside: [Int] = []
            geo.forEachElement(of: span) { inside.append($0) }
            windows.append((k, inside))
        }
        var nodes: [NodeID] = []
        for (k, inside) in windows {
            let at = ElementRef(node: i, element: k)
            let total = try sum(inside.map { x[$0] }, owner: i, element: k, name: nil)
            let size = try constant(geo.windowSize, owner: at, name: nil)
            nodes.append(try apply(.div, total, size, owner: at, name: name(i, k)))
        }
        return nodes
    }

    /// x[…, c, …] + b[c]: each element plus its channel's bias.
    mutating func biasAdd(_ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], x = element[Int(e.a)], bias = element[Int(e.b)]
        let (inner, channels) = e.biasLayout
        var nodes: [NodeID] = []
        for k in 0..<e.count {
            nodes.append(try apply(.add, x[k], bias[(k / inner) % channels], owner: ElementRef(node: i, element: k), name: name(i, k)))
        }
        return nodes
    }

    // MARK: - Building blocks

    /// `terms` added from the left, one node per addition; the last takes `name`. One term is
    /// its own sum (no node is added); no terms (an empty tensor built through the API) sum to
    /// a constant 0.
    /// The element nodes of axis op `f` at node `i`, in the result's row-major order.
    mutating func along(_ f: AxisOp, _ i: Int) throws(ExpansionError) -> [NodeID] {
        let e = tape[i], ea = tape[Int(e.a)], a = element[Int(e.a)]
        let (p, d, q, k) = e.axisLayout(ea)
        switch f {
        case .slice:
            let start = e.window.start
            var nodes: [NodeID] = []
            for row in 0..<p {
                let first: Int = (row * d + start) * q, end: Int = first + k * q
                nodes.append(contentsOf: a[first ..< end])
            }
            return nodes
        case .concat:
            let b = element[Int(e.b)], db = b.count / Swift.max(p * q, 1)
            var nodes: [NodeID] = []
            for row in 0..<p {
                // Bounds as typed `let`s: written inline, the ranges take the type checker ~0.4 s.
                let aStart: Int = row * d * q, aEnd: Int = (row + 1) * d * q
                let bStart: Int = row * db * q, bEnd: Int = (row + 1) * db * q
                nodes.append(contentsOf: a[aStart ..< aEnd])
                nodes.append(contentsOf: b[bStart ..< bEnd])
            }
            return nodes
        case .sum:
            var nodes: [NodeID] = []
            for row in 0..<p {
                for j in 0..<q {
                    let out = row * q + j
                    nodes.append(try sum((0..<d).map { a[(row * d + $0) * q + j] }, owner: i, element: out, name: name(i, out)))
                }
            }
            return nodes
        }
    }

    mutating func sum(_ terms: [NodeID], owner i: Int, element k: Int = 0, name: String?) throws(ExpansionError) -> NodeID {
        guard var total = terms.first else {
            return try constant(0, owner: ElementRef(node: i, element: k), name: name)
        }
        for (j, term) in terms.enumerated().dropFirst() {
            total = try apply(.add, total, term, owner: ElementRef(node: i, element: k),
                              name: j == terms.count - 1 ? name : nil)
        }
        return total
    }

    mutating func apply(_ op: Op, _ a: NodeID, _ b: NodeID?, owner at: ElementRef, name: String?) throws(ExpansionError) -> NodeID {
        try reserve(1, at: at.node)
        do {
            let node = try builder.apply(op, a, b, name: name)
            owner.append(at)
            return node
        } catch {
            throw ExpansionError(description: "the scalar view of this graph does not fit: \(error.description)")
        }
    }

    mutating func constant(_ value: Double, owner at: ElementRef, name: String?) throws(ExpansionError) -> NodeID {
        try reserve(1, at: at.node)
        owner.append(at)
        return builder.leaf(.constant, .scalar, [value], name: name)
    }

    /// Throws before the scalar graph passes `maximumNodes`, naming the tensor node it was at.
    func reserve(_ n: Int, at i: Int) throws(ExpansionError) {
        guard builder.count + n > maximumNodes else { return }
        let what = tape[i].op.kind == .leaf ? tape.displayName(i) : "\(tape.label(i)) = \(tape.formula(i))"
        throw ExpansionError(description: "the scalar (neuron-level) view of this graph would have more than "
            + "\(Limits.grouped(maximumNodes)) nodes (reached at \(what), \(tape[i].shape)); "
            + "it is drawn for graphs up to that size: use the tensor view")
    }

    /// Orders the scalar tape and carries `owner` and `element` over to its indices. A tensor
    /// output is summed into one node, `Σ y`.
    mutating func finish() throws(ExpansionError) -> ScalarExpansion {
        var output = element[tape.output]
        if output.count > 1 {
            let outputName = tape.names[tape.output].map { "Σ \($0)" }
            output = [try sum(output, owner: tape.output, name: outputName)]
        }
        let (scalars, order) = builder.finish(output: output[0])
        var owners = [ElementRef](repeating: ElementRef(node: 0, element: 0), count: owner.count)
        for (id, at) in owner.enumerated() { owners[order[id]] = at }
        let elementNodes = element.map { $0.map { order[$0.raw] } }
        return ScalarExpansion(tape: scalars, owner: owners, elementNodes: elementNodes)
    }

    // MARK: - Names

    /// `W[2,0]`, `x[0]`, or `s` for a scalar; nil when the tensor node has no name.
    func name(_ i: Int, _ k: Int) -> String? { elementName(i, k, of: tape[i]) }

    func elementName(_ i: Int, _ k: Int, of e: TapeEntry) -> String? {
        tape.names[i].map { $0 + e.shape.subscriptText(k) }
    }

    /// The name a scalar node was given when it was added.
    func builderName(_ node: NodeID) -> String? { builder.name(of: node) }

    /// `W[2,0]·x[0]` when both factors are named.
    func product(_ x: NodeID, _ y: NodeID) -> String? {
        guard let a = builderName(x), let b = builderName(y) else { return nil }
        return "\(a)·\(b)"
    }

    /// `ŷ[0] − y[0]` when both sides are named.
    func differenceName(_ x: NodeID, _ y: NodeID) -> String? {
        guard let a = builderName(x), let b = builderName(y) else { return nil }
        return "\(a) − \(b)"
    }
}
