import GraphCore

extension Lowering {
    /// A probability function (`ProbabilitySugar`): each argument lowered once, in order, then
    /// the recipe's ops applied to them, every node carrying the call's source range.
    mutating func lower(_ sugar: ProbabilitySugar, _ arguments: [Expr], at nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        guard arguments.count == sugar.parameters.count else {
            error("\(sugar.rawValue) takes \(sugar.parameters.count) arguments, got \(arguments.count)", at: whole,
                  hint: "write \(sugar.rawValue)(\(sugar.parameters.joined(separator: ", ")))")
            skipUses(in: arguments)
            return nil
        }
        var operands: [NodeID] = []
        for argument in arguments {
            guard let node = lower(argument) else {
                skipUses(in: Array(arguments[(operands.count + 1)...]))
                return nil
            }
            operands.append(node)
        }
        var shared: [Int: NodeID] = [:]
        func build(_ r: ProbabilitySugar.Recipe) -> NodeID? {
            switch r {
            case .argument(let k): return operands[k]
            case .number(let x): return leaf(.constant, .scalar, [x], name: nil, range: whole)
            case .shared(let id, let inner):
                if let node = shared[id] { return node }
                let node = build(inner)
                shared[id] = node
                return node
            case .apply(let op, let parts):
                guard let a = build(parts[0]) else { return nil }
                var b: NodeID?
                if parts.count > 1 {
                    guard let second = build(parts[1]) else { return nil }
                    b = second
                }
                return apply(op, a, b, at: nameRange, whole: whole)
            }
        }
        return build(sugar.recipe)
    }
}
