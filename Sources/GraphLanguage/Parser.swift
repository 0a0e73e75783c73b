import GraphCore

/// Parses the graph language into a `Program`, reporting every syntax error it can find.
///
/// ```swift
/// let file = SourceFile(name: "baydin.grad", text: source)
/// let (program, diagnostics) = Parser.parse(file)
/// if diagnostics.containsErrors {
///     print(DiagnosticRenderer().render(diagnostics, in: file))
/// }
/// ```
/// Grammar (statements end at a line break or `;`; inside `( )` and `[ ]` line breaks are
/// ignored, so a matrix may span lines):
/// ```
/// program   := (statement | definition | group)*
/// definition:= "def" NAME "(" NAME ("," NAME)* ")" "=" expr    # Parser+Groups.swift
/// group     := "group" NAME "{" statement* "}"                  # groups do not nest
/// statement := ("input" | "param" | "const") NAME "=" expr
///            | "data" NAME "=" STRING          # a CSV file as a const matrix
///            | NAME "=" expr | "output" NAME | expr
/// expr      := term (("+" | "-") term)*
/// term      := prefix (("*" | "/" | "@") prefix)*
/// prefix    := ("-" | "+") prefix | power
/// power     := primary ("^" prefix)?          # right-associative; -x^2 is -(x^2)
/// primary   := NUMBER | NAME | NAME "(" list ")" | "(" expr ")" | "[" list "]"
/// ```
/// On a syntax error the parser records a diagnostic, drops the statement and resumes at the
/// next statement boundary, so one run reports every broken statement. The returned program
/// holds only the statements that parsed; lower it only when there are no errors.
///
/// Hostile input cannot crash it: nesting deeper than `maximumNesting` and expression trees
/// taller than `maximumHeight` are errors, which bounds the recursion here and in every
/// recursive walk over the tree afterwards.
public struct Parser {
    /// The deepest nesting of parentheses, brackets, calls and prefix operators accepted.
    public static let maximumNesting = Limits.maximumNesting
    /// The tallest expression tree accepted (`Expr.height`): a sum of 1,000 terms is fine,
    /// one of 100,000 is almost certainly not a graph anyone wants to step through.
    public static let maximumHeight = Limits.maximumExpressionHeight

    /// Parses a whole file (or a `-e` expression, which is a one-statement program).
    public static func parse(_ file: SourceFile) -> (program: Program, diagnostics: [Diagnostic]) {
        let (program, diagnostics, _) = parseResolvingNames(file)
        return (program, diagnostics)
    }

    /// `parse`, and the names of the program as the lowering wants them: numbered.
    /// `simpleStatements: false` turns the fast path of `Parser+SimpleStatement.swift` off,
    /// for the test that checks both paths parse every statement alike.
    static func parseResolvingNames(_ file: SourceFile, simpleStatements: Bool = true)
        -> (program: Program, diagnostics: [Diagnostic], names: ProgramNames) {
        var parser = Parser(lexer: Lexer(file))
        parser.usesSimpleStatements = simpleStatements
        var program = parser.parseProgram(expectedStatements: file.lineCount)
        var names = ProgramNames(table: parser.lexer.names, defined: parser.definedNames,
                                 uses: parser.uses, useStart: parser.useStart)
        // Loops are written out once per iteration here (Parser+Loops.swift), when the
        // program parsed: the lowering sees only plain statements and groups.
        var loopErrors = DiagnosticCollector()
        if !program.loops.isEmpty, !parser.collector.containsErrors, !parser.lexer.collector.containsErrors {
            var unrolling = LoopUnrolling(program: program, names: names)
            (program, names) = unrolling.run()
            loopErrors = unrolling.collector
        }
        // Each collector kept its first diagnostics in source order, so the first of both
        // together are among them.
        let diagnostics = (parser.lexer.collector.kept + parser.collector.kept + loopErrors.kept)
            .bounded(omitted: parser.lexer.collector.omitted + parser.collector.omitted + loopErrors.omitted)
        return (program, diagnostics, names)
    }

    /// Thrown after the diagnostic has been recorded; unwinds to the statement loop.
    struct Failure: Error {}

    /// Tokens come from the lexer as the parser needs them, so a large file is never held as
    /// one array of tokens: `tokens` keeps those of the current statement (and the few looked
    /// ahead), and `position` indexes it.
    private var lexer: Lexer
    private var tokens: [Lexeme] = []
    var position = 0
    private(set) var collector = DiagnosticCollector()
    /// The last token consumed, for messages such as "expected an expression after '+'".
    var previous: Lexeme?
    /// The `(` and `[` currently open. Non-empty means line breaks are not separators.
    private var openBrackets: [Lexeme] = []
    private var nesting = 0
    /// The `[` of the outermost tensor literal being read, and how many elements it holds so
    /// far: a literal of more than `Limits.maximumTensorElements` is refused as it is read.
    private var literalStart: Lexeme?
    private var literalElements = 0
    /// For `ProgramNames`: the name each parsed statement defines, and the names it uses.
    private var definedName: Int32 = -1
    private var definedNames: [Int32] = []
    private var uses: [Int32] = []
    private var useStart: [Int] = [0]
    /// `group` blocks closed so far, `def`s read so far, and the block still open (if any).
    var groups: [GroupBlock] = []
    /// The line of the first group of each name closed so far (a second is an error): found by hashing,
    /// not by a search of `groups` per block, which made 20,000 blocks quadratic.
    var firstGroupLine: [String: Int] = [:]
    var functions: [FunctionDefinition] = []
    var openGroup: OpenGroup?
    /// `{` of nested groups, refused but counted so that their `}` does not close the outer one.
    var refusedBraces = 0
    /// The names after the first of `output a, b, …`, each an output statement of its own
    /// (Parser+Outputs.swift).
    var moreOutputs: [(statement: Statement, name: Int32)] = []
    /// `for` loops closed so far and the loop still open (Parser+Loops.swift).
    var loops: [LoopBlock] = []
    var openLoop: OpenLoop?
    /// Whether assignments of the simple forms take the fast path (`Parser+SimpleStatement.swift`).
    var usesSimpleStatements = true
    /// How many assignments the fast path read, for the test that it is taken.
    var simpleStatementsRead = 0

    init(lexer: Lexer) {
        self.lexer = lexer
    }

    // MARK: - Statements

    mutating func parseProgram(expectedStatements: Int) -> Program {
        var statements: [Statement] = []
        statements.reserveCapacity(expectedStatements)
        definedNames.reserveCapacity(expectedStatements)
        useStart.reserveCapacity(expectedStatements + 1)
        while true {
            while kind(at: position) == .newline || kind(at: position) == .semicolon {
                position += 1
            }
            if kind(at: position) == .endOfFile {
                reportUnclosedGroup()
                reportUnclosedLoop()
                break
            }
            // Between statements nothing refers back to earlier tokens: drop them.
            if position >= 256 {
                tokens.removeFirst(position)
                position = 0
            }
            do {
                if try parseGroupOrDefinition(statementCount: statements.count) {
                    // A definition's body names parameters, not statements: no uses recorded.
                    uses.removeSubrange(useStart.last! ..< uses.count)
                    continue
                }
                statements.append(try parseStatement())
                definedNames.append(definedName)
                useStart.append(uses.count)
                if !moreOutputs.isEmpty { appendMoreOutputs(to: &statements) }
            } catch {
                uses.removeSubrange(useStart.last! ..< uses.count)
                recover()
            }
        }
        // "Empty" only when nothing else was wrong: a file of broken statements is not empty.
        if statements.isEmpty, collector.kept.isEmpty, lexer.collector.kept.isEmpty {
            collector.append(.error, "empty program: there is nothing to evaluate", at: SourceRange(at: .start),
                             hint: "write an expression such as 'sin(x)*y', or statements such as 'input x = 2'")
        }
        return Program(statements: statements, groups: groups, functions: functions, loops: loops)
    }

    private mutating func parseStatement() throws(Failure) -> Statement {
        previous = nil
        definedName = -1
        let first = peek()
        // `data` is a keyword only before a name, so a graph may still call a value `data`.
        if first.kind == .name, let keyword = first.keyword, keyword != .data || kind(at: position + 1) == .name {
            return try parseDeclaration(keyword, keyword: advance())
        }
        if first.kind == .name, kind(at: position + 1) == .equals {
            definedName = first.name
            advance()
            advance()
            let expression: Expr
            if usesSimpleStatements, let simple = parseSimpleExpression() {
                expression = simple
            } else {
                expression = try parseExpression()
            }
            try expectEndOfStatement(.assignment)
            return Statement(kind: .assignment, name: text(of: first), nameRange: first.range,
                             expression: expression, range: first.range.union(expression.range))
        }
        let expression = try parseExpression()
        try expectEndOfStatement(.expression, expression: expression)
        return Statement(kind: .expression, name: nil, nameRange: nil,
                         expression: expression, range: expression.range)
    }

    /// `input x = 2`, `param w = ...`, `const t = ...`, `output y`.
    private mutating func parseDeclaration(_ kind: Statement.Kind, keyword start: Lexeme) throws(Failure) -> Statement {
        let found = peek()
        let keyword = text(of: start)
        guard found.kind == .name else {
            let hint = kind == .output
                ? "name the node to differentiate, e.g. 'output y'"
                : "'\(keyword)' starts a declaration, e.g. '\(keyword) x = 2'"
            throw fail("expected a name after '\(keyword)', found \(quoted(found))", at: found, hint: hint)
        }
        let name = text(of: found)
        definedName = found.name
        advance()
        if kind == .output { return try parseOutputs(first: found, keyword: start) }
        let equals = peek()
        guard equals.kind == .equals else {
            throw fail("expected '=' after '\(keyword) \(name)', found \(quoted(equals))", at: equals,
                       hint: kind == .data ? "name its file, e.g. 'data \(name) = \"points.csv\"'" : "give it a value, e.g. '\(keyword) \(name) = 1'")
        }
        advance()
        if kind == .data { return try parseDataFile(name: found, keyword: start) }
        let expression = try parseExpression()
        try expectEndOfStatement(kind)
        return Statement(kind: kind, name: name, nameRange: found.range,
                         expression: expression, range: start.range.union(expression.range))
    }

    /// The rest of `data NAME = "file.csv"`: the quoted file name.
    private mutating func parseDataFile(name: Lexeme, keyword start: Lexeme) throws(Failure) -> Statement {
        let file = peek()
        let spelling = text(of: name)
        guard file.kind == .string else {
            throw fail("expected a file name in quotes after 'data \(spelling) =', found \(quoted(file))", at: file,
                       hint: "write e.g. 'data \(spelling) = \"points.csv\"' (a CSV file, relative to this graph file)")
        }
        advance()
        try expectEndOfStatement(.data)
        var statement = Statement(kind: .data, name: spelling, nameRange: name.range, expression: nil,
                                  range: start.range.union(file.range))
        statement.path = (String(text(of: file).dropFirst().dropLast()), file.range)
        return statement
    }

    /// A statement must end here; explain what is wrong with the token that follows instead.
    mutating func expectEndOfStatement(_ kind: Statement.Kind, expression: Expr? = nil) throws(Failure) {
        let found = peek()
        switch found.kind {
        case .newline, .semicolon, .endOfFile:
            return
        case .rightBrace where openGroup != nil || openLoop != nil:
            // `y = a + b }`: the brace closes the group after this statement.
            return
        case .rightBrace:
            throw fail("unexpected '}': no group is open", at: found, hint: "a group starts with 'group NAME {'")
        case .invalid:
            throw Failure()
        case .rightParen, .rightBracket:
            throw fail("unexpected \(quoted(found))", at: found, hint: "remove the extra \(quoted(found))")
        case .equals where kind == .expression:
            throw fail("the left side of '=' must be a name", at: expression?.range ?? found.range,
                       hint: "assign to a name, e.g. 'v = x^2'")
        case .equals:
            throw fail("unexpected '='", at: found,
                       hint: "a statement assigns one name; start the next on a new line or after ';'")
        case _ where kind == .output:
            throw fail("'output' takes names separated by ',', found \(quoted(found))", at: found,
                       hint: "name the expression first, e.g. 'z = y + 1', then write 'output z'")
        case .name, .number, .leftParen, .leftBracket:
            if let expression, case let .name(name) = expression.kind {
                throw fail("expected '=' after '\(name)', found \(quoted(found))", at: found,
                           hint: "write '\(name) = <expression>'")
            }
            throw fail("expected an operator or the end of the statement, found \(quoted(found))", at: found,
                       hint: "write '*' to multiply; start a new statement on a new line or after ';'")
        default:
            throw fail("expected the end of the statement, found \(quoted(found))", at: found)
        }
    }

    /// Skips to the next statement boundary after an error: a `;`, the end of input, or a line
    /// break outside brackets. Brackets opened before the error count as open, so the rest of a
    /// broken multi-line matrix is skipped too; a line that clearly starts a new statement
    /// (`name =`, `input name`) ends the skip even inside brackets.
    private mutating func recover() {
        var depth = openBrackets.count
        openBrackets.removeAll()
        nesting = 0
        literalStart = nil
        while true {
            // What is skipped is never looked at again: a statement of ten million tokens is
            // not held in memory while it is skipped.
            if position >= 256 {
                tokens.removeFirst(position)
                position = 0
            }
            switch kind(at: position) {
            case .endOfFile, .semicolon:
                return
            case .rightBrace where depth == 0 && (openGroup != nil || openLoop != nil):
                return
            case .newline:
                if depth == 0 || startsStatement(at: position + 1) { return }
            case .leftParen, .leftBracket:
                depth += 1
            case .rightParen, .rightBracket:
                depth = max(depth - 1, 0)
            default:
                break
            }
            position += 1
        }
    }

    /// Records a statement that uses no names (a name after the first of `output a, b`).
    mutating func noteStatement(defining name: Int32) {
        definedNames.append(name)
        useStart.append(uses.count)
    }

    // MARK: - Tokens

    /// The spelling of a token, read back from the source.
    func text(of lexeme: Lexeme) -> String {
        lexeme.kind == .name ? lexer.names.spelling(lexeme.name) : lexer.text(of: lexeme)
    }

    /// Records a use of a name, in source order (see `ProgramNames.uses`).
    mutating func use(_ name: Lexeme) {
        uses.append(name.name)
    }

    /// How messages refer to a token: `'x1'`, `')'`, `end of line`, `end of input`.
    func quoted(_ lexeme: Lexeme) -> String {
        switch lexeme.kind {
        case .newline: "end of line"
        case .endOfFile: "end of input"
        default: "'\(text(of: lexeme))'"
        }
    }

    /// The next token. Inside brackets, line breaks are skipped, unless the next line starts a
    /// statement: then the bracket was never closed, and the line break ends the statement.
    /// The parser asks for the next token many times per token read, so the common case (it
    /// is read already and is not a line break inside brackets) is inlined.
    @inline(__always)
    mutating func peek() -> Lexeme {
        if position < tokens.count {
            let token = tokens[position]
            if token.kind != .newline || openBrackets.isEmpty { return token }
        }
        return peekSkippingLineBreaks()
    }

    private mutating func peekSkippingLineBreaks() -> Lexeme {
        if !openBrackets.isEmpty {
            while kind(at: position) == .newline, !startsStatement(at: position + 1) {
                position += 1
            }
        }
        return token(at: position)
    }

    /// The token at `index` in `tokens`, reading on from the lexer if it is not there yet (past
    /// the end of the text the lexer repeats `.endOfFile`).
    @inline(__always)
    mutating func token(at index: Int) -> Lexeme {
        if index >= tokens.count { readTokens(through: index) }
        return tokens[index]
    }

    @inline(__always)
    mutating func kind(at index: Int) -> Lexeme.Kind {
        if index >= tokens.count { readTokens(through: index) }
        return tokens[index].kind
    }

    private mutating func readTokens(through index: Int) {
        while tokens.count <= index { tokens.append(lexer.nextLexeme()) }
    }

    /// The kind of the token after the next one (`=` after a keyword argument's name).
    mutating func peekSecond() -> Lexeme.Kind {
        _ = peek()
        return kind(at: position + 1)
    }

    /// Consumes and returns the next token; stays on `.endOfFile`.
    @discardableResult
    mutating func advance() -> Lexeme {
        let token = peek()
        if token.kind != .endOfFile { position += 1 }
        previous = token
        return token
    }

    /// `name =` or `keyword name` at `index`: unmistakably the start of a statement.
    private mutating func startsStatement(at index: Int) -> Bool {
        guard kind(at: index) == .name else { return false }
        switch kind(at: index + 1) {
        case .equals: return true
        case .name: return token(at: index).keyword != nil || Self.startsBlock(token(at: index))
        default: return false
        }
    }

    mutating func open(_ bracket: Lexeme) {
        openBrackets.append(bracket)
    }

    mutating func close() {
        openBrackets.removeLast()
    }

    // MARK: - Limits and errors

    /// Counts one level of recursion; pair with `defer { leaveNesting() }`.
    mutating func enterNesting(at token: Lexeme) throws(Failure) {
        guard nesting < Self.maximumNesting else {
            throw fail("expression is nested too deeply (more than \(Self.maximumNesting) levels)", at: token,
                       hint: "split it into named steps, e.g. 'v = ...' on a line of its own")
        }
        nesting += 1
    }

    mutating func leaveNesting() {
        nesting -= 1
    }

    /// Notes that a tensor literal opens at `bracket`; true when it is the outermost one, which
    /// the caller closes with `leaveLiteral()`.
    mutating func enterLiteral(at bracket: Lexeme) -> Bool {
        guard literalStart == nil else { return false }
        literalStart = bracket
        literalElements = 0
        return true
    }

    mutating func leaveLiteral() {
        literalStart = nil
    }

    /// Counts one element of the tensor literal being read, refusing the literal (at its
    /// outermost `[`) past `Limits.maximumTensorElements`, before it takes more memory.
    mutating func countLiteralElement() throws(Failure) {
        guard let start = literalStart else { return }
        literalElements += 1
        guard literalElements > Limits.maximumTensorElements else { return }
        let limit = Limits.grouped(Limits.maximumTensorElements)
        throw fail("tensor literal has more than \(limit) elements", at: start,
                   hint: "a tensor may have at most \(limit) elements (\(Limits.describe(bytes: Limits.maximumTensorElements * 8)))")
    }

    /// Builds a node, refusing trees taller than `maximumHeight`.
    mutating func node(_ kind: Expr.Kind, _ range: SourceRange, at token: Lexeme) throws(Failure) -> Expr {
        let expression = Expr(kind, range: range)
        guard expression.height <= Self.maximumHeight else {
            throw fail("expression is too large (more than \(Self.maximumHeight) operations deep)", at: token,
                       hint: "split it into named steps, e.g. 'v = ...' on a line of its own")
        }
        return expression
    }

    /// Records an error at `token` and returns the failure to throw. An `.invalid` token was
    /// already reported by the lexer, so nothing is added for it.
    mutating func fail(_ message: String, at token: Lexeme, hint: String? = nil) -> Failure {
        if token.kind != .invalid {
            collector.append(.error, message, at: token.range, hint: hint)
        }
        return Failure()
    }

    mutating func fail(_ message: String, at range: SourceRange, hint: String? = nil) -> Failure {
        collector.append(.error, message, at: range, hint: hint)
        return Failure()
    }
}
