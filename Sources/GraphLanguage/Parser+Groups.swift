// `group NAME { … }` blocks and `def NAME(params) = expr` definitions. Both words are
// keywords only where they start one (`group` before a name, `def` before a name), so graphs
// that call a value `group` or `def` still parse.
//
// Groups do not nest: a `group` inside an open group is an error (a `def` called inside a
// group is simply part of that group). A block's `}` may end the line of its last statement.

extension Parser {
    /// The block being read: where it started and how many errors there were then.
    struct OpenGroup {
        var name: String
        var nameRange: SourceRange
        var keyword: Lexeme
        var brace: Lexeme
        var firstStatement: Int
        var errorsBefore: Int
    }

    /// True for `group`, `def` or `for` (by name id): a token that may start a block, a
    /// definition or a loop.
    static func startsBlock(_ token: Lexeme) -> Bool {
        token.kind == .name && (token.name == NameTable.groupID || token.name == NameTable.defID || token.name == NameTable.forID)
    }

    /// Reads a group's opening line, a `}` or a whole `def` when one starts here; false when
    /// the next statement is an ordinary one.
    mutating func parseGroupOrDefinition(statementCount: Int) throws(Failure) -> Bool {
        let head = token(at: position)
        if head.kind == .rightBrace, openLoop != nil, openGroup == nil {
            try endLoop(statementCount: statementCount)
            return true
        }
        if head.kind == .rightBrace {
            try endGroup(statementCount: statementCount)
            return true
        }
        guard Self.startsBlock(head), kind(at: position + 1) == .name else { return false }
        if head.name == NameTable.forID {
            try beginLoop(statementCount: statementCount)
        } else if head.name == NameTable.groupID {
            try beginGroup(statementCount: statementCount)
        } else {
            functions.append(try parseDefinition())
        }
        return true
    }

    // MARK: - Groups

    private mutating func beginGroup(statementCount: Int) throws(Failure) {
        let keyword = advance()
        let nameToken = advance()
        let name = text(of: nameToken)
        let brace = peek()
        guard brace.kind == .leftBrace else {
            throw fail("expected '{' after 'group \(name)', found \(quoted(brace))", at: brace,
                       hint: "a group's statements go between braces: 'group \(name) {', the statements, then '}'")
        }
        advance()
        if let loop = openLoop {
            refusedBraces += 1
            _ = fail("a group inside a loop: each iteration of the loop is a group already", at: nameToken.range,
                     hint: "close the loop over '\(loop.variable)' with '}' before this line")
            return
        }
        if let outer = openGroup {
            refusedBraces += 1
            _ = fail("groups do not nest: '\(name)' is inside group '\(outer.name)'", at: nameToken.range,
                     hint: "close '\(outer.name)' with '}' before this line, or make the inner part a function with 'def'")
            return
        }
        if let line = firstGroupLine[name] {
            _ = fail("group '\(name)' is defined twice", at: nameToken.range,
                     hint: "first defined on line \(line); give this one another name")
        }
        openGroup = OpenGroup(name: name, nameRange: nameToken.range, keyword: keyword, brace: brace,
                              firstStatement: statementCount, errorsBefore: collector.kept.count)
    }

    private mutating func endGroup(statementCount: Int) throws(Failure) {
        let brace = advance()
        if refusedBraces > 0 {
            refusedBraces -= 1
            return
        }
        guard let open = openGroup else {
            throw fail("unexpected '}': no group is open", at: brace, hint: "a group starts with 'group NAME {'")
        }
        openGroup = nil
        guard statementCount > open.firstStatement else {
            // A block whose statements all failed was reported already.
            if collector.kept.count == open.errorsBefore {
                _ = fail("group '\(open.name)' is empty", at: open.nameRange,
                         hint: "put statements between the braces, or remove the group")
            }
            return
        }
        if firstGroupLine[open.name] == nil { firstGroupLine[open.name] = open.nameRange.start.line }
        groups.append(GroupBlock(name: open.name, nameRange: open.nameRange, range: open.keyword.range.union(brace.range),
                                 statements: open.firstStatement ..< statementCount))
    }

    /// At the end of the input: a group still open is missing its `}`.
    mutating func reportUnclosedGroup() {
        guard let open = openGroup else { return }
        openGroup = nil
        _ = fail("unclosed '{': group '\(open.name)' has no '}'", at: open.brace,
                 hint: "close the group with '}' after its last statement")
    }

    // MARK: - Definitions

    /// `def NAME(p1, p2, …) = expr`.
    private mutating func parseDefinition() throws(Failure) -> FunctionDefinition {
        let keyword = advance()
        let nameToken = advance()
        let name = text(of: nameToken)
        let paren = peek()
        guard paren.kind == .leftParen else {
            throw fail("expected '(' after 'def \(name)', found \(quoted(paren))", at: paren,
                       hint: "list its parameters, e.g. 'def \(name)(x) = x^2'")
        }
        advance()
        open(paren)
        var parameters: [FunctionDefinition.Parameter] = []
        while true {
            let p = peek()
            if p.kind == .rightParen, parameters.isEmpty {
                throw fail("function '\(name)' has no parameters", at: p,
                           hint: "a function takes at least one value, e.g. 'def \(name)(x) = x^2'")
            }
            guard p.kind == .name else {
                throw fail("expected a parameter name in 'def \(name)(…)', found \(quoted(p))", at: p,
                           hint: "parameters are names separated by ',', e.g. 'def \(name)(x, W, b)'")
            }
            let parameter = text(of: p)
            if parameters.contains(where: { $0.name == parameter }) {
                throw fail("parameter '\(parameter)' appears twice in 'def \(name)'", at: p,
                           hint: "give each parameter its own name")
            }
            advance()
            parameters.append(.init(name: parameter, range: p.range))
            let next = peek()
            if next.kind == .comma {
                advance()
                continue
            }
            guard next.kind == .rightParen else {
                throw fail("expected ',' or ')' after parameter '\(parameter)', found \(quoted(next))", at: next,
                           hint: "parameters are names separated by ',', e.g. 'def \(name)(x, W, b)'")
            }
            break
        }
        close()
        advance()
        let equals = peek()
        guard equals.kind == .equals else {
            throw fail("expected '=' after 'def \(name)(…)', found \(quoted(equals))", at: equals,
                       hint: "give its body, e.g. 'def \(name)(\(parameters[0].name)) = \(parameters[0].name)^2'")
        }
        advance()
        let body = try parseExpression()
        try expectEndOfStatement(.assignment)
        return FunctionDefinition(name: name, nameRange: nameToken.range, parameters: parameters, body: body,
                                  range: keyword.range.union(body.range))
    }
}
