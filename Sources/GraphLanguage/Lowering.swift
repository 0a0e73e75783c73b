import GraphCore

/// Resolves a parsed program into tape nodes. Statements may come in any order: they are
/// lowered in dependency order (Kahn's algorithm, iterative, so a 100,000-statement chain needs
/// no deep recursion), and whatever is left over lies on or behind a cycle, which is reported
/// by name: `cycle: a → b → a`.
struct Lowering {
    let file: SourceFile
    let program: Program
    let mode: GraphLoader.Mode
    let overrides: [String: (values: [Double], shape: Shape)]
    private(set) var diagnostics: [Diagnostic] = []

    private var builder = TapeBuilder()
    private var ranges: [SourceRange?] = []
    /// The node each name stands for.
    private var nodes: [String: NodeID] = [:]
    /// Names whose statement failed: uses of them are not reported again.
    private var failed: Set<String> = []
    /// Statement index of each name's definition.
    private var definitions: [String: Int] = [:]
    private var usedOverrides: Set<String> = []
    /// The node of each bare expression statement.
    private var bareNodes: [Int: NodeID] = [:]

    init(file: SourceFile, program: Program, mode: GraphLoader.Mode,
         overrides: [String: (values: [Double], shape: Shape)]) {
        self.file = file
        self.program = program
        self.mode = mode
        self.overrides = overrides
    }

    private var statements: [Statement] { program.statements }

    // MARK: - Passes

    mutating func run() {
        collectDefinitions()
        lowerLeaves()
        if mode == .expression { addFreeInputs() }
        lowerInDependencyOrder()
    }

    private mutating func collectDefinitions() {
        for (k, s) in statements.enumerated() where s.kind != .output && s.kind != .expression {
            guard let name = s.name, let range = s.nameRange else { continue }
            if let first = definitions[name] {
                let line = statements[first].nameRange?.start.line ?? 0
                error("'\(name)' is defined twice", at: range, hint: "first defined on line \(line); give this one another name")
                continue
            }
            if Op.functions[name] != nil && s.kind == .assignment {
                // Allowed, but worth a word: the name still works as a value.
                diagnostics.append(.warning("'\(name)' is also a function name", at: range))
            }
            definitions[name] = k
        }
    }

    private mutating func lowerLeaves() {
        for (k, s) in statements.enumerated() {
            let op: Op
            switch s.kind {
            case .input: op = .input
            case .param: op = .param
            case .const: op = .constant
            default: continue
            }
            guard let name = s.name, definitions[name] == k, let e = s.expression else { continue }
            var literal: (values: [Double], shape: Shape)
            switch Literal.evaluate(e) {
            case .success(let l): literal = l
            case .failure(let f):
                error("the value of \(s.kind.rawValue) '\(name)' must be a literal: \(f.message)", at: f.range,
                      hint: "write a number such as 2 or -0.5, or a tensor such as [1, 2] or [[1, 2], [3, 4]]")
                failed.insert(name)
                continue
            }
            if let o = overrides[name] {
                literal = o
                usedOverrides.insert(name)
            }
            nodes[name] = leaf(op, literal.shape, literal.values, name: name, range: s.nameRange)
        }
    }

    /// In an expression, names used but not defined are inputs, in order of first use.
    private mutating func addFreeInputs() {
        var seen: Set<String> = []
        for s in statements {
            guard let e = s.expression else { continue }
            for (name, range) in names(in: e) where definitions[name] == nil && !seen.contains(name) {
                seen.insert(name)
                guard let o = overrides[name] else {
                    error("no value for input '\(name)'", at: range, hint: "give it one with --set \(name)=VALUE")
                    failed.insert(name)
                    continue
                }
                usedOverrides.insert(name)
                nodes[name] = leaf(.input, o.shape, o.values, name: name, range: range)
            }
        }
    }

    private mutating func lowerInDependencyOrder() {
        let computed = statements.indices.filter { statements[$0].kind == .assignment || statements[$0].kind == .expression }
        var dependents: [Int: [Int]] = [:]
        var waiting: [Int: Int] = [:]
        for k in computed {
            guard let e = statements[k].expression else { continue }
            var deps: Set<Int> = []
            for (name, _) in names(in: e) {
                if let d = definitions[name], statements[d].kind == .assignment { deps.insert(d) }
            }
            waiting[k] = deps.count
            for d in deps { dependents[d, default: []].append(k) }
        }
        var ready = computed.filter { waiting[$0] == 0 }
        var head = 0
        while head < ready.count {
            let k = ready[head]
            head += 1
            lower(statement: k)
            for c in dependents[k] ?? [] {
                waiting[c]! -= 1
                if waiting[c] == 0 { ready.append(c) }
            }
        }
        if ready.count < computed.count {
            let stuck = computed.filter { waiting[$0]! > 0 }
            reportCycles(among: stuck)
            // Still look inside the stuck statements for other mistakes (an unknown function);
            // names on the cycle resolve to nothing there, silently.
            for k in stuck { if let e = statements[k].expression { _ = lower(e) } }
        }
    }

    private mutating func lower(statement k: Int) {
        let s = statements[k]
        guard let e = s.expression else { return }
        let node = lower(e)
        switch s.kind {
        case .assignment:
            guard let name = s.name, definitions[name] == k else { return }
            if let node {
                nodes[name] = node
                if builder.op(of: node).kind != .leaf { builder.setName(node, name) }
            } else {
                failed.insert(name)
            }
        case .expression:
            if let node { bareNodes[k] = node }
        default: break
        }
    }

    /// Names a cycle for each group of statements left waiting on one another.
    private mutating func reportCycles(among stuck: [Int]) {
        let stuckSet = Set(stuck)
        var reported: Set<Int> = []
        for start in stuck where !reported.contains(start) {
            var path: [Int] = []
            var position: [Int: Int] = [:]
            var k = start
            while position[k] == nil && !reported.contains(k) {
                position[k] = path.count
                path.append(k)
                guard let e = statements[k].expression,
                      let next = names(in: e).compactMap({ definitions[$0.name] }).first(where: stuckSet.contains)
                else { break }
                k = next
            }
            guard let at = position[k], !reported.contains(k) else {
                reported.formUnion(path)
                continue
            }
            let cycle = Array(path[at...])
            reported.formUnion(path)
            let first = cycle.min()!
            let rotated = Array(cycle[cycle.firstIndex(of: first)!...] + cycle[..<cycle.firstIndex(of: first)!])
            let text = (rotated + [first]).compactMap { statements[$0].name }.joined(separator: " → ")
            let range = statements[first].nameRange ?? statements[first].range
            error("cycle: \(text)", at: range, hint: "a value cannot depend on itself; rename one of them or break the loop")
        }
    }

    // MARK: - Expressions

    private mutating func lower(_ e: Expr) -> NodeID? {
        switch e.kind {
        case .number(let x):
            return leaf(.constant, .scalar, [x], name: nil, range: e.range)
        case .name(let name):
            if let node = nodes[name] { return node }
            if failed.contains(name) { return nil }
            if let k = definitions[name], statements[k].kind == .assignment { return nil }  // on a cycle
            var hint = "define it, e.g. 'input \(name) = 1'"
            if let s = suggestion(for: name, among: knownNames) { hint = "did you mean '\(s)'?" }
            error("unknown name '\(name)'", at: e.range, hint: hint)
            failed.insert(name)
            return nil
        case .unary(let op, let inner):
            if case .number(let x) = inner.kind {
                return leaf(.constant, .scalar, [op == .negate ? -x : x], name: nil, range: e.range)
            }
            guard let a = lower(inner) else { return nil }
            return op == .negate ? apply(.neg, [a], at: e.range) : a
        case .binary(let op, let lhs, let rhs, let operatorRange):
            let a = lower(lhs), b = lower(rhs)
            guard let a, let b else { return nil }
            let table: [BinaryOperator: Op] = [.add: .add, .subtract: .sub, .multiply: .mul, .divide: .div,
                                                .matmul: .matmul, .power: .pow]
            return apply(table[op]!, [a, b], at: operatorRange, whole: e.range)
        case .call(let name, let nameRange, let arguments):
            guard let op = Op.functions[name] else {
                let functions = Op.functions.keys.sorted()
                var hint = "functions: " + functions.joined(separator: ", ")
                if let s = suggestion(for: name, among: functions) { hint = "did you mean '\(s)'?" }
                error("unknown function '\(name)'", at: nameRange, hint: hint)
                return nil
            }
            guard arguments.count == op.arity else {
                let plural = op.arity == 1 ? "argument" : "arguments"
                error("\(name) takes \(op.arity) \(plural), got \(arguments.count)", at: e.range)
                return nil
            }
            let lowered = arguments.map { lower($0) }
            let operands = lowered.compactMap { $0 }
            guard operands.count == lowered.count else { return nil }
            return apply(op, operands, at: nameRange, whole: e.range)
        case .tensor:
            switch Literal.evaluate(e) {
            case .success(let l): return leaf(.constant, l.shape, l.values, name: nil, range: e.range)
            case .failure(let f):
                error(f.message, at: f.range, hint: "tensor literals hold numbers; combine named values with operators instead")
                return nil
            }
        }
    }

    private mutating func apply(_ op: Op, _ operands: [NodeID], at range: SourceRange, whole: SourceRange? = nil) -> NodeID? {
        do {
            let node = try builder.apply(op, operands)
            ranges.append(whole ?? range)
            return node
        } catch {
            self.error(error.description, at: range,
                       hint: "shapes: " + operands.map { builder.shape(of: $0).description }.joined(separator: " and "))
            return nil
        }
    }

    private mutating func leaf(_ op: Op, _ shape: Shape, _ values: [Double], name: String?, range: SourceRange?) -> NodeID {
        ranges.append(range)
        return builder.leaf(op, shape, values, name: name)
    }

    /// Every name defined, in source order, then an expression's free inputs: the candidates
    /// for "did you mean". A fixed order (not a dictionary's, which changes from run to run)
    /// makes a tie go to the name defined first, every time.
    private var knownNames: [String] {
        definitions.sorted { $0.value < $1.value }.map(\.key) + nodes.keys.filter { definitions[$0] == nil }.sorted()
    }

    /// Names used in an expression (not function names), with their ranges, in source order.
    private func names(in e: Expr) -> [(name: String, range: SourceRange)] {
        var out: [(String, SourceRange)] = []
        var stack = [e]
        while let x = stack.popLast() {
            if case .name(let n) = x.kind { out.append((n, x.range)) }
            stack.append(contentsOf: x.kind.children.reversed())
        }
        return out
    }

    private mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(.error(message, at: range, hint: hint))
    }

    // MARK: - Result

    /// A `--set` that named nothing, as a message with a suggestion.
    func unusedOverride() -> String? {
        for name in overrides.keys.sorted() where !usedOverrides.contains(name) {
            let leaves = nodes.keys.filter { builder.op(of: nodes[$0]!).kind == .leaf }.sorted()
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
        if let s = statements.last(where: { $0.kind == .output }), let name = s.name, let range = s.nameRange {
            guard let node = nodes[name] else {
                let hint = suggestion(for: name, among: knownNames.filter { nodes[$0] != nil }).map { "did you mean '\($0)'?" }
                error("unknown output '\(name)'", at: range, hint: hint)
                return nil
            }
            (output, outputName) = (node, name)
        } else if let k = statements.indices.last(where: { statements[$0].kind == .assignment || statements[$0].kind == .expression }) {
            let s = statements[k]
            if s.kind == .assignment, let name = s.name, let node = nodes[name] {
                (output, outputName) = (node, name)
            } else if let node = bareNodes[k] {
                outputName = ["y", "f", "out", "result"].first { nodes[$0] == nil } ?? "output"
                if builder.op(of: node).kind != .leaf { builder.setName(node, outputName) }
                output = node
            }
        }
        guard let output else {
            let end = SourceRange(at: statements.last?.range.end ?? .start)
            error("nothing to differentiate", at: end, hint: "add an assignment such as 'y = x^2', or 'output NAME'")
            return nil
        }
        let (tape, order) = builder.finish(output: output)
        var tapeRanges = [SourceRange?](repeating: nil, count: tape.count)
        for (id, i) in order.enumerated() { tapeRanges[i] = ranges[id] }
        let symbols = nodes.mapValues { order[$0.raw] }
        return Graph(name: graphName, tape: tape, outputName: outputName, source: file,
                     ranges: tapeRanges, symbols: symbols)
    }
}
