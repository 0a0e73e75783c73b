// The parser's fast path for the right side of the assignments most of a large file is made
// of: `a + b`, `a * 2`, `a < b`, `sin(a)`, `f(a, b)`, `-a`, `a`, then the end of the statement.
// Read by recursive descent, each such statement went through six precedence levels, copying
// its `Expr` up through each; here the tokens are matched as one pattern and the same `Expr`
// (the same cases, ranges and recorded name uses) is built directly. Anything else, a
// parenthesis, a second operator, a subscript, a keyword argument, a line break inside a
// call, goes the general way, which then reads the same tokens from the start.

extension Parser {
    /// The expression at the next token if the statement's right side is one of the simple
    /// forms and the statement ends right after it; nil, with nothing consumed, otherwise.
    mutating func parseSimpleExpression() -> Expr? {
        let start = position
        let first = token(at: start)
        // `a`, `a OP b`
        if Self.isOperand(first) {
            let second = token(at: start + 1)
            if second.endsStatement {
                return finishSimple(operand(first), through: start)
            }
            guard let op = Self.simpleBinaryOperator(second.kind), Self.isOperand(token(at: start + 2)),
                  token(at: start + 3).endsStatement else {
                return callExpression(start)
            }
            let lhs = operand(first), rhs = operand(token(at: start + 2))
            return finishSimple(Expr(.binary(op, lhs, rhs, operatorRange: second.range), range: lhs.range.union(rhs.range)),
                                through: start + 2)
        }
        // `-a`, `+a`
        if first.kind == .minus || first.kind == .plus {
            let inner = token(at: start + 1)
            guard Self.isOperand(inner), token(at: start + 2).endsStatement else { return nil }
            let value = operand(inner)
            return finishSimple(Expr(.unary(first.kind == .minus ? .negate : .plus, value), range: first.range.union(value.range)),
                                through: start + 1)
        }
        return nil
    }

    /// `f(a)` or `f(a, b)` at token `start` followed by the end of the statement, or nil.
    private mutating func callExpression(_ start: Int) -> Expr? {
        let function = token(at: start)
        guard function.kind == .name, kind(at: start + 1) == .leftParen, Self.isOperand(token(at: start + 2)) else { return nil }
        var close = start + 3
        var count = 1
        if kind(at: close) == .comma {
            guard Self.isOperand(token(at: close + 1)) else { return nil }
            close += 2
            count = 2
        }
        guard kind(at: close) == .rightParen, token(at: close + 1).endsStatement else { return nil }
        var arguments = [operand(token(at: start + 2))]
        if count == 2 { arguments.append(operand(token(at: start + 4))) }
        let call = Expr(.call(name: text(of: function), nameRange: function.range, arguments: arguments),
                        range: function.range.union(token(at: close).range))
        return finishSimple(call, through: close)
    }

    /// A name or number; the name's use recorded, as `parsePrimary` records it.
    private mutating func operand(_ lexeme: Lexeme) -> Expr {
        if lexeme.kind == .number { return Expr(.number(lexeme.value), range: lexeme.range) }
        use(lexeme)
        return Expr(.name(text(of: lexeme)), range: lexeme.range)
    }

    /// Consumes the tokens up to and including `last`, as the general path would have.
    private mutating func finishSimple(_ e: Expr, through last: Int) -> Expr {
        previous = token(at: last)
        position = last + 1
        simpleStatementsRead += 1
        return e
    }

    private static func isOperand(_ lexeme: Lexeme) -> Bool {
        lexeme.kind == .name || lexeme.kind == .number
    }

    /// Every infix operator: with one operator and two operands, precedence and associativity
    /// do not arise.
    static func simpleBinaryOperator(_ kind: Lexeme.Kind) -> BinaryOperator? {
        kind == .caret ? .power : binaryOperator(kind) ?? comparison(kind)
    }
}
