import GraphLanguage
import Testing
import TestSupport

@Suite("Parser: precedence and associativity")
struct PrecedenceTests {
    @Test(arguments: [
        ("-x^2", "(-(x^2))"),
        ("a^b^c", "(a^(b^c))"),
        ("2^-1", "(2^(-1))"),
        ("2^-x^2", "(2^(-(x^2)))"),
        ("(-x)^2", "((-x)^2)"),
        ("a-b-c", "((a-b)-c)"),
        ("a/b/c", "((a/b)/c)"),
        ("a@b*c", "((a@b)*c)"),
        ("a*b@c", "((a*b)@c)"),
        ("a+b*c", "(a+(b*c))"),
        ("a*b+c", "((a*b)+c)"),
        ("-a*b", "((-a)*b)"),
        ("a*-b", "(a*(-b))"),
        ("--x", "(-(-x))"),
        ("+x - -y", "((+x)-(-y))"),
        ("(a+b)*c", "((a+b)*c)"),
        ("a - (b - c)", "(a-(b-c))"),
        ("ln(x1) + x1*x2 - sin(x2)", "((ln(x1)+(x1*x2))-sin(x2))"),
        ("f(a, b+1, g())", "f(a,(b+1),g())"),
        ("[1, 2]", "[1,2]"),
        ("[[1, 2], [3, -4]]", "[[1,2],[3,(-4)]]"),
        ("[1, 2,]", "[1,2]"),
        ("[]", "[]"),
        ("x^2^-1", "(x^(2^(-1)))"),
    ])
    func shapeOf(source: String, expected: String) {
        expectEqual(parsedShape(source), expected)
    }

    @Test(arguments: [
        ("3", 3.0), ("0.5", 0.5), (".5", 0.5), ("1e-3", 0.001), ("2.5E+2", 250.0), ("1.", 1.0),
        ("007", 7.0),
    ])
    func numbers(source: String, value: Double) throws {
        let (_, program, diagnostics) = parse(source)
        expectTrue(diagnostics.isEmpty)
        let expression = try #require(program.statements.first?.expression)
        expectEqual(expression.kind, .number(value))
    }
}

@Suite("Parser: statements")
struct StatementTests {
    static let baydin = """
        # Baydin et al. (2018), figure 1
        input x1 = 2            # leaf: its gradient is reported
        input x2 = 5
        param w = [0.5, -1]     # trainable leaf
        const t = [1, 0]        # constant: no gradient flows into it
        v = ln(x1) + x1*x2      # named intermediate node
        y = v - sin(x2)
        output y                # the node differentiated
        """

    @Test func baydinExample() throws {
        let (_, program, diagnostics) = parse(Self.baydin)
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map(\.kind), [.input, .input, .param, .const, .assignment, .assignment, .output])
        expectEqual(program.statements.map(\.name), ["x1", "x2", "w", "t", "v", "y", "y"])
        expectTrue(program.statements.last?.expression == nil)
        expectEqual(program.description, """
            input x1 = 2
            input x2 = 5
            param w = [0.5, -1]
            const t = [1, 0]
            v = ln(x1) + x1 * x2
            y = v - sin(x2)
            output y
            """)
    }

    @Test func semicolonsSeparateStatements() {
        let (_, program, diagnostics) = parse("input x = 2; y = x^2 ;; output y;")
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map(\.kind), [.input, .assignment, .output])
    }

    @Test func bareExpressionStatement() throws {
        let (_, program, diagnostics) = parse("sin(x)*y")
        expectTrue(diagnostics.isEmpty)
        let statement = try #require(program.statements.first)
        expectEqual(statement.kind, .expression)
        expectTrue(statement.name == nil && statement.nameRange == nil)
        expectEqual(statement.expression.map(shape), "(sin(x)*y)")
    }

    @Test func commentsAndBlankLinesAreIgnored() {
        let (_, program, diagnostics) = parse("\n\n# only a comment\n  x = 1 # trailing\n\n# y = 2\n")
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.count, 1)
    }

    @Test func windowsLineEndings() {
        let (_, program, diagnostics) = parse("input x = 2\r\ny = x\r\noutput y\r\n")
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map(\.kind), [.input, .assignment, .output])
        expectEqual(program.statements[1].range.start.line, 2)
    }

    @Test func matrixMaySpanLines() {
        let (_, program, diagnostics) = parse("""
            param W = [[1, 2],
                       [3, 4]]
            y = f(W,
                  2)
            """)
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map { $0.expression.map(shape) }, ["[[1,2],[3,4]]", "f(W,2)"])
    }

    @Test func keywordsAreReservedOnlyAtStatementStart() {
        let (_, program, diagnostics) = parse("y = input * output + param")
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.first?.expression.map(shape), "((input*output)+param)")
    }

    @Test func unicodeNames() throws {
        let (_, program, diagnostics) = parse("param θ = 0.1\nη = 0.01\nx₁ = θ - η*x_2\nΔw = x₁")
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map(\.name), ["θ", "η", "x₁", "Δw"])
        expectEqual(program.statements[2].expression.map(shape), "(θ-(η*x_2))")
    }
}

@Suite("Parser: source ranges")
struct RangeTests {
    @Test func everyNodeKnowsItsColumns() throws {
        // Columns count Characters: θ and x₁ are one column each.
        let (file, program, _) = parse("y = θ*x₁ + ln(x₁)")
        let statement = try #require(program.statements.first)
        expectEqual(statement.nameRange.map { file.text(in: $0) }, "y")
        let sum = try #require(statement.expression)
        expectEqual(file.text(in: sum.range), "θ*x₁ + ln(x₁)")
        guard case let .binary(.add, product, call, operatorRange) = sum.kind,
              case let .binary(.multiply, theta, x1, _) = product.kind,
              case let .call("ln", nameRange, arguments) = call.kind
        else { Issue.record("unexpected tree \(shape(sum))"); return }
        expectEqual(operatorRange.start.column, 10)
        expectTrue(theta.range.start.column == 5 && theta.range.end.column == 6)
        expectTrue(x1.range.start.column == 7 && x1.range.end.column == 9)
        expectEqual(file.text(in: x1.range), "x₁")
        expectTrue(nameRange.start.column == 12 && file.text(in: nameRange) == "ln")
        expectEqual(file.text(in: call.range), "ln(x₁)")
        expectEqual(arguments.first?.range.start.column, 15)
    }

    @Test func parenthesesBelongToTheirExpression() throws {
        let (file, program, _) = parse("z = (a + b)*c")
        let product = try #require(program.statements.first?.expression)
        expectEqual(file.text(in: product.range), "(a + b)*c")
        guard case let .binary(_, sum, _, _) = product.kind else { Issue.record("not binary"); return }
        expectEqual(file.text(in: sum.range), "(a + b)")
    }

    @Test func statementRanges() {
        let (file, program, _) = parse("input x = 2; output x\n  y = -x")
        expectEqual(program.statements.map { String(file.text(in: $0.range)) }, ["input x = 2", "output x", "y = -x"])
        expectEqual(program.statements[2].range.start.description, "2:3")
    }
}
