import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Indexing, slicing and reshaping as NumPy reads them: values, the adjoint scattered back to the
// selected elements (checked element by element), and the errors.

private func loadText(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "index.grad", text: text), graphName: "index", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

private func loadErrors(_ text: String) -> String {
    switch GraphLoader.load(SourceFile(name: "index.grad", text: text), graphName: "index", mode: .file) {
    case .success: return ""
    case .failure(let failure): return failure.rendered()
    }
}

@Suite("Indexing, slicing and reshaping")
struct IndexTests {
    static let matrix = "input W = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\ninput x = [10, 20, 30, 40]\n"
    /// W's elements, row-major: W[i][j] = 3i + j + 1.
    static func w(_ i: Int, _ j: Int) -> Double { Double(3 * i + j + 1) }

    @Test func subscriptsParseAsNumPyWritesThem() {
        expectEqual(parsedShape("W[:, 1]"), "W[:,1]")
        expectEqual(parsedShape("x[1:3]"), "x[1:3]")
        expectEqual(parsedShape("x[-2:]"), "x[(-2):]")
        expectEqual(parsedShape("f(x)[0][1]"), "f(x)[0][1]")
        expectEqual(parsedShape("(a + b)[0]"), "(a+b)[0]")
        expectContains(parsedShape("x[]"), "an empty subscript")
    }

    /// Each selection's value, and its gradient: 1 on every selected element, 0 elsewhere.
    @Test(arguments: [
        ("W[1]", [[1, 0], [1, 1], [1, 2]]),
        ("W[:, 1]", [[0, 1], [1, 1], [2, 1]]),
        ("W[1, :]", [[1, 0], [1, 1], [1, 2]]),
        ("W[-1, 0]", [[2, 0]]),
        ("W[0:2, 1:]", [[0, 1], [0, 2], [1, 1], [1, 2]]),
        ("W[:2, 2]", [[0, 2], [1, 2]]),
        ("W[:, :]", [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]),
    ])
    func selectingFromAMatrix(_ expression: String, _ picked: [[Int]]) throws {
        let graph = try loadText(Self.matrix + "y = \(expression)\nL = sum(y * y)\noutput L\n")
        let solved = Solved(graph)
        try expectEqual(solved.value("y"), picked.map { Self.w($0[0], $0[1]) })
        var expected = [Double](repeating: 0, count: 9)
        for p in picked { expected[3 * p[0] + p[1]] = 2 * Self.w(p[0], p[1]) }
        try expectEqual(solved.gradient("W"), expected)
    }

    @Test(arguments: [("x[1:3]", [1, 2]), ("x[-2:]", [2, 3]), ("x[0]", [0]), ("x[:1]", [0]), ("x[2:99]", [2, 3])])
    func selectingFromAVector(_ expression: String, _ picked: [Int]) throws {
        let solved = Solved(try loadText(Self.matrix + "y = \(expression)\nL = sum(y)\noutput L\n"))
        try expectEqual(solved.value("y"), picked.map { Double(10 * ($0 + 1)) })
        try expectTrue(solved.gradient("x") == (0..<4).map { picked.contains($0) ? 1 : 0 })
    }

    @Test func subscriptsOfAComputedValue() throws {
        let solved = Solved(try loadText(Self.matrix + "y = (W @ W)[2][1]\noutput y\n"))
        // Row 2 of W·W, column 1: Σₖ W[2][k]·W[k][1] = 7·2 + 8·5 + 9·8.
        try expectEqual(solved.value("y"), [126])
    }

    @Test func badSubscriptsAreClearErrors() {
        let m = Self.matrix
        expectContains(loadErrors(m + "y = x[4]\noutput y\n"), "index 4 is out of range for an axis of 4 elements")
        expectContains(loadErrors(m + "y = W[0, 1, 2]\noutput y\n"), "3 subscripts for a tensor of rank 2")
        expectContains(loadErrors(m + "y = x[3:1]\noutput y\n"), "the slice 3:1 of an axis of 4 elements is empty")
        expectContains(loadErrors(m + "y = x[0.5]\noutput y\n"), "a subscript must be a whole number")
        // A tensor in a subscript is an index tensor (a gather): W's 4 is past x's end.
        expectContains(loadErrors(m + "y = x[W]\noutput y\n"), "index 4 is out of range for axis 0, of 4 elements")
        expectContains(loadErrors(m + "y = sum(x)[0]\noutput y\n"), "a scalar cannot be indexed")
        // Names where numbers belong: every name is still accounted for, nothing traps.
        expectContains(loadErrors(m + "a = 1\nb = 2\ny = x[a:b] + x[b]\noutput y\n"), "a subscript must be a number written out")
        expectContains(loadErrors(m + "a = 1\nb = 2\ny = reshape(W, [a, b])\nz = y + a\noutput z\n"), "a size must be a number written out")
    }

    @Test func reshapeAndFlattenKeepRowMajorOrder() throws {
        let graph = try loadText("""
        input W = [[1, 2, 3], [4, 5, 6]]
        a = flatten(W)
        b = reshape(W, [3, 2])
        c = reshape(a, [1, -1])
        L = sum(a * a) + sum(b * b * b) + sum(c)
        output L
        """)
        let solved = Solved(graph)
        try expectEqual(solved.value("a"), [1, 2, 3, 4, 5, 6])
        try expectEqual(solved.value("b"), [1, 2, 3, 4, 5, 6])
        expectEqual(graph.tape.entries[try solved.node("b")].shape, .matrix(3, 2))
        expectEqual(graph.tape.entries[try solved.node("c")].shape, .matrix(1, 6))
        // ∂/∂w of w² + w³ + w is 2w + 3w² + 1 for each element.
        let elements: [Double] = [1, 2, 3, 4, 5, 6]
        let expected = elements.map { (v: Double) -> Double in 2 * v + 3 * v * v + 1 }
        try expectEqual(solved.gradient("W"), expected)
        expectContains(loadErrors(Self.matrix + "y = reshape(W, [2, 4])\noutput y\n"), "cannot reshape 9 elements to [2×4]")
        expectContains(loadErrors(Self.matrix + "y = reshape(W, [-1, -1])\noutput y\n"), "only one size may be −1")
        expectContains(loadErrors(Self.matrix + "y = reshape(W, 9)\noutput y\n"), "reshape's shape is a list of one to four sizes")
    }

    /// `flatten` and `reshape` are one `reshape` op, a copy: the tape of a flatten of a
    /// [1000×1000] param holds its 10⁶ numbers three times (the param, the copy, and sum's
    /// one), not the 10¹² of a 0/1 selection matrix, and its gradient is 1 everywhere.
    @Test func flatteningAMillionElementsCostsTheirCopy() throws {
        let graph = try loadText("param a = ones([1000, 1000])\ny = sum(flatten(a))\noutput y\n")
        let tape = graph.tape
        expectEqual(tape.count, 3)
        expectEqual(tape.valueCount, 2_000_001)
        expectTrue(tape.leafData.count <= 1_000_000)
        let e = tape.entries[tape.entries.count - 2]
        expectTrue(e.op == .reshape && e.shape == .vector(1_000_000))
        let g = tape.adjoints(values: tape.evaluate())
        expectTrue(g.count == 2_000_001 && g[0 ..< 1_000_000].allSatisfy { $0 == 1 })
    }

    /// The 128×128 flatten the 0/1 product refused (its matrix passed the element limit).
    @Test func flatteningA128By128Matrix() throws {
        let graph = try loadText("param a = ones([128, 128])\ny = sum(flatten(a * a))\noutput y\n")
        let solved = Solved(graph)
        try expectEqual(solved.value("y"), [16_384])
        try expectEqual(solved.gradient("a"), [Double](repeating: 2, count: 16_384))
    }
}

/// A subscripted tensor literal or number needs its parentheses to parse back: the printer
/// keeps them (found by the fuzzer's round trip).
@Test func printedSubscriptsOfLiteralsParseBack() {
    for text in ["w = ([2, 39])[x, 1]", "v = (3)[0]", "u = f(x)[1]", "t = W[0][1]"] {
        let (program, errors) = Parser.parse(SourceFile(name: "p.grad", text: text))
        expectTrue(errors.isEmpty, "\(text)")
        let printed = program.description
        let (again, againErrors) = Parser.parse(SourceFile(name: "printed.grad", text: printed))
        expectTrue(againErrors.isEmpty, "\(printed) does not parse")
        expectEqual(again.description, printed)
    }
    expectEqual(Parser.parse(SourceFile(name: "p.grad", text: "w = ([2, 39])[x, 1]")).program.description, "w = ([2, 39])[x, 1]")
}
