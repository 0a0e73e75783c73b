import Foundation
import GraphCore
@testable import GraphLanguage
import Testing
import TestSupport

/// A program written in order is loaded in one pass without a syntax tree
/// (`SinglePassLoader`); anything else, and anything wrong, goes through the parser and the
/// lowering. The graph must be the same either way, field by field: each program here is
/// loaded both ways and compared.
@Suite("Single-pass loading")
struct SinglePassLoaderTests {
    /// Everything a loaded graph holds, in comparable form (numbers by their bits).
    private struct Loaded: Equatable {
        var name, outputName, source: String
        var ranges: [SourceRange?]
        var symbols: [String: Int]
        var outputs: [String]
        var groups: [String]
        var dataSets: Int
        var entries: [TapeEntry]
        var leafData: [UInt64]
        var valueCount, output, firstComputed: Int
        var names: [String?]
        var isAllScalar, isShapesOnly: Bool
        var foldedFormulas: [Int: String]

        init(_ g: Graph) {
            (name, outputName, source, ranges, symbols) = (g.name, g.outputName, g.source.text, g.ranges, g.symbols)
            outputs = g.outputs.map { "\($0.name)=\($0.node)" }
            groups = g.groups.map(\.name)
            dataSets = g.dataSets.count
            let t = g.tape
            (entries, leafData, valueCount, output, firstComputed) = (t.entries, t.leafData.map(\.bitPattern), t.valueCount, t.output, t.firstComputed)
            (names, isAllScalar, isShapesOnly, foldedFormulas) = (t.names, t.isAllScalar, t.isShapesOnly, t.foldedFormulas)
        }
    }

    private static func file(_ text: String) -> SourceFile { SourceFile(name: "t.grad", text: text) }

    /// The single pass's graph, or nil when it leaves the file to the usual way.
    private static func singlePass(_ text: String, shapesOnly: Bool = false) -> Loaded? {
        SinglePassLoader.load(file(text), graphName: "t", shapesOnly: shapesOnly).map(Loaded.init)
    }

    /// The usual way's graph, or its rendered diagnostics.
    private static func usualWay(_ text: String, shapesOnly: Bool = false) -> Result<Loaded, LoadFailure> {
        GraphLoader.load(file(text), graphName: "t", mode: .file, shapesOnly: shapesOnly, singlePass: false).map(Loaded.init)
    }

    /// A random program in order: declarations with numbers, assignments of every form the
    /// single pass takes (with operands that are numbers or names defined above, so some
    /// fold), and sometimes `output` (anywhere, even above its definition). With `aliases`,
    /// some assignments just rename a node (`v = a`, `v = +a`), which the single pass leaves
    /// to the usual way.
    static func randomProgram(seed: UInt64, aliases: Bool = false) -> String {
        var rng = SeededGenerator(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        let known = { (name: String) -> Bool in Op.functions[name] != nil }
        let unary: [String] = ["sin", "cos", "tanh", "exp", "ln", "sqrt", "abs", "relu", "sigmoid"].filter(known)
        let binary: [String] = ["max", "min", "pow"].filter(known)
        let infix: [String] = ["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!="]
        let numbers: [String] = ["2", "0.5", "3.25", "1e-3", "0", "7"]
        var defined: [String] = []
        var lines: [String] = []
        for i in 0 ..< 3 + Int(rng.next() % 40) {
            if defined.isEmpty || rng.next() % 5 == 0 {
                let sign: String = rng.next() % 3 == 0 ? "-" : ""
                lines.append("\(pick(["input", "param", "const"])) l\(i) = \(sign)\(pick(numbers))")
                defined.append("l\(i)")
                continue
            }
            // Recent names more often, so chains (and ties of depth) form.
            // The draws in the order the one-line form made them: the choice, then the offset,
            // then the width of the window it falls in.
            func operand() -> String {
                if rng.next() % 6 == 0 { return pick(numbers) }
                let draw: UInt64 = rng.next()
                let window: Int = min(defined.count, 4 + Int(rng.next() % 20))
                let back: Int = Int(draw % UInt64(window))
                return defined[defined.count - 1 - back]
            }
            let right: String
            switch rng.next() % (aliases ? 9 : 7) {
            case 0, 1: right = "\(operand()) \(pick(infix)) \(operand())"
            case 2, 3: right = "\(pick(unary))(\(operand()))"
            case 4: right = "\(pick(binary))(\(operand()), \(operand()))"
            case 5: right = "-\(operand())"
            case 6: right = pick(numbers)
            case 7: right = defined[Int(rng.next() % UInt64(defined.count))]
            default: right = "+\(defined[Int(rng.next() % UInt64(defined.count))])"
            }
            lines.append("v\(i) = \(right)")
            defined.append("v\(i)")
        }
        if rng.next() % 2 == 0 {
            lines.insert("output \(pick(defined))", at: Int(rng.next() % UInt64(lines.count + 1)))
        }
        let separator: String = rng.next() % 4 == 0 ? "; " : "\n"
        return lines.joined(separator: separator) + "\n"
    }

    @Test(arguments: 0 ..< 300)
    func aRandomProgramInOrderLoadsAlikeBothWays(_ seed: Int) throws {
        let text = Self.randomProgram(seed: UInt64(seed))
        let fast = try #require(Self.singlePass(text), "the single pass took \(text)")
        #expect(fast == (try Self.usualWay(text).get()), "\(text)")
        if seed % 10 == 0 {
            let shapes = try #require(Self.singlePass(text, shapesOnly: true))
            #expect(shapes == (try Self.usualWay(text, shapesOnly: true).get()), "\(text)")
        }
    }

    /// With renames among the statements the single pass gives up on those programs; when it
    /// takes one (none renamed), the graph is still the same.
    @Test(arguments: 0 ..< 100)
    func aProgramWithRenamesLoadsAlikeOrGoesTheUsualWay(_ seed: Int) throws {
        let text = Self.randomProgram(seed: UInt64(seed), aliases: true)
        let usual = try Self.usualWay(text).get()
        if let fast = Self.singlePass(text) { #expect(fast == usual, "\(text)") }
        #expect(Loaded(try GraphLoader.load(Self.file(text), graphName: "t", mode: .file).get()) == usual)
    }

    /// The dependency order is not the source order: `t` uses only `p`, so the lowering adds
    /// it before `r`, which waits for `q` too, and both are at depth 2.
    @Test func tiesOfDepthGoByTheLoweringsOrderNotTheSourceOrder() throws {
        let text = "input x = 1\np = sin(x)\nq = cos(x)\nr = p * q\nt = tanh(p)\noutput r\n"
        let fast = try #require(Self.singlePass(text))
        #expect(fast == (try Self.usualWay(text).get()))
        let names = fast.names.map { $0 ?? "" }
        #expect(try #require(names.firstIndex(of: "t")) < (try #require(names.firstIndex(of: "r"))))
    }

    /// Every form the single pass does not take, and every mistake: it gives up, and loading
    /// gives what the usual way gives (the same graph, or the same diagnostics).
    static let fallbacks = [
        "y = x + 1\ninput x = 2\n",                               // a forward reference
        "input x = 1\ngroup g {\n  y = sin(x)\n}\n",                // a group
        "def f(a) = a + 1\ninput x = 1\ny = f(x)\n",                // a def
        "input x = 1\nfor t in 0..<3 {\n  y = x\n}\n",              // a loop
        "input x = [1, 2]\ny = sum(x)\n",                           // a tensor
        "input x = 1\ny = (x + 1)\n", "input x = 1\ny = x + 1 + 2\n", "input x = 1\ny = sin(x)[0]\n",
        "input x = 1\ny = x\nz = y\n", "input x = 1\ny = +x\n",      // renames
        "input x = 1\ny = sin(x)\ny = cos(x)\n",                    // defined twice
        "input x = 1\ninput x = 2\ny = sin(x)\n",
        "input x = 1\ny = sin(z)\n", "input x = 1\ny = sinn(x)\n",  // unknown names
        "input x = 1\ny = x + 1e400\n",                             // a number out of range
        "input x = 1\ny = sin(x)\noutput z\n", "input x = 1\ny = sin(x)\noutput y, x\n",
        "input x = 1\ny = sin(x)\noutput y\noutput x\n",
        "input x = 1\nsin(x)\n",                                    // a bare expression
        "data d = \"missing.csv\"\ny = sum(d)\n", "input x = 1\n", "", "# only a comment\n",
        "input x = 1\nexp = x + 1\n",                               // a function's name: a warning
        "input x = 1\ny = cross_entropy(x, x)\n", "input x = 1\ny = sin(x, x)\n", "input x = 1\ny = max(x)\n",
        "input x = 1\ny = sin(x\n", "input x = 1\ny = x $ 2\n", "input x = 1\ny = x +\n", "input = 1\n",
        "input x = 1\ny = x @ x\n", "input x = 1\ny = f(x=1)\n", "input x = 1\ny = x ** 2\n",
    ]

    @Test(arguments: fallbacks)
    func aProgramOutOfReachGoesTheUsualWay(_ text: String) {
        #expect(Self.singlePass(text) == nil)
        let loaded = GraphLoader.load(Self.file(text), graphName: "t", mode: .file).map(Loaded.init)
        switch (loaded, Self.usualWay(text)) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect(a.rendered() == b.rendered())
        default: Issue.record("one way loaded \(text) and the other did not")
        }
    }

    /// The graphs of `Graphs/` and the fuzzer's corpus: whatever the single pass takes, it
    /// loads as the usual way does.
    @Test(arguments: LexerFastPathTests.files)
    func aFileLoadsAlikeWhenTheSinglePassTakesIt(_ url: URL) throws {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        guard let fast = Self.singlePass(text) else { return }
        #expect(fast == (try Self.usualWay(text).get()))
    }

    /// The benchmark's workload takes the single pass.
    @Test func aGeneratedFileTakesTheSinglePass() throws {
        var lines = ["# a generated file", "input x0 = 0.5", "input x1 = -0.25"]
        for i in 1...300 {
            let a = i == 1 ? "x0" : "v\(i - 1)", b = i % 3 == 0 ? "x1" : "v\(max(1, i / 2))"
            lines.append(["v\(i) = \(a) + \(b)", "v\(i) = sin(\(a))", "v\(i) = \(a) * \(i == 1 ? "x1" : b)", "v\(i) = exp(\(a))"][i % 4])
        }
        lines.append("output v300")
        let text = lines.joined(separator: "\n") + "\n"
        let fast = try #require(Self.singlePass(text))
        #expect(fast == (try Self.usualWay(text).get()))
    }
}
