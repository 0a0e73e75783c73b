// `for t in 0..<T { … }` loops. The parser reads a loop's head and body like a group's; once
// the whole program has parsed, `LoopUnrolling` writes each loop out, one copy of the body per
// iteration, so the lowering sees only plain statements and `group` blocks (one per iteration,
// named `t=0`, `t=1`, …) and backpropagation through the loop is backpropagation through time.
//
// Inside a body a name defined before the loop may be assigned again: iteration k's value is
// the statement named `h@t=k`, a use of `h` in iteration k reads the latest value (this
// iteration's once assigned, else the previous iteration's, else the value before the loop),
// and after the loop `h` names the last iteration's value. Loops do not nest, and neither
// loops nor groups go inside each other (each iteration is a group already).

/// `for t in a..<b { … }`: where it is, its bounds as written, and (once written out) its
/// statements in `Program.statements`.
public struct LoopBlock: Sendable, Hashable {
    /// A bound as written: an integer, or the name of a `const` holding one.
    public enum Bound: Sendable, Hashable {
        case number(Double)
        case name(String)
    }

    public var variable: String
    public var variableRange: SourceRange
    public var lower: Bound
    public var lowerRange: SourceRange
    public var upper: Bound
    public var upperRange: SourceRange
    /// From `for` to `}`.
    public var range: SourceRange
    /// The body's statements; after writing out, every iteration's.
    public var statements: Range<Int>
    /// The values the variable takes (`a..<b`), once written out.
    public var iterations: Range<Int>?
}

extension Parser {
    /// The loop being read.
    struct OpenLoop {
        var variable: String
        var variableRange: SourceRange
        var lower: (LoopBlock.Bound, SourceRange)
        var upper: (LoopBlock.Bound, SourceRange)
        var keyword: Lexeme
        var brace: Lexeme
        var firstStatement: Int
        var errorsBefore: Int
    }

    /// `for NAME in BOUND..<BOUND {`.
    mutating func beginLoop(statementCount: Int) throws(Failure) {
        let keyword = advance()
        let variable = advance()
        let name = text(of: variable)
        let shape = "a loop reads 'for \(name) in 0..<4 { … }' (\(name) = 0, 1, 2, 3)"
        let word = peek()
        guard word.kind == .name, text(of: word) == "in" else {
            throw fail("expected 'in' after 'for \(name)', found \(quoted(word))", at: word, hint: shape)
        }
        advance()
        let lower = try loopBound(name, hint: shape)
        let dots = peek()
        guard dots.kind == .upTo else {
            throw fail("expected '..<' after the loop's first value, found \(quoted(dots))", at: dots, hint: shape)
        }
        advance()
        let upper = try loopBound(name, hint: shape)
        let brace = peek()
        guard brace.kind == .leftBrace else {
            throw fail("expected '{' after 'for \(name) in …', found \(quoted(brace))", at: brace,
                       hint: "the loop's statements go between braces: " + shape)
        }
        advance()
        if let outer = openLoop {
            refusedBraces += 1
            _ = fail("loops do not nest: the loop over '\(name)' is inside the loop over '\(outer.variable)'", at: keyword.range,
                     hint: "close the loop over '\(outer.variable)' with '}' before this line, or write the inner steps out")
            return
        }
        if let group = openGroup {
            refusedBraces += 1
            _ = fail("a loop inside group '\(group.name)': each iteration of a loop is a group already", at: keyword.range,
                     hint: "close group '\(group.name)' with '}' before this line")
            return
        }
        openLoop = OpenLoop(variable: name, variableRange: variable.range, lower: lower, upper: upper, keyword: keyword,
                            brace: brace, firstStatement: statementCount, errorsBefore: collector.kept.count)
    }

    /// An integer or a name, as a loop's bound.
    private mutating func loopBound(_ variable: String, hint: String) throws(Failure) -> (LoopBlock.Bound, SourceRange) {
        let found = peek()
        switch found.kind {
        case .number:
            advance()
            return (.number(found.value), found.range)
        case .name:
            advance()
            return (.name(text(of: found)), found.range)
        default:
            throw fail("expected a bound of the loop over '\(variable)' (an integer, or a const's name), found \(quoted(found))",
                       at: found, hint: hint)
        }
    }

    /// The `}` of the open loop.
    mutating func endLoop(statementCount: Int) throws(Failure) {
        advance()
        if refusedBraces > 0 {
            refusedBraces -= 1
            return
        }
        guard let open = openLoop else { return }
        openLoop = nil
        guard statementCount > open.firstStatement else {
            if collector.kept.count == open.errorsBefore {
                _ = fail("the loop over '\(open.variable)' is empty", at: open.keyword,
                         hint: "put statements between the braces, e.g. 'h = tanh(W @ h + x[\(open.variable)])'")
            }
            return
        }
        loops.append(LoopBlock(variable: open.variable, variableRange: open.variableRange, lower: open.lower.0,
                               lowerRange: open.lower.1, upper: open.upper.0, upperRange: open.upper.1,
                               range: open.keyword.range.union(previous?.range ?? open.brace.range),
                               statements: open.firstStatement ..< statementCount))
    }

    /// At the end of the input: a loop still open is missing its `}`.
    mutating func reportUnclosedLoop() {
        guard let open = openLoop else { return }
        openLoop = nil
        _ = fail("unclosed '{': the loop over '\(open.variable)' has no '}'", at: open.brace,
                 hint: "close the loop with '}' after its last statement")
    }
}
