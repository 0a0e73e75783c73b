import GraphCore

/// Loads a program written in order in one pass, without a syntax tree: each statement is
/// read as a handful of tokens and handed straight to the tape builder (issue 21, issue 23).
///
/// Most large files are made of statements of a few fixed forms, each using only names
/// defined above it (`gradstep generate` writes nothing else):
/// ```
/// input x0 = 0.5          # input, param or const, with a number (or -number)
/// v1 = x0 + x1            # operand OP operand, any infix operator or comparison
/// v2 = sin(v1)            # an op called with one or two operands
/// v3 = -v2                # a negated operand, or a number
/// output v3               # once, anywhere
/// ```
/// where an operand is a number or an already defined name. At the first statement of any
/// other form (a forward reference, a `group`, `def` or `for`, a tensor, a parenthesis, a
/// second name for one node, a name defined twice, anything wrong) `load` gives up and the
/// caller loads the whole file the usual way (`Parser` then `Lowering`), so diagnostics and
/// every other feature come from that one place.
///
/// The graph is the one the usual way builds, entry for entry: `Lowering` makes the leaves
/// first and then each statement's nodes in dependency order (Kahn's, first in first out),
/// and `TapeBuilder.finish` breaks ties of depth by the order nodes were added in. So the
/// nodes are built here in source order, the dependency order is worked out afterwards from
/// each statement's (at most two) dependencies, and `finish` is given the order the usual
/// way would have added them in. `SinglePassLoaderTests` compares the two on random programs.
struct SinglePassLoader {
    private var lexer: Lexer
    private var builder = TapeBuilder()
    /// The source range of each built node, by node id: every node here has one, so not
    /// optional (24 bytes a node rather than 28 while the file is read).
    private var ranges: [SourceRange] = []
    /// The definition of each name, by name id: the index of its assignment (≥ 0), or
    /// −2 − node for a declaration's leaf, or −1 for a name not defined so far.
    private var definitionOfName: [Int32] = []
    /// Every definition's node in source order (the graph's symbols). Its name is the node's
    /// name, except for an assignment of a number (`v = 2`), whose constant goes unnamed as
    /// in the lowering: those names are in `constantNames`, by symbol index. No `String` a
    /// statement is held while reading; they are made once the lexer is gone.
    private var symbolNodes: [Int32] = []
    private var constantNames: [Int: String] = [:]
    /// The node of each declaration, in source order.
    private var leafNodes: [Int32] = []
    /// Each assignment's first node, how many it made (its inline numbers, the result, a fold),
    /// and the assignments it uses (-1: none), by assignment index.
    private var firstNode: [Int32] = []
    private var nodeCount: [UInt8] = []
    private var firstDependency: [Int32] = []
    private var secondDependency: [Int32] = []
    /// The symbol of the last assignment, the default output.
    private var lastAssignment = -1
    /// The name of `output NAME`, resolved at the end (it may come before its definition).
    private var output: Lexeme?
    /// The tokens of the statement being read: the longest form, `v = f(a, b)`, has eight.
    /// Read and written through a pointer (no array's uniqueness check per token); the
    /// buffer is `tokenStorage`'s, which lives as long as this.
    private let tokenStorage = TokenStorage(capacity: Self.longestStatement)
    private let tokens: UnsafeMutablePointer<Lexeme>
    private var tokenCount = 0
    private static let longestStatement = 8
    /// `NameTable.firstPlainName`, `NameTable.functions` and the first function's id, held
    /// here (a static is a lazy global, checked at every use).
    private let firstPlainName = NameTable.firstPlainName
    private let functions = NameTable.functions
    private let firstFunction = Int32(NameTable.keywords.count)

    private init(_ file: SourceFile, shapesOnly: Bool) {
        lexer = Lexer(file)
        tokens = tokenStorage.base
        builder.foldsConstants = true
        builder.shapesOnly = shapesOnly
        // About a statement a line and a node a statement.
        let lines = file.lineCount
        builder.reserveCapacity(lines)
        ranges.reserveCapacity(lines)
        symbolNodes.reserveCapacity(lines)
        definitionOfName = [Int32](repeating: -1, count: lines + 64)
        for array in [\Self.firstNode, \.firstDependency, \.secondDependency] as [WritableKeyPath<Self, [Int32]>] {
            self[keyPath: array].reserveCapacity(lines)
        }
        nodeCount.reserveCapacity(lines)
    }

    /// The graph of `file`, or nil when it is not a program this pass takes (the caller then
    /// loads it the usual way).
    static func load(_ file: SourceFile, graphName: String, shapesOnly: Bool = false) -> Graph? {
        var pass = SinglePassLoader(file, shapesOnly: shapesOnly)
        guard pass.readProgram() else { return nil }
        return pass.finish(file, graphName: graphName)
    }

    // MARK: - Reading

    private mutating func readProgram() -> Bool {
        while true {
            tokenCount = 0
            var last: Lexeme
            repeat {
                last = lexer.nextLexeme()
                if last.endsStatement { break }
                guard last.kind != .invalid, tokenCount < Self.longestStatement else { return false }
                tokens[tokenCount] = last
                tokenCount += 1
            } while true
            if tokenCount > 0, !statement() { return false }
            if last.kind == .endOfFile { break }
        }
        // A number out of range, say, is read as a token but reported: the usual way says so.
        return lexer.collector.kept.isEmpty && lexer.collector.omitted.total == 0 && !symbolNodes.isEmpty
    }

    private mutating func statement() -> Bool {
        let first = tokens[0]
        guard first.kind == .name else { return false }
        switch first.keyword {
        case .input?: return declaration(.input)
        case .param?: return declaration(.param)
        case .const?: return declaration(.constant)
        case .output?:
            guard tokenCount == 2, tokens[1].kind == .name, output == nil else { return false }
            output = tokens[1]
            return true
        case nil:
            // `def`, `group` and `for` may be names too, but are left to the parser; so is a
            // function's name (warned about: the usual way says so). Their ids are the ones
            // between the keywords' and `firstPlainName`.
            guard first.name >= firstPlainName, tokenCount >= 3, tokens[1].kind == .equals else { return false }
            return assignment()
        case .data?, .assignment?, .expression?: return false
        }
    }

    /// `input x = 2`, `param w = -0.5`, `const c = 3`.
    private mutating func declaration(_ op: Op) -> Bool {
        guard tokenCount == 4 || tokenCount == 5, tokens[1].kind == .name, tokens[2].kind == .equals,
              let value = number(from: 3) else { return false }
        let name = tokens[1]
        guard (try? builder.checkSize(of: .scalar)) != nil else { return false }
        ranges.append(name.range)
        let spelling = lexer.text(of: name)
        let node = builder.leaf(op, .scalar, [value], name: spelling)
        leafNodes.append(Int32(node.raw))
        return define(name, as: -2 - Int32(node.raw), node: node)
    }

    /// The value of `x`, `-x` or `+x` for a number x, as `Literal.evaluate` gives it: the
    /// statement's tokens from `first` on.
    private func number(from first: Int) -> Double? {
        let last = tokens[tokenCount - 1]
        guard last.kind == .number else { return nil }
        if tokenCount - first == 1 { return last.value }
        let sign = tokens[first]
        guard tokenCount - first == 2, sign.kind == .minus || sign.kind == .plus else { return nil }
        return sign.kind == .minus ? -last.value : last.value
    }

    /// `v = a OP b`, `v = f(a)`, `v = f(a, b)`, `v = -a`, `v = 2`, with the nodes `Lowering`
    /// makes for each, in its order, and the same ranges. `v = a` and `v = +a` give a node a
    /// second name, and which name is its last is settled by the dependency order, not the
    /// source order: those go the usual way.
    private mutating func assignment() -> Bool {
        let start = builder.count
        var dependencies: (Int32, Int32) = (-1, -1)
        let whole = tokens[2].range.union(tokens[tokenCount - 1].range)
        let name = tokens[0]
        let spelling = lexer.text(of: name)
        let node: NodeID?
        if let value = number(from: 2) {
            // The lowering leaves the constant of `v = 2` unnamed (the symbol still names it).
            guard let constant = constant(value, at: whole) else { return false }
            builder.keep(constant)
            constantNames[symbolNodes.count] = spelling
            node = constant
        } else if tokenCount == 4, tokens[2].kind == .minus {
            guard let a = operand(tokens[3], &dependencies.0) else { return false }
            node = apply(.neg, a, nil, at: whole, name: spelling)
        } else if tokenCount == 5, let op = Self.infix(tokens[3].kind) {
            guard let a = operand(tokens[2], &dependencies.0), let b = operand(tokens[4], &dependencies.1) else { return false }
            node = apply(op, a, b, at: whole, name: spelling)
        } else {
            node = call(&dependencies, whole: whole, name: spelling)
        }
        guard let node else { return false }
        let index = Int32(firstNode.count)
        firstNode.append(Int32(start))
        nodeCount.append(UInt8(builder.count - start))
        firstDependency.append(dependencies.0)
        secondDependency.append(dependencies.0 == dependencies.1 ? -1 : dependencies.1)
        lastAssignment = symbolNodes.count
        return define(name, as: index, node: node)
    }

    /// `f(a)` or `f(a, b)` for an op `f` of that arity (not `cross_entropy`, whose labels
    /// form the lowering decides on): the tokens after `v =`.
    private mutating func call(_ dependencies: inout (Int32, Int32), whole: SourceRange, name: String) -> NodeID? {
        let function = tokens[2]
        guard tokenCount == 6 || tokenCount == 8, function.kind == .name, tokens[3].kind == .leftParen,
              tokens[tokenCount - 1].kind == .rightParen, let op = self.function(function.name),
              op.arity == (tokenCount == 6 ? 1 : 2) else { return nil }
        if case .crossEntropy = op { return nil }
        guard let a = operand(tokens[4], &dependencies.0) else { return nil }
        guard tokenCount == 8 else { return apply(op, a, nil, at: whole, name: name) }
        guard tokens[5].kind == .comma, let b = operand(tokens[6], &dependencies.1) else { return nil }
        return apply(op, a, b, at: whole, name: name)
    }

    /// A number's constant, or the node of a name defined above (noting the assignment that
    /// defines it in `dependency`); nil for anything else.
    private mutating func operand(_ lexeme: Lexeme, _ dependency: inout Int32) -> NodeID? {
        if lexeme.kind == .number { return constant(lexeme.value, at: lexeme.range) }
        guard lexeme.kind == .name, let definition = definition(of: lexeme) else { return nil }
        if definition >= 0 {
            dependency = definition
            return result(of: Int(definition))
        }
        return NodeID(raw: Int(-2 - definition))
    }

    /// `NameTable.function(id)`: the op a function name stands for, nil for other names.
    private func function(_ id: Int32) -> Op? {
        let k = Int(id &- firstFunction)
        return k >= 0 && k < functions.count ? functions[k] : nil
    }

    /// The definition of a name so far (see `definitionOfName`), nil for none.
    private func definition(of lexeme: Lexeme) -> Int32? {
        let id = Int(lexeme.name)
        return id < definitionOfName.count && definitionOfName[id] != -1 ? definitionOfName[id] : nil
    }

    /// The node assignment `k` gives its name: the last it made (after its inline numbers; a
    /// fold's constant after the constants it replaced).
    private func result(of k: Int) -> NodeID {
        NodeID(raw: Int(firstNode[k]) + Int(nodeCount[k]) - 1)
    }

    private mutating func constant(_ value: Double, at range: SourceRange) -> NodeID? {
        guard (try? builder.checkSize(of: .scalar)) != nil else { return nil }
        ranges.append(range)
        return builder.leaf(.constant, .scalar, [value])
    }

    /// `Lowering.apply` without its second try (broadcasting across ranks, which scalars
    /// never need) and without the error: a shape or size error goes the usual way. The node
    /// (or the constant a fold makes of it) is given the assignment's `name` as it is made,
    /// as the lowering names it afterwards.
    private mutating func apply(_ op: Op, _ a: NodeID, _ b: NodeID?, at range: SourceRange, name: String) -> NodeID? {
        guard let node = try? builder.apply(op, a, b, name: name) else { return nil }
        ranges.append(range)
        return node
    }

    /// The op of an infix operator or comparison, as the parser reads it and `Lowering` maps it.
    private static func infix(_ kind: Lexeme.Kind) -> Op? {
        Parser.simpleBinaryOperator(kind).map(Lowering.tapeOp)
    }

    /// Records a definition (see `definitionOfName`); false for a name defined twice (an
    /// error, said the usual way).
    private mutating func define(_ name: Lexeme, as definition: Int32, node: NodeID) -> Bool {
        let id = Int(name.name)
        if id >= definitionOfName.count {
            definitionOfName.append(contentsOf: repeatElement(-1, count: max(id + 1, definitionOfName.count * 3 / 2) - definitionOfName.count))
        }
        guard definitionOfName[id] == -1 else { return false }
        definitionOfName[id] = definition
        symbolNodes.append(Int32(node.raw))
        return true
    }

    // MARK: - The graph

    private mutating func finish(_ file: SourceFile, graphName: String) -> Graph? {
        let outputNode: NodeID, outputName: String
        if let output {
            guard let definition = definition(of: output) else { return nil }
            outputNode = definition >= 0 ? result(of: Int(definition)) : NodeID(raw: Int(-2 - definition))
            outputName = lexer.text(of: output)
        } else {
            guard lastAssignment >= 0 else { return nil }
            outputNode = NodeID(raw: Int(symbolNodes[lastAssignment]))
            outputName = constantNames[lastAssignment] ?? builder.name(of: outputNode) ?? ""
        }
        // The lexer (its hold on the text, its own arrays) and the name table go before the tape
        // is laid out.
        lexer = Lexer(SourceFile(name: "", text: ""))
        definitionOfName = []
        let insertionOrder = loweringOrder()
        let (tape, order) = builder.finish(output: outputNode, insertionOrder: insertionOrder)
        builder = TapeBuilder()
        // The names, from the tape's, once the builder's nodes are gone.
        var symbolNames: [String] = []
        symbolNames.reserveCapacity(symbolNodes.count)
        for (k, node) in symbolNodes.enumerated() {
            let constantName = constantNames.isEmpty ? nil : constantNames[k]
            symbolNames.append(constantName ?? tape.names[order[Int(node)]] ?? "")
        }
        var tapeRanges = [SourceRange?](repeating: nil, count: tape.count)
        for (id, i) in order.enumerated() { tapeRanges[i] = ranges[id] }
        ranges = []
        var graph = Graph(name: graphName, tape: tape, outputName: outputName, source: file, ranges: tapeRanges,
                          symbolNames: symbolNames, symbolNodes: symbolNodes.map { order[Int($0)] })
        graph.outputs = [(outputName, order[outputNode.raw])]
        return graph
    }

    /// The nodes in the order `Lowering` adds them: the declarations' leaves in source order,
    /// then each assignment's nodes, assignments in Kahn's order (the ones that use no other
    /// assignment in source order, then each one's users as it is done, first in first out).
    private mutating func loweringOrder() -> [Int32] {
        let count = firstNode.count
        var order = leafNodes
        order.reserveCapacity(builder.count)
        leafNodes = []
        // Compressed rows: the assignments that use assignment d, in source order. Worked on
        // through buffers: one pass over 10⁵ assignments is a few instructions each, which
        // arrays' uniqueness and bounds checks doubled.
        var waiting = [UInt8](repeating: 0, count: count)
        var userStart = [Int32](repeating: 0, count: count + 1)
        var users: [Int32] = []
        var ready = [Int32](repeating: 0, count: count)
        var readyCount = 0
        firstDependency.withUnsafeBufferPointer { first in
            secondDependency.withUnsafeBufferPointer { second in
                waiting.withUnsafeMutableBufferPointer { waiting in
                    userStart.withUnsafeMutableBufferPointer { userStart in
                        for k in 0..<count {
                            for d in CollectionOfTwo(first[k], second[k]) where d >= 0 {
                                waiting[k] += 1
                                userStart[Int(d) + 1] += 1
                            }
                        }
                        for d in 0..<count { userStart[d + 1] += userStart[d] }
                        users = [Int32](unsafeUninitializedCapacity: Int(userStart[count])) { users, initialized in
                            var filled = Array(userStart)
                            for k in 0..<count {
                                for d in CollectionOfTwo(first[k], second[k]) where d >= 0 {
                                    users[Int(filled[Int(d)])] = Int32(k)
                                    filled[Int(d)] += 1
                                }
                            }
                            initialized = Int(userStart[count])
                        }
                    }
                }
            }
        }
        firstDependency = []
        secondDependency = []
        firstNode.withUnsafeBufferPointer { firstNode in
            nodeCount.withUnsafeBufferPointer { nodeCount in
                users.withUnsafeBufferPointer { users in
                    userStart.withUnsafeBufferPointer { userStart in
                        waiting.withUnsafeMutableBufferPointer { waiting in
                            ready.withUnsafeMutableBufferPointer { ready in
                                for k in 0..<count where waiting[k] == 0 {
                                    ready[readyCount] = Int32(k)
                                    readyCount += 1
                                }
                                var head = 0
                                while head < readyCount {
                                    let k = Int(ready[head])
                                    head += 1
                                    let first = firstNode[k]
                                    for node in first ..< first + Int32(nodeCount[k]) { order.append(node) }
                                    for user in users[Int(userStart[k]) ..< Int(userStart[k + 1])] {
                                        waiting[Int(user)] -= 1
                                        if waiting[Int(user)] == 0 {
                                            ready[readyCount] = user
                                            readyCount += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        precondition(readyCount == count, "every assignment uses only names defined above it")
        firstNode = []
        nodeCount = []
        return order
    }
}

/// The buffer of `SinglePassLoader.tokens`, freed with this. `Lexeme` is plain data, so
/// the buffer needs no deinitialising.
private final class TokenStorage {
    let base: UnsafeMutablePointer<Lexeme>
    init(capacity: Int) { base = .allocate(capacity: capacity) }
    deinit { base.deallocate() }
}

/// Two numbers as a collection without an array: the (at most two, distinct) assignments an
/// assignment uses, -1 for none, so the loops over them allocate nothing.
private struct CollectionOfTwo: RandomAccessCollection {
    let first: Int32, second: Int32
    init(_ first: Int32, _ second: Int32) { (self.first, self.second) = (first, second) }
    var startIndex: Int { 0 }
    var endIndex: Int { 2 }
    subscript(i: Int) -> Int32 { i == 0 ? first : second }
}
