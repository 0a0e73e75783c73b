import GraphCore

// `grad(expr, x)`: the gradient of a scalar expression with respect to a named value, as a
// value of x's shape that the program can use and differentiate again. Source
// transformation at lowering: expr is lowered to nodes as usual, then the reverse sweep of
// the part of the graph between x and expr, seeded with 1, is written out AS NEW NODES of
// ordinary ops (each op's VJP in ops: Lowering+GradRules.swift). The outer sweep then
// differentiates through those nodes like any others, which gives second derivatives and
// gradient penalties, and keeps nested derivatives apart (perturbation confusion): the
// inner sweep follows only what depends on its own x, so in grad(x * grad(x + y, y), x) the
// inner derivative is the constant 1 whatever x is, and the whole is 1.

extension Lowering {
    static let gradHint = "grad(expr, x): the gradient of a scalar expression with respect to a named value, e.g. grad(x^3, x)"

    mutating func lowerGrad(_ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let call = LayerCall(name: "grad", nameRange: nameRange, whole: whole)
        if let keyword = arguments.first(where: \.isKeyword) {
            error("grad takes no keyword arguments", at: keyword.range, hint: Self.gradHint)
            skipUses(in: arguments)
            return nil
        }
        guard arguments.count == 2 else {
            error("grad takes 2 arguments, got \(arguments.count)", at: whole, hint: Self.gradHint)
            skipUses(in: arguments)
            return nil
        }
        guard case .name(let name) = arguments[1].kind else {
            error("grad differentiates with respect to a name, not an expression", at: arguments[1].range,
                  hint: "name the value first: 'h = \(arguments[1].description)', then grad(…, h)")
            skipUses(in: arguments)
            return nil
        }
        let first = builder.count
        let f = lower(arguments[0]), x = lower(arguments[1])
        guard let f, let x else { return nil }
        if builder.isConstant(x) {
            error("grad cannot differentiate with respect to '\(name)': it is a constant, so nothing computed from it remembers it",
                  at: arguments[1].range, hint: "declare it an input to differentiate with respect to it: 'input \(name) = …'")
            return nil
        }
        let shape = builder.shape(of: f)
        guard shape.isScalar else {
            let expr = arguments[0].description
            error("grad needs a scalar expression; '\(expr)' is \(shape)", at: arguments[0].range,
                  hint: "sum it to differentiate every element's total: grad(sum(\(expr)), \(name))")
            return nil
        }
        let gradient: NodeID
        do {
            gradient = try reverseSweep(of: f, wrt: x, call)
        } catch .unsupported(let op, let reason) {
            error("grad cannot differentiate through \(op.name): \(reason)", at: arguments[0].range,
                  hint: "take this derivative with the outer gradient (every command's ∂/∂ reaches every op), or keep \(op.name) out of grad's expression")
            return nil
        } catch {
            return nil  // a node was refused, and its error said why
        }
        noteGradGroup(name: "grad(\(arguments[0].description), \(name))", nodes: first ..< builder.count, range: whole)
        return gradient
    }

    /// ∂f/∂x as nodes: the adjoints of the nodes from x to f that depend on x, from f's seed
    /// 1 back to x, each share one `vjp` and each sum an `add`. A constant of x's shape 0 when
    /// f does not depend on x.
    private mutating func reverseSweep(of f: NodeID, wrt x: NodeID, _ call: LayerCall) throws(GradFailure) -> NodeID {
        let low = x.raw
        guard f.raw >= low else { return try zeros(like: x, call) }
        // Node ids are in building order, operands first: one pass finds what depends on x.
        var reaches = [Bool](repeating: false, count: f.raw - low + 1)
        reaches[0] = true
        var reached = 1
        for i in stride(from: low + 1, through: f.raw, by: 1) {
            reaches[i - low] = builder.operands(of: builder.node(at: i)).contains { $0.raw >= low && reaches[$0.raw - low] }
            if reaches[i - low] { reached += 1 }
        }
        guard reaches[f.raw - low] else { return try zeros(like: x, call) }
        // Each node's VJP adds at most a dozen nodes; nested grads multiply that, so the
        // total is bounded as `def` expansion is.
        guard builder.count + 12 * reached <= Limits.maximumExpandedNodes else {
            error("grad would write more than \(Limits.grouped(Limits.maximumExpandedNodes)) nodes", at: call.whole,
                  hint: "each grad writes out the reverse sweep of its expression; nest fewer of them")
            throw .failed
        }
        var sweep = GradSweep(call: call)
        var adjoints = [Adjoint?](repeating: nil, count: reaches.count)
        adjoints[f.raw - low] = .one
        for i in stride(from: f.raw, to: low, by: -1) {
            guard reaches[i - low], let g = adjoints[i - low] else { continue }
            let node = builder.node(at: i), op = builder.op(of: node)
            for (k, operand) in builder.operands(of: node).enumerated() where operand.raw >= low && reaches[operand.raw - low] {
                // The seed passes through a sum (of scalars: f is one) as it is.
                let passes = op == .add || (op == .sub && k == 0)
                let share: Adjoint
                if case .one = g, passes {
                    share = .one
                } else if let node = try vjp(k, of: node, g, &sweep) {
                    share = .node(node)
                } else {
                    continue
                }
                let j = operand.raw - low
                if let sum = adjoints[j] {
                    adjoints[j] = .node(try n(.add, value(sum, &sweep), value(share, &sweep), sweep))
                } else {
                    adjoints[j] = share
                }
            }
        }
        guard let gradient = adjoints[0] else { return try zeros(like: x, call) }
        return try value(gradient, &sweep)
    }

    private mutating func zeros(like x: NodeID, _ call: LayerCall) throws(GradFailure) -> NodeID {
        let shape = builder.shape(of: x)
        guard let node = constant(shape, [Double](repeating: 0, count: shape.count), call) else { throw .failed }
        return node
    }
}

extension Lowering {
    /// Records the nodes of a `grad` call (its expression's and its sweep's) as a group named
    /// after the call, which pictures and the explorer fold and a student opens to step
    /// through the inner sweep. Groups do not nest: inside a block or a `def` call the nodes
    /// belong to that group, and a grad inside another grad's expression to the outer one.
    mutating func noteGradGroup(name: String, nodes: Range<Int>, range: SourceRange) {
        guard !groups.isInsideGroup, !nodes.isEmpty else { return }
        groups.sweeps.removeAll { nodes.contains($0.nodes.lowerBound) }
        groups.sweeps.append((name, nodes, range))
    }
}
