import GraphCore

/// Writes every `for` loop of a parsed program out: the body once per iteration, the loop
/// variable replaced by the iteration's number, a name assigned in the body renamed per
/// iteration (`h` → `h@t=2`), each iteration a `group` block named `t=2`, and the names the
/// statements after the loop use renamed to the last iteration's values. The result has no
/// loops left for the lowering (see Parser+Loops.swift for the language's rules).
///
/// ```
/// h = h0                                  h = h0
/// for t in 0..<2 {                        group t=0 { h@t=0 = tanh(W @ h + x[0]) }
///     h = tanh(W @ h + x[t])      →       group t=1 { h@t=1 = tanh(W @ h@t=0 + x[1]) }
/// }                                       y = sum(h@t=1)
/// y = sum(h)
/// ```
/// The size is bounded before anything is written out: at most `maximumIterations`
/// iterations, and at most `Limits.maximumExpandedNodes` expression nodes in all (the bound
/// on `def` calls written out).
struct LoopUnrolling {
    static let maximumIterations = 10_000

    var program: Program
    var names: ProgramNames
    var collector = DiagnosticCollector()
    /// The latest value of each name a loop assigned, for the statements after it.
    private var current: [String: String] = [:]
    /// The loop that assigned each name in `current`.
    private var assignedBy: [String: LoopBlock] = [:]

    init(program: Program, names: ProgramNames) {
        self.program = program
        self.names = names
    }

    mutating func run() -> (Program, ProgramNames) {
        let old = program.statements
        var defining: [String: Statement] = [:]
        for s in old where s.kind != .output && s.kind != .expression {
            if let name = s.name, defining[name] == nil { defining[name] = s }
        }
        var groupNames = Set(program.groups.map(\.name))
        var statements: [Statement] = []
        var newIndex = [Int](repeating: 0, count: old.count + 1)
        var loops: [LoopBlock] = []
        var groups: [GroupBlock] = []
        var k = 0, nextLoop = 0
        while k < old.count {
            if nextLoop < program.loops.count, program.loops[nextLoop].statements.lowerBound == k {
                var loop = program.loops[nextLoop]
                nextLoop += 1
                for j in loop.statements { newIndex[j] = statements.count }
                let first = statements.count
                if let iterations = check(loop, defining: defining) {
                    writeOut(loop, iterations, into: &statements, groups: &groups, groupNames: &groupNames)
                    loop.iterations = iterations
                }
                k = loop.statements.upperBound
                loop.statements = first ..< statements.count
                loops.append(loop)
                continue
            }
            newIndex[k] = statements.count
            statements.append(afterLoops(old[k], defining: defining))
            k += 1
        }
        newIndex[old.count] = statements.count
        // Groups never hold a loop, so a block's statements stay one run.
        for block in program.groups {
            var moved = block
            moved.statements = newIndex[block.statements.lowerBound] ..< newIndex[block.statements.upperBound]
            groups.append(moved)
        }
        groups.sort { $0.statements.lowerBound < $1.statements.lowerBound }
        let unrolled = Program(statements: statements, groups: groups, functions: program.functions, loops: loops)
        return (unrolled, renumbered(unrolled))
    }

    // MARK: - Checks

    /// The values the loop's variable takes, or nil (with errors) when the loop is wrong.
    private mutating func check(_ loop: LoopBlock, defining: [String: Statement]) -> Range<Int>? {
        let lower = bound(loop.lower, at: loop.lowerRange, defining: defining)
        let upper = bound(loop.upper, at: loop.upperRange, defining: defining)
        var ok = true
        if let s = defining[loop.variable] {
            error("the loop variable '\(loop.variable)' is also a name defined on line \(s.range.start.line)", at: loop.variableRange,
                  hint: "give the loop variable a name of its own, e.g. 'for i in …'")
            ok = false
        }
        var assigned: [String: Int] = [:]
        for s in program.statements[loop.statements] {
            guard s.kind == .assignment, let name = s.name, let range = s.nameRange else {
                let what = s.kind.keyword.map { "'\($0)'" } ?? "a bare expression"
                error("\(what) inside a loop: a loop's body holds assignments, e.g. 'h = tanh(W @ h)'", at: s.range,
                      hint: s.kind == .expression ? "name it: 'v = …'" : "write it before the loop")
                ok = false
                continue
            }
            if name == loop.variable {
                error("the loop variable '\(name)' cannot be assigned", at: range,
                      hint: "it counts the iterations; assign another name")
                ok = false
            } else if let line = assigned[name] {
                error("'\(name)' is assigned twice in the loop's body", at: range,
                      hint: "first assigned on line \(line); give this one another name")
                ok = false
            } else if let s = defining[name], s.kind != .assignment {
                error("'\(name)' is \(s.kind == .input ? "an" : "a") \(s.kind.rawValue) and cannot be assigned in a loop", at: range,
                      hint: "copy it under another name before the loop ('\(name)_ = \(name)') and assign the copy in the loop")
                ok = false
            }
            assigned[name] = range.start.line
        }
        guard ok, let lower, let upper else { return nil }
        let count = upper - lower
        guard count > 0 else {
            error("the loop over '\(loop.variable)' runs no iterations (\(lower)..<\(upper))", at: loop.upperRange,
                  hint: "the upper bound is left out: 'for \(loop.variable) in 0..<4' runs \(loop.variable) = 0, 1, 2, 3")
            return nil
        }
        var bodyNodes = 0.0
        for s in program.statements[loop.statements] { bodyNodes += s.expression.map(Self.nodeCount) ?? 0 }
        let total = bodyNodes * Double(count)
        guard count <= Self.maximumIterations, total <= Double(Limits.maximumExpandedNodes) else {
            error("written out, the loop over '\(loop.variable)' makes \(Limits.grouped(count)) iterations of \(Limits.grouped(Int(bodyNodes))) nodes; a loop may run at most \(Limits.grouped(Self.maximumIterations)) times and make at most \(Limits.grouped(Limits.maximumExpandedNodes)) nodes",
                  at: loop.upperRange,
                  hint: "a loop is written out once per iteration, so every step can be shown; run it fewer times")
            return nil
        }
        return lower ..< upper
    }

    /// A loop bound's value: an integer written out, or a `const` holding one.
    private mutating func bound(_ bound: LoopBlock.Bound, at range: SourceRange, defining: [String: Statement]) -> Int? {
        let value: Double
        switch bound {
        case .number(let x):
            value = x
        case .name(let name):
            guard let s = defining[name] else {
                error("unknown loop bound '\(name)'", at: range, hint: "define it as a const, e.g. 'const \(name) = 4'")
                return nil
            }
            guard s.kind == .const, let e = s.expression, case .number(let x) = e.kind else {
                error("the loop bound '\(name)' must be a const integer", at: range,
                      hint: "'\(name)' on line \(s.range.start.line) is not 'const \(name) = <integer>'; the loop is written out before anything is computed")
                return nil
            }
            value = x
        }
        guard value == value.rounded(), abs(value) <= 1e9 else {
            error("a loop bound must be a whole number", at: range, hint: "write e.g. 'for t in 0..<4'")
            return nil
        }
        return Int(value)
    }

    /// The loop variables of every loop, for uses outside them.
    private var loopVariables: [String: LoopBlock] {
        var variables: [String: LoopBlock] = [:]
        for loop in program.loops where variables[loop.variable] == nil { variables[loop.variable] = loop }
        return variables
    }

    /// A statement outside every loop, its names renamed to the latest values the loops
    /// before it assigned.
    private mutating func afterLoops(_ s: Statement, defining: [String: Statement]) -> Statement {
        var s = s
        if s.kind == .assignment, let name = s.name, let loop = assignedBy[name], let range = s.nameRange {
            error("'\(name)' is assigned in the loop on line \(loop.range.start.line), and again after it", at: range,
                  hint: "after the loop '\(name)' is the last iteration's value; give this one another name")
        }
        if s.kind == .output, let name = s.name, let latest = current[name] { s.name = latest }
        guard let e = s.expression else { return s }
        let variables = loopVariables
        for (name, range) in Lowering.names(in: e) where defining[name] == nil {
            if let loop = variables[name] {
                error("'\(name)' is the variable of the loop on line \(loop.range.start.line); it exists only inside that loop", at: range,
                      hint: "use it between the loop's braces, or name the value you need in the loop")
            }
        }
        guard !current.isEmpty else { return s }
        s.expression = rewrite(e) { current[$0].map(Expr.Kind.name) }.expr
        return s
    }

    // MARK: - Writing out

    private mutating func writeOut(_ loop: LoopBlock, _ iterations: Range<Int>, into statements: inout [Statement],
                                   groups: inout [GroupBlock], groupNames: inout Set<String>) {
        let body = Array(program.statements[loop.statements])
        for i in iterations {
            var group = "\(loop.variable)=\(i)"
            if groupNames.contains(group) { group += "@line\(loop.range.start.line)" }
            groupNames.insert(group)
            let first = statements.count
            var thisIteration: [String: String] = [:]
            for s in body {
                guard let name = s.name, let e = s.expression else { continue }
                let value = Double(i)
                let rewritten = rewrite(e) { used in
                    if used == loop.variable { return .number(value) }
                    if let latest = thisIteration[used] ?? current[used] { return .name(latest) }
                    return nil
                }.expr
                var copy = s
                copy.name = "\(name)@\(group)"
                copy.expression = rewritten
                thisIteration[name] = copy.name
                statements.append(copy)
            }
            for (name, latest) in thisIteration {
                current[name] = latest
                assignedBy[name] = loop
            }
            groups.append(GroupBlock(name: group, nameRange: loop.variableRange, range: loop.range,
                                     statements: first ..< statements.count))
        }
    }

    /// `e` with each name `rename` gives a replacement for replaced, and arithmetic on numbers
    /// only (`t + 1` once `t` is 2) worked out, so `x[t + 1]` is a subscript written out.
    /// The recursion is bounded by `Parser.maximumHeight`.
    private func rewrite(_ e: Expr, _ rename: (String) -> Expr.Kind?) -> (expr: Expr, changed: Bool) {
        func children(_ list: [Expr]) -> ([Expr], Bool) {
            var changed = false
            let out = list.map { child in
                let (c, ch) = rewrite(child, rename)
                changed = changed || ch
                return c
            }
            return (out, changed)
        }
        switch e.kind {
        case .number:
            return (e, false)
        case .name(let name):
            guard let replacement = rename(name) else { return (e, false) }
            return (Expr(replacement, range: e.range), true)
        case .unary(let op, let operand):
            let (a, changed) = rewrite(operand, rename)
            guard changed else { return (e, false) }
            if case .number(let x) = a.kind { return (Expr(.number(op == .negate ? -x : x), range: e.range), true) }
            return (Expr(.unary(op, a), range: e.range), true)
        case .binary(let op, let lhs, let rhs, let operatorRange):
            let (a, ca) = rewrite(lhs, rename), (b, cb) = rewrite(rhs, rename)
            guard ca || cb else { return (e, false) }
            if case .number(let x) = a.kind, case .number(let y) = b.kind {
                switch op {
                case .add: return (Expr(.number(x + y), range: e.range), true)
                case .subtract: return (Expr(.number(x - y), range: e.range), true)
                case .multiply: return (Expr(.number(x * y), range: e.range), true)
                default: break
                }
            }
            return (Expr(.binary(op, a, b, operatorRange: operatorRange), range: e.range), true)
        case .call(let name, let nameRange, let arguments):
            let (list, changed) = children(arguments)
            return changed ? (Expr(.call(name: name, nameRange: nameRange, arguments: list), range: e.range), true) : (e, false)
        case .tensor(let elements):
            let (list, changed) = children(elements)
            return changed ? (Expr(.tensor(list), range: e.range), true) : (e, false)
        case .keyword(let name, let nameRange, let value):
            let (v, changed) = rewrite(value, rename)
            return changed ? (Expr(.keyword(name: name, nameRange: nameRange, value: v), range: e.range), true) : (e, false)
        case .index(let base, let subscripts):
            let (b, cb) = rewrite(base, rename)
            let (list, cs) = children(subscripts)
            return cb || cs ? (Expr(.index(b, subscripts: list), range: e.range), true) : (e, false)
        case .slice(let start, let stop):
            let a = start.map { rewrite($0, rename) }, b = stop.map { rewrite($0, rename) }
            guard a?.changed == true || b?.changed == true else { return (e, false) }
            return (Expr(.slice(start: a?.expr, stop: b?.expr), range: e.range), true)
        }
    }

    /// The nodes of an expression tree.
    private static func nodeCount(_ e: Expr) -> Double {
        e.kind.children.reduce(1) { $0 + nodeCount($1) }
    }

    /// The program's names numbered again, for the statements as written out.
    private mutating func renumbered(_ program: Program) -> ProgramNames {
        var table = names.table
        func id(_ name: String) -> Int32 { table.intern(Array(name.utf8)[...]) }
        var defined: [Int32] = [], uses: [Int32] = [], useStart: [Int] = [0]
        defined.reserveCapacity(program.statements.count)
        for s in program.statements {
            defined.append(s.name.map(id) ?? -1)
            if let e = s.expression {
                Lowering.forEachName(in: e) { name, _ in uses.append(id(name)) }
            }
            useStart.append(uses.count)
        }
        return ProgramNames(table: table, defined: defined, uses: uses, useStart: useStart)
    }

    private mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
        collector.append(.error, message, at: range, hint: hint)
    }
}
