import GraphLanguage
import Testing
import TestSupport

/// What a loaded graph is, in one text: output, symbols, and each tape row with its range.
private func summary(_ graph: Graph) -> String {
    let tape = graph.tape
    var lines = ["output \(graph.outputName) = \(tape.label(tape.output))"]
    lines.append("symbols " + graph.symbols.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        .joined(separator: " "))
    for i in 0..<tape.count {
        let range = graph.ranges[i].map { "\($0)" } ?? "-"
        lines.append("\(tape.label(i)) = \(tape.formula(i))  [\(tape.names[i] ?? "-")] @\(range)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The loaded graph's summary, or the rendered failure.
private func loaded(_ source: String, mode: GraphLoader.Mode = .file,
                    values: [(name: String, text: String)] = []) -> String {
    switch GraphLoader.load(SourceFile(name: "test.grad", text: source), graphName: "test", mode: mode, values: values) {
    case .success(let graph): summary(graph)
    case .failure(let failure): failure.rendered()
    }
}

/// Name resolution, dependency order, cycles, shapes and the choice of output, as the user sees
/// them: one snapshot per case in `__Snapshots__/lowering-*.txt`.
@Suite("Lowering: snapshots")
struct LoweringSnapshotTests {
    static let cases: [(name: String, source: String)] = [
        ("baydin", "input x1 = 2\ninput x2 = 5\ny = ln(x1) + x1*x2 - sin(x2)\n"),
        ("any-order", "y = b * a\nb = sin(a)\ninput a = 0.5\nconst c = [1, 2]\nparam w = [[1, 2], [3, 4]]"),
        ("output-statement", "input x = 1\ny = x^2\nz = y + 1\noutput y"),
        ("bare-expression-output", "input x = 1\ny = 2\nsin(x) * y"),
        ("bare-expression-output-name-taken", "input y = 1\nf = 2\nsin(y) * f"),
        ("negative-literals", "input x = -2\ny = x * -3 + +4"),
        ("leaf-as-output", "input x = 1\noutput x"),
        ("unknown-name-suggestion", "input x1 = 2\ny = x2 + x1"),
        ("unknown-name-no-suggestion", "input x = 2\ny = zebra + x + zebra"),
        ("defined-twice", "input x = 1\ny = x\nx = 3\ny = 2"),
        ("function-name-as-value", "input x = 1\nsin = x\ny = sin + q"),
        ("cycle", "input x = 1\na = b + x\nb = a * 2\ny = a"),
        ("self-cycle", "input x = 1\na = a + x\ny = a"),
        ("two-cycles", "a = b\nb = a\nc = d\nd = e\ne = c\ny = a + c"),
        ("cycle-with-unknown-function", "a = sni(b)\nb = a\n"),
        ("unknown-function-suggestion", "input x = 1\ny = sigmod(x)"),
        ("unknown-function-list", "input x = 1\ny = frobnicate(x)"),
        ("wrong-arity", "input x = 1\ny = sin(x, x)"),
        ("shape-mismatch", "param w = [[1, 2], [3, 4]]\nconst v = [1, 2, 3]\ny = w @ v"),
        ("leaf-not-literal", "input x = 1\ninput y = x + 1\nz = y"),
        ("ragged-matrix", "param w = [[1, 2], [3]]\ny = w"),
        ("mixed-tensor", "param w = [1, [2]]\ny = w"),
        ("tensor-of-names", "input x = 1\ny = [x, 2]"),
        ("empty-tensor", "param w = []\ny = w"),
        ("unknown-output", "input x = 1\ny = x\noutput yy"),
        ("nothing-to-differentiate", "input x = 1\nconst c = 2"),
        ("failed-use-not-repeated", "input x = 1\na = sni(x)\nb = a + a\ny = b"),
    ]

    @Test(arguments: cases)
    func snapshot(name: String, source: String) {
        assertSnapshot(loaded(source), named: "lowering-\(name)")
    }

    @Test func expressionModeTakesFreeNamesAsInputsInOrderOfFirstUse() {
        assertSnapshot(loaded("sin(b) * a + b", mode: .expression, values: [("a", "2"), ("b", "[1, 2]")]),
                       named: "lowering-expression-free-inputs")
        assertSnapshot(loaded("a * b", mode: .expression, values: [("a", "2")]),
                       named: "lowering-expression-missing-value")
        assertSnapshot(loaded("input x = 1\ny = x", values: [("xx", "2")]),
                       named: "lowering-unused-override")
        assertSnapshot(loaded("input x = 1\ny = x", values: [("x", "[3, 4]")]),
                       named: "lowering-override")
    }
}

@Suite("Lowering: large files")
struct LoweringScaleTests {
    /// A 100,000-statement chain, each statement reading the one before: no recursion may grow
    /// with the length of the chain (parsing, lowering, ordering or building the tape).
    @Test func aHundredThousandStatementChainLoads() throws {
        var source = "input x = 0.5\n"
        source.reserveCapacity(2_000_000)
        var previous = "x"
        for k in 1...100_000 {
            let name = "v\(k)"
            source += k % 3 == 0 ? "\(name) = sin(\(previous))\n" : "\(name) = \(previous) * x + \(previous)\n"
            previous = name
        }
        let graph = try GraphLoader.load(SourceFile(name: "chain.grad", text: source), graphName: "chain", mode: .file).get()
        // One input, and per statement one node (sin) or two (* and +).
        expectEqual(graph.tape.count, 1 + 33_333 + 2 * 66_667)
        expectEqual(graph.outputName, "v100000")
        expectEqual(graph.node(named: "v100000"), graph.tape.output)
        expectEqual(graph.symbols.count, 100_001)
    }

    /// The same chain written backwards: every statement uses one defined further down.
    @Test func aReversedChainLoadsInDependencyOrder() throws {
        var lines = ["input x = 0.5"]
        for k in 1...20_000 { lines.append("v\(k) = sin(\(k == 1 ? "x" : "v\(k - 1)"))") }
        let source = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n") + "\noutput v20000"
        let graph = try GraphLoader.load(SourceFile(name: "chain.grad", text: source), graphName: "chain", mode: .file).get()
        expectEqual(graph.tape.count, 20_001)
        expectEqual(graph.tape.names[graph.tape.output], "v20000")
    }
}
