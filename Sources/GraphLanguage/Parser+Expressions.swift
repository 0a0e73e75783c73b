// Expressions by recursive descent, one function per precedence level (see the grammar on
// `Parser`). Each node's range runs from its first token to its last.

extension Parser {
    mutating func parseExpression() throws(Failure) -> Expr {
        let lhs = try parseInfix(.additive)
        guard let op = Self.comparison(peek().kind) else { return lhs }
        let symbol = advance()
        let rhs = try parseInfix(.additive)
        if Self.comparison(peek().kind) != nil {
            throw fail("comparisons do not chain", at: peek(),
                       hint: "write (a < b) * (b < c) for 'both hold', as NumPy arrays need")
        }
        return try node(.binary(op, lhs, rhs, operatorRange: symbol.range), lhs.range.union(rhs.range), at: symbol)
    }

    /// Comparisons bind looser than arithmetic, as in Python: `x + 1 > y` is `(x + 1) > y`.
    static func comparison(_ kind: Lexeme.Kind) -> BinaryOperator? {
        switch kind {
        case .less: .less
        case .lessEqual: .lessOrEqual
        case .greater: .greater
        case .greaterEqual: .greaterOrEqual
        case .equalEqual: .equal
        case .notEqual: .notEqual
        default: nil
        }
    }

    /// A left-associative chain at `level`: `a - b - c` is `(a - b) - c`.
    private mutating func parseInfix(_ level: Precedence) throws(Failure) -> Expr {
        var lhs = level == .additive ? try parseInfix(.multiplicative) : try parsePrefix()
        while let op = Self.binaryOperator(peek().kind), op.precedence == level {
            let symbol = advance()
            let rhs = level == .additive ? try parseInfix(.multiplicative) : try parsePrefix()
            lhs = try node(.binary(op, lhs, rhs, operatorRange: symbol.range), lhs.range.union(rhs.range), at: symbol)
        }
        return lhs
    }

    /// Unary minus binds looser than `^` (`-x^2` is `-(x^2)`) and tighter than `*`.
    private mutating func parsePrefix() throws(Failure) -> Expr {
        let symbol = peek()
        let op: UnaryOperator
        switch symbol.kind {
        case .minus: op = .negate
        case .plus: op = .plus
        default: return try parsePower()
        }
        try enterNesting(at: symbol)
        defer { leaveNesting() }
        advance()
        let operand = try parsePrefix()
        return try node(.unary(op, operand), symbol.range.union(operand.range), at: symbol)
    }

    /// `^` is right-associative and its exponent may be negated: `a^b^c` is `a^(b^c)`, `2^-1`
    /// is `2^(-1)`.
    private mutating func parsePower() throws(Failure) -> Expr {
        let base = try parsePrimary()
        guard peek().kind == .caret else { return base }
        let symbol = advance()
        try enterNesting(at: symbol)
        defer { leaveNesting() }
        let exponent = try parsePrefix()
        return try node(.binary(.power, base, exponent, operatorRange: symbol.range),
                        base.range.union(exponent.range), at: symbol)
    }

    private mutating func parsePrimary() throws(Failure) -> Expr {
        let token = peek()
        switch token.kind {
        case .number:
            advance()
            return Expr(.number(token.value), range: token.range)
        case .name:
            let name = text(of: token)
            advance()
            guard peek().kind == .leftParen else {
                use(token)
                return try parseSubscripts(Expr(.name(name), range: token.range))
            }
            let (arguments, close) = try parseList(closedBy: .rightParen, in: "the call to '\(name)'",
                                                   hint: "separate the arguments with ','")
            return try parseSubscripts(try node(.call(name: name, nameRange: token.range, arguments: arguments),
                                                token.range.union(close.range), at: token))
        case .leftParen:
            return try parseSubscripts(try parseParenthesized())
        case .leftBracket:
            let outermost = enterLiteral(at: token)
            defer { if outermost { leaveLiteral() } }
            let (elements, close) = try parseList(closedBy: .rightBracket, in: "the tensor literal",
                                                  hint: "separate the elements with ','")
            return try node(.tensor(elements), token.range.union(close.range), at: token)
        default:
            throw missingExpression(found: token)
        }
    }

    /// `base[i]`, `base[i, j]`, `base[a:b, :]`, repeated (`x[0][1]`): each subscript an
    /// expression or a slice with optional bounds.
    private mutating func parseSubscripts(_ base: Expr) throws(Failure) -> Expr {
        var base = base
        while peek().kind == .leftBracket {
            let open = advance()
            try enterNesting(at: open)
            defer { leaveNesting() }
            self.open(open)
            var subscripts: [Expr] = []
            while peek().kind != .rightBracket {
                let first = peek()
                var start: Expr?
                if first.kind != .colon { start = try parseExpression() }
                if peek().kind == .colon {
                    let colon = advance()
                    var stop: Expr?
                    if peek().kind != .comma && peek().kind != .rightBracket { stop = try parseExpression() }
                    let range = (start?.range ?? colon.range).union(stop?.range ?? colon.range)
                    subscripts.append(try node(.slice(start: start, stop: stop), range, at: first))
                } else if let start {
                    subscripts.append(start)
                }
                let found = peek()
                if found.kind == .comma {
                    advance()
                } else if found.kind != .rightBracket {
                    throw unclosed(open, found: found, context: "the subscript",
                                   expected: "',' or ']' in the subscript", hint: "write x[i], W[i, j] or x[a:b]")
                }
            }
            let close = advance()
            self.close()
            guard !subscripts.isEmpty else {
                throw fail("an empty subscript", at: close, hint: "write x[i], W[i, j] or x[a:b]")
            }
            base = try node(.index(base, subscripts: subscripts), base.range.union(close.range), at: open)
        }
        return base
    }

    /// `( expr )`; the result's range is widened to include the parentheses.
    private mutating func parseParenthesized() throws(Failure) -> Expr {
        let open = advance()
        try enterNesting(at: open)
        defer { leaveNesting() }
        self.open(open)
        let inner = try parseExpression()
        let found = peek()
        guard found.kind == .rightParen else {
            throw unclosed(open, found: found, context: nil,
                           expected: "')' to close the '(' at \(open.range.start)",
                           // A tuple, as PyTorch writes a pool's kernel_size=(2, 3): the language's is a list.
                           hint: found.kind == .comma ? "the language has no tuples: write a list in brackets, such as [2, 3] for kernel=(2, 3)"
                               : "write an operator such as '*' between the two")
        }
        advance()
        close()
        return inner.withRange(open.range.union(found.range))
    }

    /// The comma-separated elements after an opening `(` or `[` (the next token), up to and
    /// including `closer`. Empty lists and a trailing comma are accepted.
    private mutating func parseList(
        closedBy closer: Lexeme.Kind, in context: @autoclosure () -> String, hint: String
    ) throws(Failure) -> ([Expr], Lexeme) {
        let open = advance()
        try enterNesting(at: open)
        defer { leaveNesting() }
        self.open(open)
        var elements: [Expr] = []
        var sawKeyword = false
        while peek().kind != closer {
            let element: Expr
            if closer == .rightParen, peek().kind == .name, peekSecond() == .equals {
                element = try parseKeywordArgument()
                sawKeyword = true
            } else {
                let start = peek()
                element = try parseExpression()
                if sawKeyword {
                    throw fail("a positional argument after a keyword argument", at: start,
                               hint: "write positional arguments first, then keywords such as 'axis=1'")
                }
            }
            if closer == .rightBracket, !element.isTensorLiteral { try countLiteralElement() }
            elements.append(element)
            let found = peek()
            if found.kind == .comma {
                advance()
            } else if found.kind != closer {
                let closing = closer == .rightParen ? "')'" : "']'"
                let context = context()
                throw unclosed(open, found: found, context: context,
                               expected: "',' or \(closing) in \(context)", hint: hint)
            }
        }
        let close = advance()
        self.close()
        return (elements, close)
    }

    /// `name=value` in a call: the value is a number, a word such as `eval`, a list, or any
    /// expression (`running_mean=m`). A word's use is recorded like any name's; the lowering
    /// decides whether the keyword reads it as a word or as a node.
    private mutating func parseKeywordArgument() throws(Failure) -> Expr {
        let nameToken = advance()
        let name = text(of: nameToken)
        advance()  // '='
        let value = try parseExpression()
        return try node(.keyword(name: name, nameRange: nameToken.range, value: value),
                        nameToken.range.union(value.range), at: nameToken)
    }

    // MARK: - Errors

    /// `open` was not closed where `found` is: at the end of the statement it is simply
    /// unclosed; a different closing bracket is a mismatch; anything else is a missing
    /// separator or operator, described by `expected`.
    private mutating func unclosed(
        _ open: Lexeme, found: Lexeme, context: String?, expected: String, hint: String
    ) -> Failure {
        let closer = open.kind == .leftParen ? "')'" : "']'"
        switch found.kind {
        case .newline, .semicolon, .endOfFile:
            return fail("unclosed \(quoted(open))" + (context.map { " in \($0)" } ?? ""), at: open,
                        hint: "add \(closer) to close it")
        case .rightParen, .rightBracket:
            return fail("mismatched \(quoted(found)): expected \(closer) to close the \(quoted(open)) at \(open.range.start)",
                        at: found, hint: "close the \(quoted(open)) with \(closer)")
        default:
            return fail("expected \(expected), found \(quoted(found))", at: found, hint: hint)
        }
    }

    private mutating func missingExpression(found: Lexeme) -> Failure {
        if found.endsStatement || found.kind == .rightParen || found.kind == .rightBracket || found.kind == .comma,
           let previous {
            return fail("expected an expression after \(quoted(previous))", at: found)
        }
        if found.kind == .leftBrace {
            return fail("expected an expression, found '{'", at: found,
                        hint: "tensor literals use square brackets, e.g. [1, 2]; braces hold a group's statements")
        }
        return fail("expected an expression, found \(quoted(found))", at: found)
    }

    static func binaryOperator(_ kind: Lexeme.Kind) -> BinaryOperator? {
        switch kind {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .at: .matmul
        default: nil
        }
    }
}
