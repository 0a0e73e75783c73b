// `output loss, acc`: several outputs. Each name becomes an `.output` statement of its own,
// all with the range of the whole statement (which is how the lowering tells one `output`
// statement of several names from two `output` statements, the second an error). The first
// name is the one differentiated unless a command's `--of NAME` picks another.

extension Parser {
    /// The rest of `output NAME (, NAME)*`, from its first name on.
    mutating func parseOutputs(first: Lexeme, keyword start: Lexeme) throws(Failure) -> Statement {
        var more: [Lexeme] = []
        var seen: Set<Int32> = [first.name]
        while peek().kind == .comma {
            advance()
            let next = peek()
            guard next.kind == .name else {
                throw fail("expected an output's name after ',', found \(quoted(next))", at: next,
                           hint: "list the outputs by name, e.g. 'output loss, acc'")
            }
            guard seen.insert(next.name).inserted else {
                throw fail("'\(text(of: next))' is listed twice in 'output'", at: next, hint: "name each output once")
            }
            advance()
            more.append(next)
        }
        try expectEndOfStatement(.output)
        let range = start.range.union(more.last?.range ?? first.range)
        moreOutputs = more.map { token in
            (Statement(kind: .output, name: text(of: token), nameRange: token.range, expression: nil, range: range), token.name)
        }
        return Statement(kind: .output, name: text(of: first), nameRange: first.range, expression: nil, range: range)
    }

    /// Appends the statements of the names after the first of an `output` statement just read.
    mutating func appendMoreOutputs(to statements: inout [Statement]) {
        for (statement, name) in moreOutputs {
            statements.append(statement)
            noteStatement(defining: name)
        }
        moreOutputs = []
    }
}
