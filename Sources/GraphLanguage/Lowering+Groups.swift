import GraphCore

// `def` functions and `group` blocks. A call of a function is expanded in place: its
// arguments are lowered as usual, then its body with the parameters bound to their nodes,
// so each call gets nodes of its own and the derivatives are those of the program written
// out. The nodes made by one call (outside any group) form a group `NAME#k`; the nodes of
// the statements of a `group` block form that block's group. Groups do not nest: a call
// inside a block, or inside another function's body, adds its nodes to the enclosing group.

/// What the lowering keeps about functions and groups while it runs.
struct GroupLowering {
    /// `Program.functions` index by name.
    var functionIndex: [String: Int] = [:]
    /// The functions being expanded, outermost first (a name in it again is recursion).
    var calls: [String] = []
    /// The heights of the bodies being expanded, each plus 1: a bound on how deep the
    /// lowering recurses, kept under `Limits.maximumExpandedHeight`.
    var expandedHeight = 0
    /// A call was refused for nesting too deeply (`Lowering.enterExpansion`).
    var expansionRefused = false
    /// The parameters of the function being expanded, bound to nodes.
    var scope: [String: NodeID]?
    /// Functions whose body failed to lower: later calls report nothing more.
    var failedFunctions: Set<String> = []
    var calledFunctions: Set<String> = []
    /// Builder nodes made by each call at the top level: the function, the nodes, the call.
    var instances: [(function: String, nodes: Range<Int>, range: SourceRange)] = []
    /// Builder nodes made by each outermost `grad(expr, x)` call (Lowering+Grad.swift).
    var sweeps: [(name: String, nodes: Range<Int>, range: SourceRange)] = []
    /// The block index of each statement (-1 outside every block); empty without blocks.
    var blockOf: [Int] = []
    /// The builder nodes made by each block's statements.
    var blockNodes: [[Int]] = []
    /// The statement being lowered.
    var statement = -1

    /// True when a call at this point belongs to an enclosing block or call.
    var isInsideGroup: Bool {
        !calls.isEmpty || (statement >= 0 && statement < blockOf.count && blockOf[statement] >= 0)
    }
}

extension Lowering {
    // MARK: - Definitions

    /// Checks every `def` (a free name of the body, a built-in shadowed, a name defined twice)
    /// and numbers the statements of each `group` block.
    mutating func collectFunctions() {
        let builtIns = Set(Op.functions.keys).union(ProbabilitySugar.allCases.map(\.rawValue))
            .union(Initialiser.allCases.map(\.rawValue)).union(LayerFunction.allCases.map(\.rawValue)).union(ConvolutionFunction.allCases.map(\.rawValue)).union(["grad"])
        for (k, f) in program.functions.enumerated() {
            if builtIns.contains(f.name) {
                error("'\(f.name)' is a built-in function; a def cannot replace it", at: f.nameRange,
                      hint: "give the function another name, e.g. '\(f.name)_' or 'my_\(f.name)'")
                continue
            }
            if let first = groups.functionIndex[f.name] {
                let line = program.functions[first].nameRange.start.line
                error("function '\(f.name)' is defined twice", at: f.nameRange,
                      hint: "first defined on line \(line); give this one another name")
                continue
            }
            groups.functionIndex[f.name] = k
            let parameters = f.parameters.map(\.name)
            let words = Set(LayerFunction.words(in: f.body))
            var reported: Set<String> = []
            Self.forEachName(in: f.body) { name, range in
                guard !parameters.contains(name), !words.contains(range), !reported.contains(name) else { return }
                reported.insert(name)
                var hint = "a function sees only its parameters (\(parameters.joined(separator: ", "))); pass '\(name)' as an argument"
                if let s = suggestion(for: name, among: parameters) { hint = "did you mean '\(s)'?" }
                error("unknown name '\(name)' in function '\(f.name)'", at: range, hint: hint)
                groups.failedFunctions.insert(f.name)
            }
        }
        guard !program.groups.isEmpty else { return }
        groups.blockOf = Array(repeating: -1, count: statements.count)
        groups.blockNodes = Array(repeating: [], count: program.groups.count)
        for (b, block) in program.groups.enumerated() {
            for k in block.statements { groups.blockOf[k] = b }
        }
    }

    /// Records the nodes statement `k` made (builder ids `first..<builder.count`) for its block.
    mutating func noteNodes(of k: Int, from first: Int) {
        guard k < groups.blockOf.count, groups.blockOf[k] >= 0 else { return }
        groups.blockNodes[groups.blockOf[k]].append(contentsOf: first ..< builder.count)
    }

    /// A call of `def` number `f`: its body with the parameters bound to the arguments' nodes.
    mutating func lowerCall(_ f: Int, _ arguments: [Expr], nameRange: SourceRange, whole: SourceRange) -> NodeID? {
        let function = program.functions[f]
        let name = function.name
        groups.calledFunctions.insert(name)
        if let keyword = arguments.first(where: \.isKeyword) {
            error("function '\(name)' takes no keyword arguments", at: keyword.range,
                  hint: "pass the arguments by position: \(name)(\(function.parameters.map(\.name).joined(separator: ", ")))")
            skipUses(in: arguments)
            return nil
        }
        guard arguments.count == function.parameters.count else {
            let n = function.parameters.count
            error("\(name) takes \(n) argument\(n == 1 ? "" : "s"), got \(arguments.count)", at: whole,
                  hint: "def \(name)(\(function.parameters.map(\.name).joined(separator: ", "))) on line \(function.nameRange.start.line)")
            skipUses(in: arguments)
            return nil
        }
        if groups.calls.contains(name) {
            let chain = (groups.calls.drop { $0 != name } + [name]).joined(separator: " → ")
            error("recursive function: \(chain)", at: nameRange,
                  hint: "each call is written out as nodes, so a function cannot call itself")
            groups.failedFunctions.formUnion(groups.calls)
            skipUses(in: arguments)
            return nil
        }
        var bound: [String: NodeID] = [:]
        var complete = true
        for (parameter, argument) in zip(function.parameters, arguments) {
            if let node = lower(argument) { bound[parameter.name] = node } else { complete = false }
        }
        guard complete, !groups.failedFunctions.contains(name) else { return nil }
        let savedHeight = groups.expandedHeight
        guard enterExpansion(of: function, at: nameRange) else { return nil }
        let first = builder.count
        let outside = groups.isInsideGroup
        let (savedScope, savedUse) = (groups.scope, nextUse)
        groups.scope = bound
        groups.calls.append(name)
        let result = lower(function.body)
        groups.calls.removeLast()
        (groups.scope, nextUse, groups.expandedHeight) = (savedScope, savedUse, savedHeight)
        guard let result else {
            // Where the failing call is, once, from the outermost call (recursion says it all).
            if groups.calls.isEmpty && !groups.failedFunctions.contains(name) {
                collector.append(.note, "in this call of '\(name)'", at: whole)
            }
            groups.failedFunctions.insert(name)
            return nil
        }
        if !outside && builder.count > first {
            groups.instances.append((name, first ..< builder.count, whole))
        }
        return result
    }

    /// A name in a function's body: the node its parameter is bound to. Other names were
    /// reported by `collectFunctions`.
    func parameterNode(_ name: String) -> NodeID? {
        groups.scope?[name]
    }

    /// Warnings for functions defined and never called. None after a call nested too deeply:
    /// it never reached the functions it would have called.
    mutating func reportUnusedFunctions() {
        guard !groups.expansionRefused else { return }
        for f in program.functions where groups.functionIndex[f.name] != nil && !groups.calledFunctions.contains(f.name) {
            collector.append(.warning, "function '\(f.name)' is never called", at: f.nameRange)
        }
    }

    // MARK: - Result

    /// A node outside `group` that depends on a member and that a member depends on, if any:
    /// folded into one box, such a group would make a cycle with it.
    ///
    /// Walks forward from the members along `consumers`, below the last member only: the work
    /// is the part of the graph the group reaches, not the stretch of tape between its first
    /// and last member (a block's constants sit with the leaves at the tape's start, so that
    /// stretch is most of the tape, and 20,000 blocks took 18 s).
    static func sandwiched(between group: NodeGroup, consumers: Consumers) -> Int? {
        guard let hi = group.members.last else { return nil }
        let inside = Set(group.members)
        var downstream = Set<Int>()
        var stack = group.members
        while let v = stack.popLast() {
            for c in consumers[v] where Int(c) <= hi {
                let c = Int(c)
                if inside.contains(c) {
                    if !inside.contains(v) { return v }
                } else if downstream.insert(c).inserted {
                    stack.append(c)
                }
            }
        }
        return nil
    }

    /// The groups of the finished tape: the blocks in source order, then the calls in source
    /// order, numbered per function (`dense#1`, `dense#2`). `order` maps builder ids to tape
    /// indices; groups left without nodes are dropped.
    /// Nil (with an error) when a block is not self-contained: see `sandwiched(between:in:)`.
    mutating func nodeGroups(tape: Tape, order: [Int]) -> [NodeGroup]? {
        var specs: [(name: String, origin: NodeGroup.Origin, members: [Int])] = []
        var blockRanges: [SourceRange] = []
        for (b, block) in program.groups.enumerated() where b < groups.blockNodes.count {
            var members = groups.blockNodes[b].map { order[$0] }
            for k in block.statements where statements[k].kind != .assignment && statements[k].kind != .expression {
                if let node = statementNodes[k] { members.append(order[node.raw]) }
            }
            guard !members.isEmpty else { continue }
            specs.append((block.name, .block, members))
            blockRanges.append(block.nameRange)
        }
        var counts: [String: Int] = [:]
        let calls = groups.instances.sorted { ($0.range.start.offset, $0.nodes.lowerBound) < ($1.range.start.offset, $1.nodes.lowerBound) }
        for call in calls {
            counts[call.function, default: 0] += 1
            specs.append(("\(call.function)#\(counts[call.function]!)", .call(function: call.function), call.nodes.map { order[$0] }))
        }
        for sweep in groups.sweeps {
            counts[sweep.name, default: 0] += 1
            let n = counts[sweep.name]!
            specs.append((n == 1 ? sweep.name : "\(sweep.name)#\(n)", .call(function: "grad"), sweep.nodes.map { order[$0] }))
        }
        // No blocks and no calls (most big files): nothing to number, no pass over the tape.
        guard !specs.isEmpty else { return [] }
        let result = NodeGroup.groups(specs, tape: tape)
        let consumers = blockRanges.isEmpty ? nil : Consumers(tape)
        for (group, range) in zip(result, blockRanges) {
            guard let consumers, let outside = Self.sandwiched(between: group, consumers: consumers) else { continue }
            let name = tape.names[outside] ?? tape.label(outside)
            error("group '\(group.name)' is not self-contained: '\(name)' is computed from it and used in it", at: range,
                  hint: "move the statement of '\(name)' into the group, or the statements that use it out of the group")
            return nil
        }
        return result
    }
}
