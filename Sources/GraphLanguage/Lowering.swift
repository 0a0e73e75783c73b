import Foundation
import GraphCore

/// Resolves a parsed program into tape nodes. Statements may come in any order: they are
/// lowered in dependency order (Kahn's algorithm, iterative, so a 100,000-statement chain needs
/// no deep recursion), and whatever is left over lies on or behind a cycle, which is reported
/// by name: `cycle: a → b → a`.
struct Lowering {
    let file: SourceFile
    /// The program's groups and definitions; its statements are `statements`.
    let program: Program
    /// The statements; each one's syntax tree is dropped once it is lowered (see
    /// `releaseSyntaxTree(of:)`): in a large file the trees are most of what loading holds.
    var statements: [Statement]
    private let programNames: ProgramNames
    let mode: GraphLoader.Mode
    let overrides: [String: (values: [Double], shape: Shape)]
    /// What went wrong so far: at most `Limits.maximumDiagnostics` kept, the rest counted.
    var collector = DiagnosticCollector()
    /// The diagnostics in source order, bounded, ending with a summary of any left out.
    var diagnostics: [Diagnostic] { collector.bounded }

    var builder = TapeBuilder()
    var ranges: [SourceRange?] = []
    /// Statement index of each name's definition, by name id (-1 when it has none): names
    /// are resolved by the parser's `NameTable`, so no string is hashed on the way to a node.
    private var definitionOf: [Int]
    private var definitionCount = 0
    /// Whether each statement is its name's definition (the first statement that defines it).
    var isDefinition: [Bool]
    /// The node of each statement, by statement index, once lowered: the defining statement of
    /// a name (a duplicate definition gets none) or a bare expression.
    var statementNodes: [NodeID?]
    /// The inputs made up for an expression's free names.
    var freeInputs: [String: NodeID] = [:]
    /// Names whose statement failed: uses of them are not reported again.
    var failed: Set<String> = []
    var usedOverrides: Set<String> = []
    /// The tables of `data` declarations, in source order.
    var dataSets: [DataSet] = []
    /// Each name used in a computed statement, resolved to its definition's statement index
    /// (-1 when it has none), in source order; statement `k`'s run starts at `useStart[k]`.
    /// `lower(_:)` reads them in the same order through `nextUse`.
    private var uses: [Int32] = []
    private var useStart: [Int32] = []
    var nextUse = 0
    /// The functions called so far: a few names, compared faster than `Op.functions` hashes.
    private var calledFunctions: [(name: String, op: Op)] = []
    /// `def` functions and `group` blocks (Lowering+Groups.swift).
    var groups = GroupLowering()
    /// Statements whose syntax tree `releaseSyntaxTree(of:)` has dropped so far.
    var releasedTrees = 0

    init(file: SourceFile, program: Program, names: ProgramNames, mode: GraphLoader.Mode,
         overrides: [String: (values: [Double], shape: Shape)]) {
        self.file = file
        self.statements = program.statements
        // One owner of the statements, so dropping a tree frees it rather than copying them all.
        var rest = program
        rest.statements = []
        self.program = rest
        self.programNames = names
        self.definitionOf = Array(repeating: -1, count: names.table.count)
        self.mode = mode
        self.overrides = overrides
        self.statementNodes = Array(repeating: nil, count: program.statements.count)
        self.isDefinition = Array(repeating: false, count: program.statements.count)
        builder.foldsConstants = true
    }

    // MARK: - Passes

    mutating func run() {
        // About one node per statement (plus inline constants): start there, not from empty.
        builder.reserveCapacity(statements.count)
        ranges.reserveCapacity(statements.count)
        collectDefinitions()
        collectFunctions()
        guard checkExpandedSize() else { return }
        checkSingleOutput()
        lowerLeaves()
        if mode == .expression { addFreeInputs() }
        lowerInDependencyOrder()
        reportUnusedFunctions()
        // The last trees dropped since the last hand-back, before `finish` allocates the tape.
        if releasedTrees >= Self.statementsPerTrim { Self.returnFreedPages() }
    }

    private mutating func collectDefinitions() {
        for k in statements.indices where statements[k].kind != .output && statements[k].kind != .expression {
            let id = Int(programNames.defined[k])
            guard id >= 0, let name = statements[k].name, let range = statements[k].nameRange else { continue }
            let first = definitionOf[id]
            if first >= 0 {
                let line = statements[first].nameRange?.start.line ?? 0
                error("'\(name)' is defined twice", at: range, hint: "first defined on line \(line); give this one another name")
                continue
            }
            if statements[k].kind == .assignment && programNames.table.function(Int32(id)) != nil {
                // Allowed, but worth a word: the name still works as a value.
                collector.append(.warning, "'\(name)' is also a function name", at: range)
            }
            definitionOf[id] = k
            definitionCount += 1
            isDefinition[k] = true
        }
    }

    /// A program names at most one output: a second `output` is an error, not a silent override.
    private mutating func checkSingleOutput() {
        // By index: a closure over the elements would copy (and retain) each statement.
        guard let first = statements.indices.first(where: { statements[$0].kind == .output }) else { return }
        let firstName = statements[first].name ?? ""
        let line = statements[first].range.start.line
        // `output a, b` is one statement per name, all with the statement's range.
        for k in (first + 1)..<statements.count where statements[k].kind == .output && statements[k].range != statements[first].range {
            error("a second 'output' statement: the output is already '\(firstName)'", at: statements[k].range,
                  hint: "'output \(firstName)' on line \(line) names the output; keep one of the two")
        }
    }

    private mutating func lowerInDependencyOrder() {
        // 32-bit statement indices, and the arrays only the set-up needs freed before the
        // statements are lowered: at a million statements each array is 4 MB, and they all
        // sit on top of the syntax tree at loading's peak (issue 23).
        let computed = statements.indices.compactMap { k in
            statements[k].kind == .assignment || statements[k].kind == .expression ? Int32(k) : nil
        }
        // The graph of statements as flat arrays indexed by statement: what each one waits for,
        // and (compressed rows) which statements wait on it, in statement order.
        var waiting = [Int32](repeating: 0, count: statements.count)
        var dependentStart = [Int32](repeating: 0, count: statements.count + 1)
        var dependents: [Int32] = []
        do {
            var lastCounted = [Int32](repeating: -1, count: statements.count)
            var edgeCount = 0
            var dependentCount = [Int32](repeating: 0, count: statements.count + 1)
            useStart = [Int32](repeating: 0, count: statements.count + 1)
            uses.reserveCapacity(programNames.uses.count)
            for k in statements.indices {
                useStart[k] = Int32(uses.count)
                // Assignments and bare expressions always hold an expression (only `output` has
                // none); not asking saves copying (retaining) each statement's tree here.
                guard statements[k].kind == .assignment || statements[k].kind == .expression else { continue }
                for name in programNames.uses[programNames.useStart[k] ..< programNames.useStart[k + 1]] {
                    let d = definitionOf[Int(name)]
                    uses.append(Int32(d))
                    guard d >= 0, statements[d].kind == .assignment, lastCounted[d] != k else { continue }
                    lastCounted[d] = Int32(k)
                    waiting[k] += 1
                    edgeCount += 1
                    dependentCount[d] += 1
                }
            }
            useStart[statements.count] = Int32(uses.count)
            for d in statements.indices { dependentStart[d + 1] = dependentStart[d] + dependentCount[d] }
            // The same edges again, from `uses`, without a list of them: `lastCounted[d]` becomes
            // -(k + 2) once edge d → k is filled in (pass one left only values ≥ -1 there).
            dependents = [Int32](repeating: 0, count: edgeCount)
            var filled = dependentStart
            for k in statements.indices {
                for d in uses[Int(useStart[k]) ..< Int(useStart[k + 1])] {
                    let d = Int(d)
                    guard d >= 0, statements[d].kind == .assignment, lastCounted[d] != -(k + 2) else { continue }
                    lastCounted[d] = Int32(-(k + 2))
                    dependents[Int(filled[d])] = Int32(k)
                    filled[d] += 1
                }
            }
        }

        var ready = computed.filter { waiting[Int($0)] == 0 }
        ready.reserveCapacity(computed.count)
        var head = 0
        while head < ready.count {
            let k = Int(ready[head])
            head += 1
            lower(statement: k)
            for c in dependents[Int(dependentStart[k]) ..< Int(dependentStart[k + 1])] {
                waiting[Int(c)] -= 1
                if waiting[Int(c)] == 0 { ready.append(c) }
            }
        }
        if ready.count < computed.count {
            let stuck = computed.filter { waiting[Int($0)] > 0 }.map(Int.init)
            reportCycles(among: stuck)
            // Still look inside the stuck statements for other mistakes (an unknown function);
            // names on the cycle resolve to nothing there, silently.
            for k in stuck {
                nextUse = Int(useStart[k])
                if let e = statements[k].expression { _ = lower(e) }
            }
        }
    }

    private mutating func lower(statement k: Int) {
        guard let e = statements[k].expression else { return }
        nextUse = Int(useStart[k])
        groups.statement = k
        let first = builder.count
        let node = lower(e)
        releaseSyntaxTree(of: k)
        noteNodes(of: k, from: first)
        assert(nextUse == Int(useStart[k + 1]), "lower(_:) and forEachName(in:) disagree on the names of statement \(k)")
        switch statements[k].kind {
        case .assignment:
            guard isDefinition[k], let name = statements[k].name else { return }
            if let node {
                statementNodes[k] = node
                if builder.op(of: node).kind != .leaf || builder.isFolded(node) { builder.setName(node, name) } else { builder.keep(node) }
            } else {
                failed.insert(name)
            }
        case .expression:
            statementNodes[k] = node
        default: break
        }
    }

    // MARK: - Expressions

    mutating func lower(_ e: Expr) -> NodeID? {
        switch e.kind {
        case .number(let x):
            return leaf(.constant, .scalar, [x], name: nil, range: e.range)
        case .name(let name):
            if groups.scope != nil { return parameterNode(name) }
            let k = nextUse < uses.count ? Int(uses[nextUse]) : -1
            nextUse += 1
            if k >= 0, let node = statementNodes[k] { return node }
            if let node = node(named: name) { return node }
            if failed.contains(name) { return nil }
            if let k = definition(of: name), statements[k].kind == .assignment { return nil }  // on a cycle
            failed.insert(name)
            // "Did you mean" looks at every name: only worth it for an error that is shown.
            guard !collector.isFull else {
                error("unknown name '\(name)'", at: e.range)
                return nil
            }
            var hint = "define it, e.g. 'input \(name) = 1'"
            if let s = suggestion(for: name, among: knownNames) { hint = "did you mean '\(s)'?" }
            error("unknown name '\(name)'", at: e.range, hint: hint)
            return nil
        case .unary(let op, let inner):
            if case .number(let x) = inner.kind {
                return leaf(.constant, .scalar, [op == .negate ? -x : x], name: nil, range: e.range)
            }
            guard let a = lower(inner) else { return nil }
            return op == .negate ? apply(.neg, a, nil, at: e.range) : a
        case .binary(let op, let lhs, let rhs, let operatorRange):
            let a = lower(lhs), b = lower(rhs)
            guard let a, let b else { return nil }
            return apply(Self.tapeOp(op), a, b, at: operatorRange, whole: e.range)
        case .call(let name, let nameRange, let arguments):
            let keyword = arguments.first(where: \.isKeyword)
            // The common case first (most nodes of a big file are calls of an op): no string
            // matching against the layer, probability and initialiser names on that path.
            if keyword == nil, let op = function(named: name) {
                guard arguments.count == op.arity else {
                    let plural = op.arity == 1 ? "argument" : "arguments"
                    error("\(name) takes \(op.arity) \(plural), got \(arguments.count)", at: e.range)
                    skipUses(in: arguments)
                    return nil
                }
                // Arity is 1 or 2 (checked above): no operand array.
                let first = lower(arguments[0])
                let second = arguments.count > 1 ? lower(arguments[1]) : nil
                guard let first, arguments.count == 1 || second != nil else { return nil }
                if op == .crossEntropy, let second, hasLabels(first, second) {
                    return crossEntropyWithLabels(first, second, arguments[1], nameRange: nameRange, whole: e.range)
                }
                return apply(op, first, second, at: nameRange, whole: e.range)
            }
            if let f = groups.functionIndex[name] { return lowerCall(f, arguments, nameRange: nameRange, whole: e.range) }
            if let sugar = ProbabilitySugar(rawValue: name) {
                return lower(sugar, arguments, at: nameRange, whole: e.range)
            }
            if let initialised = InitialiserCall.evaluate(name: name, arguments: arguments, range: e.range,
                                                          withValues: !builder.shapesOnly) {
                switch initialised {
                case .success(let l): return leaf(.constant, l.shape, l.values, name: nil, range: e.range)
                case .failure(let f):
                    error(f.message, at: f.range)
                    skipUses(in: arguments)
                    return nil
                }
            }
            if name == "grad" { return lowerGrad(arguments, nameRange: nameRange, whole: e.range) }
            if name == "one_hot" { return lowerOneHot(arguments, nameRange: nameRange, whole: e.range) }
            if let layer = LayerFunction(name: name, arguments: arguments) {
                return lowerLayer(layer, arguments, nameRange: nameRange, whole: e.range)
            }
            if let convolution = ConvolutionFunction(rawValue: name) {
                return lowerConvolution(convolution, arguments, nameRange: nameRange, whole: e.range)
            }
            if let keyword {
                error("\(name) takes no keyword arguments", at: keyword.range,
                      hint: LayerFunction.keywordHint(for: keyword.keywordName ?? ""))
                skipUses(in: arguments)
                return nil
            }
            let functions = (Array(Op.functions.keys) + ProbabilitySugar.allCases.map(\.rawValue)
                + Initialiser.allCases.map(\.rawValue)).sorted()
            var hint = "functions: " + functions.joined(separator: ", ")
            // The layers are suggested too, though the list (kept to one line) names only ops.
            let layers = LayerFunction.allCases.map(\.rawValue) + ConvolutionFunction.allCases.map(\.rawValue)
            if let s = suggestion(for: name, among: functions + layers + groups.functionIndex.keys.sorted()) { hint = "did you mean '\(s)'?" }
            error("unknown function '\(name)'", at: nameRange, hint: hint)
            skipUses(in: arguments)
            return nil
        case .index(let base, let subscripts):
            if subscripts.contains(where: Self.isIndexTensor) { return lowerGather(base, subscripts, whole: e.range) }
            return lowerIndex(base, subscripts, whole: e.range)
        case .slice:
            // Only a subscript holds one, and `lowerIndex` reads it there.
            error("a slice outside a subscript", at: e.range, hint: "slices go in brackets after a value: x[1:3]")
            skipUses(in: [e])
            return nil
        case .keyword(_, let nameRange, let value):
            // Only a call's argument list holds one, and `lowerLayer` reads it there.
            error("a keyword argument outside a call", at: nameRange)
            skipUses(in: [value])
            return nil
        case .tensor(let elements):
            skipUses(in: elements)
            switch Literal.evaluate(e, shapesOnly: builder.shapesOnly) {
            case .success(let l): return leaf(.constant, l.shape, l.values, name: nil, range: e.range)
            case .failure(let f):
                error(f.message, at: f.range, hint: "tensor literals hold numbers; combine named values with operators instead")
                return nil
            }
        }
    }

    /// The tape's op for an infix operator.
    static func tapeOp(_ op: BinaryOperator) -> Op {
        switch op {
        case .add: .add
        case .subtract: .sub
        case .multiply: .mul
        case .divide: .div
        case .matmul: .matmul
        case .power: .pow
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .equal: .equal
        case .notEqual: .notEqual
        }
    }

    mutating func apply(_ op: Op, _ a: NodeID, _ b: NodeID?, at range: SourceRange, whole: SourceRange? = nil) -> NodeID? {
        do {
            let node = try builder.apply(op, a, b)
            ranges.append(whole ?? range)
            return node
        } catch {
            // Shapes the kernels do not broadcast but NumPy does: expanded first (Lowering+Broadcast.swift).
            if op.kind == .binary, let b, let (x, y) = broadcastAcrossRanks(op, a, b, at: range, whole: whole),
               let node = try? builder.apply(op, x, y) {
                ranges.append(whole ?? range)
                return node
            }
            let operands = b.map { [a, $0] } ?? [a]
            self.error(error.description, at: range,
                       hint: "shapes: " + operands.map { builder.shape(of: $0).description }.joined(separator: " and "))
            return nil
        }
    }

    /// A leaf node, or nil (with an error at `range`) when its values would take the graph
    /// past `Limits`.
    mutating func leaf(_ op: Op, _ shape: Shape, _ values: [Double], name: String?, range: SourceRange?) -> NodeID? {
        do {
            try builder.checkSize(of: shape)
        } catch {
            self.error(error.description, at: range ?? SourceRange(at: .start),
                       hint: "split the work into smaller tensors; the README's Limits section lists every limit")
            return nil
        }
        ranges.append(range)
        return builder.leaf(op, shape, values, name: name)
    }

    /// Calls `body` with each name used in an expression (not function names) and its range,
    /// in source order. The recursion is bounded by `Parser.maximumHeight`.
    static func forEachName(in e: Expr, _ body: (String, SourceRange) -> Void) {
        switch e.kind {
        case .number: break
        case .name(let name): body(name, e.range)
        case .unary(_, let operand): forEachName(in: operand, body)
        case .binary(_, let lhs, let rhs, _):
            forEachName(in: lhs, body)
            forEachName(in: rhs, body)
        case .call(_, _, let children), .tensor(let children):
            for child in children { forEachName(in: child, body) }
        case .keyword, .index, .slice:
            for child in e.kind.children { forEachName(in: child, body) }
        }
    }

    /// Steps `nextUse` past the names of expressions that are not lowered.
    mutating func skipUses(in expressions: [Expr]) {
        for e in expressions { Self.forEachName(in: e) { _, _ in nextUse += 1 } }
    }

    static func names(in e: Expr) -> [(name: String, range: SourceRange)] {
        var out: [(String, SourceRange)] = []
        forEachName(in: e) { out.append(($0, $1)) }
        return out
    }

    /// The statement index of the definition of `name`, if it has one.
    func definition(of name: String) -> Int? {
        guard let id = programNames.table.id(of: name) else { return nil }
        let k = definitionOf[Int(id)]
        return k >= 0 ? k : nil
    }

    /// The node a name stands for: its definition's, or a free input's.
    private func node(named name: String) -> NodeID? {
        if let k = definition(of: name) { return statementNodes[k] }
        return freeInputs.isEmpty ? nil : freeInputs[name]
    }

    private mutating func function(named name: String) -> Op? {
        if let known = calledFunctions.first(where: { $0.name == name }) { return known.op }
        guard let op = Op.functions[name] else { return nil }
        calledFunctions.append((name, op))
        return op
    }

    /// Every defined name and its statement index, in source order.
    private var definitions: [(name: String, statement: Int)] {
        statements.indices.compactMap { k in isDefinition[k] ? statements[k].name.map { ($0, k) } : nil }
    }

    /// Every name that stands for a node, with the node, in a fixed order: definitions in
    /// source order, then free inputs by name. A dictionary's order changes from run to run;
    /// this one makes a "did you mean" tie go to the name defined first, every time.
    private var namedNodes: [(name: String, node: NodeID)] {
        definitions.compactMap { name, k in statementNodes[k].map { (name, $0) } }
            + freeInputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Every name defined (in source order), then an expression's free inputs: the candidates
    /// for "did you mean".
    private var knownNames: [String] {
        definitions.map(\.name) + freeInputs.keys.sorted()
    }

    mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
        collector.append(.error, message, at: range, hint: hint)
    }

    // MARK: - Result

    /// A `--set` that named nothing, as a message with a suggestion.
    func unusedOverride() -> String? {
        for name in overrides.keys.sorted() where !usedOverrides.contains(name) {
            let leaves = namedNodes.filter { builder.op(of: $0.node).kind == .leaf }.map(\.name).sorted()
            var text = "--set \(name): there is no input, param or const named '\(name)'"
            if let s = suggestion(for: name, among: leaves) { text += "; did you mean '\(s)'?" }
            else if !leaves.isEmpty { text += " (leaves: \(leaves.joined(separator: ", ")))" }
            return text
        }
        return nil
    }

    /// The tape, with the output chosen by `output NAME` or else the last assignment or bare
    /// expression.
    mutating func finish(graphName: String) -> Graph? {
        var output: NodeID?
        var outputName = "y"
        var declared: [(name: String, node: NodeID)] = []
        if let k = statements.indices.first(where: { statements[$0].kind == .output }) {
            for j in k..<statements.count where statements[j].kind == .output && statements[j].range == statements[k].range {
                guard let name = statements[j].name, let range = statements[j].nameRange else { continue }
                guard let node = node(named: name) else {
                    let hint = suggestion(for: name, among: namedNodes.map(\.name)).map { "did you mean '\($0)'?" }
                    error("unknown output '\(name)'", at: range, hint: hint)
                    return nil
                }
                declared.append((name, node))
            }
            guard let first = declared.first else { return nil }
            (output, outputName) = (first.node, first.name)
        } else if let k = statements.indices.last(where: { statements[$0].kind == .assignment || statements[$0].kind == .expression }) {
            let s = statements[k]
            if s.kind == .assignment, let name = s.name, let node = node(named: name) {
                (output, outputName) = (node, name)
            } else if s.kind == .expression, let node = statementNodes[k] {
                outputName = ["y", "f", "out", "result"].first { self.node(named: $0) == nil } ?? "output"
                if builder.op(of: node).kind != .leaf || builder.isFolded(node) { builder.setName(node, outputName) }
                output = node
            }
        }
        guard let output else {
            let end = SourceRange(at: statements.last?.range.end ?? .start)
            error("nothing to differentiate", at: end, hint: "add an assignment such as 'y = x^2', or 'output NAME'")
            return nil
        }
        // The symbols by built node, read from the statements before they go: without `group`
        // blocks nothing past this point reads a statement, and the room they free (the
        // largest array loading holds) is reused by the tape about to be laid out (issue 23).
        var symbolNames: [String] = [], symbolBuilt: [Int] = []
        symbolNames.reserveCapacity(definitionCount + freeInputs.count)
        symbolBuilt.reserveCapacity(definitionCount + freeInputs.count)
        for k in statements.indices where isDefinition[k] {
            if let name = statements[k].name, let node = statementNodes[k] {
                symbolNames.append(name)
                symbolBuilt.append(node.raw)
            }
        }
        for (name, node) in freeInputs {
            symbolNames.append(name)
            symbolBuilt.append(node.raw)
        }
        if program.groups.isEmpty {
            statements = []
            if releasedTrees >= Self.statementsPerTrim { Self.returnFreedPages() }
        }
        let (tape, order) = builder.finish(output: output)
        var tapeRanges = [SourceRange?](repeating: nil, count: tape.count)
        for (id, i) in order.enumerated() { tapeRanges[i] = ranges[id] }
        ranges = []
        let symbolNodes = symbolBuilt.map { order[$0] }
        var graph = Graph(name: graphName, tape: tape, outputName: outputName, source: file,
                          ranges: tapeRanges, symbolNames: symbolNames, symbolNodes: symbolNodes)
        graph.dataSets = dataSets
        graph.outputs = declared.isEmpty ? [(outputName, tape.output)] : declared.map { ($0.name, order[$0.node.raw]) }
        guard let groups = nodeGroups(tape: tape, order: order) else { return nil }
        graph.groups = groups
        return graph
    }
}
