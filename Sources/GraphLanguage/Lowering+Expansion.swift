import GraphCore

// How large and how deep the program is once every `def` call is written out in place, known
// before anything is written out. A call expands its function's body, so calls inside bodies
// multiply: `def d1(a) = d0(a) + d0(a)` doubles at each level, and 40 such lines in a 1 KB file
// would make 2⁴⁰ nodes (gradstep once asked for 2.5 GB there and aborted); a chain of 30,000
// functions each calling the last nests the lowering 30,000 calls deep. Both are refused with
// an error naming the limit (`Limits.maximumExpandedNodes`, `Limits.maximumExpandedHeight`).

extension Lowering {
    /// The nodes one call of each function writes out (its body's expression nodes, with the
    /// calls in it written out too), by `Program.functions` index: found without recursion
    /// over the functions (a chain of 30,000 is fine), in `Double` so that 2⁴⁰ does not
    /// overflow. A function on a cycle counts its recursive call as 0 (the lowering reports
    /// the recursion).
    func expandedSizes() -> [Double] {
        let functions = program.functions
        var size = [Double](repeating: 0, count: functions.count)
        // 0: not measured, 1: on the stack, 2: measured.
        var state = [UInt8](repeating: 0, count: functions.count)
        var callees: [[Int]] = Array(repeating: [], count: functions.count)
        var own = [Double](repeating: 0, count: functions.count)
        for (k, f) in functions.enumerated() where groups.functionIndex[f.name] == k {
            (own[k], callees[k]) = directSize(of: f.body)
        }
        for root in functions.indices where state[root] == 0 && groups.functionIndex[functions[root].name] == root {
            var stack = [root]
            state[root] = 1
            while let f = stack.last {
                if let next = callees[f].first(where: { state[$0] == 0 }) {
                    state[next] = 1
                    stack.append(next)
                    continue
                }
                size[f] = callees[f].reduce(own[f]) { $0 + (state[$1] == 2 ? size[$1] : 0) }
                state[f] = 2
                stack.removeLast()
            }
        }
        return size
    }

    /// The expression nodes of `e` (a call of a function counts 1) and the functions it calls,
    /// once per call. The recursion is bounded by `Parser.maximumHeight`.
    func directSize(of e: Expr) -> (nodes: Double, callees: [Int]) {
        var nodes = 0.0, callees: [Int] = []
        let index = groups.functionIndex
        func walk(_ e: Expr) {
            nodes += 1
            if case .call(let name, _, _) = e.kind, let f = index[name] { callees.append(f) }
            for child in e.kind.children { walk(child) }
        }
        walk(e)
        return (nodes, callees)
    }

    /// Refuses a program whose calls would write out more than `Limits.maximumExpandedNodes`
    /// nodes, at the call that makes the most; false when it did.
    mutating func checkExpandedSize() -> Bool {
        guard !program.functions.isEmpty else { return true }
        let sizes = expandedSizes()
        let index = groups.functionIndex
        var total = 0.0
        for statement in statements {
            guard let e = statement.expression else { continue }
            var biggest: (name: String, range: SourceRange, size: Double)?
            func walk(_ e: Expr) {
                if case .call(let name, let range, _) = e.kind, let f = index[name] {
                    total += sizes[f]
                    if sizes[f] > biggest?.size ?? -1 { biggest = (name, range, sizes[f]) }
                }
                for child in e.kind.children { walk(child) }
            }
            walk(e)
            if total > Double(Limits.maximumExpandedNodes), let biggest {
                let count = biggest.size < 1e15 ? Limits.grouped(Int(biggest.size)) : String(format: "%.2g", biggest.size)
                error("written out, this call of '\(biggest.name)' makes \(count) nodes; the calls of a program may make at most \(Limits.grouped(Limits.maximumExpandedNodes))",
                      at: biggest.range,
                      hint: "each call writes its function's body out in place, so a function that calls another twice doubles at each level; compute the shared value once and pass it in")
                return false
            }
        }
        return true
    }

    /// Whether a call of `function` here would make the expression being lowered, written
    /// out, taller than `Limits.maximumExpandedHeight`: the heights of the bodies of the calls
    /// in progress, plus this one's. False (with an error) when it would.
    mutating func enterExpansion(of function: FunctionDefinition, at nameRange: SourceRange) -> Bool {
        let height = groups.expandedHeight + function.body.height + 1
        guard height <= Limits.maximumExpandedHeight else {
            let depth = groups.calls.count + 1
            error("calls of functions nest too deeply: written out in place, this call of '\(function.name)' (\(Limits.grouped(depth)) calls deep) makes an expression more than \(Limits.grouped(Limits.maximumExpandedHeight)) levels tall",
                  at: nameRange,
                  hint: "each call writes its function's body out in place; compute an inner call as a statement of its own (v = \(function.name)(…)) and pass v in")
            groups.failedFunctions.formUnion(groups.calls)
            groups.expansionRefused = true
            return false
        }
        groups.expandedHeight = height
        return true
    }
}
