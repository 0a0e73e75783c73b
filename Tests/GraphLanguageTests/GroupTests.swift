import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// `group NAME { … }` and `def NAME(params) = expr`: what the parser keeps, which nodes each
/// group holds (and reads and gives out), that a function's calls compute exactly what the
/// program written out does, and every error as a snapshot.
@Suite("Groups and functions")
struct GroupTests {
    static func load(_ text: String) throws -> Graph {
        switch GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file) {
        case .success(let graph): return graph
        case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
        }
    }

    // MARK: - Parsing

    @Test func blocksAndDefinitionsAreKeptApartFromTheStatements() {
        let (_, program, diagnostics) = parse("""
            def dense(x, W, b) = relu(W @ x + b)
            input x = 1
            group layer {
                h = dense(x, 2, 3)
                z = h * 2
            }
            y = z + 1
            """)
        expectTrue(diagnostics.isEmpty)
        expectEqual(program.statements.map(\.name), ["x", "h", "z", "y"])
        expectEqual(program.groups.map(\.name), ["layer"])
        expectTrue(program.groups.first?.statements == 1 ..< 3)
        expectEqual(program.functions.map(\.name), ["dense"])
        expectEqual(program.functions.first?.parameters.map(\.name), ["x", "W", "b"])
        expectEqual(program.functions.first.map { shape($0.body) }, "relu(((W@x)+b))")
    }

    @Test func aClosingBraceMayEndTheLastStatementsLine() {
        let (_, program, diagnostics) = parse("input x = 1\ngroup g { y = x * 2 }\nz = y")
        expectTrue(diagnostics.isEmpty)
        expectTrue(program.groups.first?.statements == 1 ..< 2)
    }

    @Test func printingAProgramWithGroupsParsesBackToTheSameProgram() {
        let (_, program, _) = parse("def f(a, b) = a*b + 1\ninput x = 1\ngroup g { y = f(x, x); z = y^2 }\nw = z")
        let printed = program.description
        expectEqual(printed, "def f(a, b) = a * b + 1\ninput x = 1\ngroup g {\ny = f(x, x)\nz = y^2\n}\nw = z")
        let (_, again, diagnostics) = parse(printed)
        expectTrue(diagnostics.isEmpty)
        expectEqual(again.description, printed)
        expectEqual(again.groups.map(\.statements), program.groups.map(\.statements))
    }

    @Test func groupAndDefStayOrdinaryNamesElsewhere() throws {
        let graph = try Self.load("input group = 2\ndef = group * 3\ny = def + 1")
        expectEqual(Solved(graph).output, 7)
        expectTrue(graph.groups.isEmpty)
    }

    // MARK: - Lowering

    @Test func aBlocksGroupHoldsItsStatementsNodesAndKnowsItsInputsAndOutputs() throws {
        let graph = try Self.load("""
            input x = 2
            input w = 3
            group inner {
                a = x * w
                b = sin(a)
                c = a + 1
            }
            y = b * c
            """)
        let g = try #require(graph.groups.first)
        expectEqual(graph.groups.count, 1)
        expectTrue(g.name == "inner" && g.origin == .block)
        let n = { (name: String) in graph.node(named: name)! }
        // a, b, c and the constant 1 written in c's statement.
        expectEqual(g.members.filter { graph.tape[$0].op != .constant }, [n("a"), n("b"), n("c")].sorted())
        expectEqual(g.members.count, 4)
        expectEqual(g.inputs, [n("x"), n("w")].sorted())
        expectEqual(g.outputs, [n("b"), n("c")].sorted())
    }

    @Test func theGraphsOutputInsideABlockIsAnOutputOfIt() throws {
        let graph = try Self.load("input x = 2\ngroup loss {\nc = 3\nL = (x - c)^2\n}")
        let g = try #require(graph.groups.first)
        expectEqual(g.outputs, [graph.tape.output])
        // The const declared inside belongs to the group; x comes from outside.
        expectContains(g.members, graph.node(named: "c")!)
        expectEqual(g.inputs, [graph.node(named: "x")!])
    }

    @Test func eachCallOfAFunctionIsAGroupNumberedInSourceOrder() throws {
        let graph = try Self.load("""
            def dense(x, W, b) = relu(W @ x + b)
            input x = [1, -1]
            param W1 = [[1, 2], [3, 4]]
            param b1 = [0.5, -0.5]
            param W2 = [[1, 0], [0, 1]]
            param b2 = [0, 0]
            h2 = dense(h1, W2, b2)
            h1 = dense(x, W1, b1)
            y = sum(h2)
            """)
        expectEqual(graph.groups.map(\.name), ["dense#1", "dense#2"])
        let n = { (name: String) in graph.node(named: name)! }
        let first = graph.groups[0], second = graph.groups[1]
        expectEqual(first.origin, .call(function: "dense"))
        // dense#1 is the call written first (h2's), though h1's is lowered first.
        expectTrue(first.outputs == [n("h2")] && second.outputs == [n("h1")])
        expectEqual(first.inputs, [n("W2"), n("b2"), n("h1")].sorted())
        expectEqual(second.inputs, [n("x"), n("W1"), n("b1")].sorted())
        // W @ x, + b, relu: three nodes per call, none shared.
        expectTrue(first.members.count == 3 && second.members.count == 3)
        expectTrue(Set(first.members).isDisjoint(with: second.members))
    }

    @Test func aFunctionUsedThriceGivesTheGradientsOfTheProgramWrittenOut() throws {
        let grouped = try loadGraph("mlp-groups.grad")
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/mlp-groups.grad"), encoding: .utf8)
        let inlined = source
            .replacingOccurrences(of: "def dense(x, W, b) = relu(W @ x + b)", with: "")
            .replacingOccurrences(of: "dense(x, W1, b1)", with: "relu(W1 @ x + b1)")
            .replacingOccurrences(of: "dense(h1, W2, b2)", with: "relu(W2 @ h1 + b2)")
            .replacingOccurrences(of: "dense(h2, W3, b3)", with: "relu(W3 @ h2 + b3)")
            .replacingOccurrences(of: "group loss {", with: "")
            .replacingOccurrences(of: "\n}", with: "\n")
        let plain = try Self.load(inlined)
        expectTrue(plain.groups.isEmpty)
        expectEqual(grouped.groups.map(\.name), ["loss", "dense#1", "dense#2", "dense#3"])
        expectEqual(grouped.tape.count, plain.tape.count)
        let a = Solved(grouped), b = Solved(plain)
        expectEqual(a.output, b.output)
        for name in ["x", "W1", "b1", "W2", "b2", "W3", "b3", "h1", "h2", "h3", "p"] {
            try expectEqual(a.value(name), b.value(name), "\(name)")
            try expectEqual(a.gradient(name), b.gradient(name), "∂L/∂\(name)")
        }
    }

    @Test func aFunctionMayCallAnotherWhoseNodesJoinTheOuterCall() throws {
        let graph = try Self.load("def sq(a) = a * a\ndef norm2(u, v) = sq(u) + sq(v)\ninput x = 3\ninput z = 4\ny = norm2(x, z)")
        expectEqual(Solved(graph).output, 25)
        expectEqual(graph.groups.map(\.name), ["norm2#1"])
        expectEqual(graph.groups[0].members.count, 3)
    }

    @Test func aCallInsideABlockBelongsToTheBlock() throws {
        let graph = try Self.load("def sq(a) = a * a\ninput x = 3\ngroup g { y = sq(x) + 1 }")
        expectEqual(graph.groups.map(\.name), ["g"])
        expectEqual(graph.groups[0].members.count, 3)
    }

    @Test func aFunctionNeverCalledIsAWarningNotAnError() throws {
        let graph = try Self.load("def unused(a) = a\ninput x = 1\ny = x")
        expectTrue(graph.groups.isEmpty)
    }

    // MARK: - Errors

    static let errors: [(name: String, source: String, mentions: [String])] = [
        ("unknown-function", "def dense(x) = relu(x)\ninput x = 1\ny = dence(x)", ["unknown function 'dence'", "did you mean 'dense'?"]),
        ("wrong-argument-count", "def f(a, b) = a * b\ninput x = 1\ny = f(x)", ["f takes 2 arguments, got 1", "def f(a, b) on line 1"]),
        ("keyword-argument", "def f(a) = a\ninput x = 1\ny = f(a=x)", ["takes no keyword arguments"]),
        ("recursion", "def f(a) = f(a) + 1\ninput x = 1\ny = f(x)", ["recursive function: f → f"]),
        ("mutual-recursion", "def f(a) = g(a)\ndef g(a) = f(a) * 2\ninput x = 1\ny = f(x)", ["recursive function: f → g → f"]),
        ("shadows-built-in", "def relu(a) = a\ninput x = 1\ny = relu(x)", ["'relu' is a built-in function"]),
        ("duplicate-function", "def f(a) = a\ndef f(b) = b * 2\ninput x = 1\ny = f(x)", ["function 'f' is defined twice", "first defined on line 1"]),
        ("free-name-in-body", "input w = 2\ndef f(a) = a * w\ninput x = 1\ny = f(x)", ["unknown name 'w' in function 'f'", "pass 'w' as an argument"]),
        ("shape-error-in-call", "def f(a, b) = a + b\ninput x = [1, 2]\ninput z = [1, 2, 3]\ny = sum(f(x, z))", ["[2]", "in this call of 'f'"]),
        ("unclosed-group", "input x = 1\ngroup g {\ny = x * 2", ["unclosed '{': group 'g' has no '}'"]),
        ("duplicate-group", "input x = 1\ngroup g { a = x }\ngroup g { y = a * 2 }", ["group 'g' is defined twice", "first defined on line 2"]),
        ("nested-group", "input x = 1\ngroup outer {\ngroup inner { a = x }\ny = a\n}", ["groups do not nest: 'inner' is inside group 'outer'"]),
        ("empty-group", "input x = 1\ngroup g { }\ny = x", ["group 'g' is empty"]),
        ("stray-brace", "input x = 1\ny = x\n}", ["unexpected '}': no group is open"]),
        ("group-without-brace", "input x = 1\ngroup g\ny = x", ["expected '{' after 'group g'"]),
        ("def-without-parameters", "def f() = 1\ny = f()", ["function 'f' has no parameters"]),
        ("def-without-equals", "def f(a) a * 2\ninput x = 1\ny = f(x)", ["expected '=' after 'def f(…)'"]),
        ("duplicate-parameter", "def f(a, a) = a\ninput x = 1\ny = f(x, x)", ["parameter 'a' appears twice"]),
        ("group-not-self-contained", "input x = 1\ngroup g {\na = x * 2\nd = c * 3\n}\nc = a + 1\ny = d", ["group 'g' is not self-contained: 'c' is computed from it and used in it"]),
        ("braces-as-a-literal", "input x = {1, 2}\ny = x", ["tensor literals use square brackets"]),
    ]

    @Test(arguments: errors)
    func errorSnapshot(name: String, source: String, mentions: [String]) throws {
        let text = try #require(loweringErrors(source), "\(name) loaded without an error")
        for m in mentions { expectContains(text, m, "\(name): no '\(m)' in\n\(text)") }
        expectHasPrefix(text, "test.grad:", "errors are located")
        expectContains(text, "^", "errors have a caret")
        assertSnapshot(text, named: "group-error-\(name)")
    }

    @Test func aBrokenGroupStillReportsTheStatementsAfterIt() throws {
        let text = try #require(loweringErrors("input x = 1\ngroup g {\ny = x +\n}\nz = y * q"))
        expectContains(text, "expected an expression after '+'")
        expectNotContains(text, "unclosed")
    }
}
