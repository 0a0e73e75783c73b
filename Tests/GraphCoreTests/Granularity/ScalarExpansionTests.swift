import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// The neuron-level view gives the tensor view's numbers: values, forward-mode tangents and
// every leaf element's gradient, for every graph in Graphs/ and every op of the op table.

/// Checks `neurons` against `tape` element by element: every node's value and tangent (under
/// one random seed on all leaves), every input and param element's gradient. Tolerance: 1e-12
/// relative to the larger number, or to the largest entry of the same kind (that tensor's
/// values or tangents, all the gradients) where a true zero is a sum that cancels to rounding
/// noise: the scalar tape adds a gradient's terms in another order (batch norm's ∂L/∂β).
func expectSameNumbers(_ tape: Tape, _ neurons: ScalarExpansion, _ what: String) {
    let values = tape.evaluate(), scalarValues = neurons.tape.evaluate()
    var rng = SplitMix64(seed: 12)
    var seed = [Double](repeating: 0, count: tape.valueCount)
    var scalarSeed = [Double](repeating: 0, count: neurons.tape.valueCount)
    for leaf in tape.differentiableLeaves {
        for (k, node) in neurons.elementNodes[leaf].enumerated() {
            let direction = Double.random(in: -1...1, using: &rng)
            seed[Int(tape[leaf].offset) + k] = direction
            scalarSeed[Int(neurons.tape[node].offset)] = direction
        }
    }
    let tangents = tape.tangents(values: values, seed: seed)
    let scalarTangents = neurons.tape.tangents(values: scalarValues, seed: scalarSeed)
    let adjoints = tape.adjoints(values: values), scalarAdjoints = neurons.tape.adjoints(values: scalarValues)

    let gradientScale = tape.differentiableLeaves.flatMap { leaf in
        (0..<tape[leaf].count).map { Swift.abs(adjoints[Int(tape[leaf].offset) + $0]) }
    }.max() ?? 0

    func compare(_ name: String, _ node: Int, _ tensor: [Double], _ scalar: [Double], scale: Double? = nil) {
        let e = tape[node]
        let slice = (0..<e.count).map { tensor[Int(e.offset) + $0] }
        let scale = scale ?? slice.map(Swift.abs).max() ?? 0
        for (k, s) in neurons.elementNodes[node].enumerated() {
            let t = slice[k], v = scalar[Int(neurons.tape[s].offset)]
            expectTrue(isClose(t, v, rel: 1e-12, abs: 1e-12 * scale), "\(what): \(name) of \(tape.displayName(node))[\(k)]: tensor \(t), scalar \(v)")
        }
    }
    for node in 0..<tape.count {
        compare("value", node, values, scalarValues)
        compare("tangent", node, tangents, scalarTangents)
    }
    for leaf in tape.differentiableLeaves { compare("gradient", leaf, adjoints, scalarAdjoints, scale: gradientScale) }
    expectTrue(neurons.tape.entries.allSatisfy { $0.shape.isScalar }, "\(what): a node is not a scalar")
}

@Test(arguments: graphFiles().map(\.lastPathComponent))
func scalarViewOfAnExampleGraphHasTheTensorViewsNumbers(file: String) throws {
    let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
    // Past the drawing limit too (the conv examples' views run to a few hundred thousand
    // nodes): the numbers must agree for every example, drawn or not.
    let neurons = try graph.tape.scalarExpansion(maximumNodes: 2_000_000)
    expectSameNumbers(graph.tape, neurons, file)
}

@Test(arguments: opCases)
func scalarViewOfEveryOpHasTheTensorViewsNumbers(_ c: OpCase) throws {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<3 {
        let tape = try scalarised(c, &rng)
        expectSameNumbers(tape, try tape.scalarExpansion(), c.testDescription)
    }
}

/// `h = W @ x` with W [2×3]: six products W[i,j]·x[j], and each h[i] the sum of its row's three
/// products, added from the left (one partial sum and the sum that takes the name h[i]).
@Test func matrixTimesVectorGivesSixProductsAndTwoSums() throws {
    let graph = try GraphLoader.load(expression: "h = W @ x; L = sum(h)",
                                     values: [("W", "[[1, 2, 3], [4, 5, 6]]"), ("x", "[1, -1, 2]")]).get()
    let neurons = try graph.tape.scalarExpansion()
    let tape = neurons.tape, names = tape.names
    let h = try #require(graph.node(named: "h"))

    let products = tape.entries.indices.filter { tape[$0].op == .mul }
    expectEqual(products.count, 6)
    expectEqual(Set(products.compactMap { names[$0] }), ["W[0,0]·x[0]", "W[0,1]·x[1]", "W[0,2]·x[2]", "W[1,0]·x[0]", "W[1,1]·x[1]", "W[1,2]·x[2]"])
    let hNodes = neurons.elementNodes[h]
    expectEqual(hNodes.map { names[$0] }, ["h[0]", "h[1]"])
    expectTrue(hNodes.allSatisfy { tape[$0].op == .add })
    // Element 0 of h owns its three products and two additions; h[1] the same.
    expectEqual(neurons.scalarNodes(of: h).count, 10)
    expectEqual(neurons.scalarNodes(of: h).filter { neurons.owner[$0].element == 0 }.count, 5)
    expectEqual(neurons.scalarNodes(of: h).filter { tape[$0].op == .add }.count, 4)
    // h = [1 − 2 + 6, 4 − 5 + 12]
    let v = tape.evaluate()
    expectEqual(hNodes.map { v[$0] }, [5, 11])
    // L = h[0] + h[1] keeps the name L.
    expectTrue(names[tape.output] == "L" && v[tape.output] == 16)
}

/// Leaves become one scalar leaf per element, in declaration order, row-major.
@Test func leavesBecomeOneLeafPerElementInDeclarationOrder() throws {
    let graph = try GraphLoader.load(expression: "y = sum(W @ x) + b",
                                     values: [("W", "[[1, 2], [3, 4], [5, 6]]"), ("x", "[1, 2]"), ("b", "0.5")]).get()
    let tape = try graph.tape.scalarExpansion().tape
    let leaves = tape.differentiableLeaves.map { tape.names[$0] ?? "?" }
    let declared = graph.differentiableLeaves.map(\.name)
    expectEqual(declared, ["W", "x", "b"])
    expectEqual(leaves, ["W[0,0]", "W[0,1]", "W[1,0]", "W[1,1]", "W[2,0]", "W[2,1]", "x[0]", "x[1]", "b"])
}

/// A transpose renames: its elements are its operand's nodes, and it adds none of its own.
@Test func transposeOnlyRenames() throws {
    let graph = try GraphLoader.load(expression: "T = transpose(A); y = sum(T * B)",
                                     values: [("A", "[[1, 2, 3], [4, 5, 6]]"),
                                              ("B", "[[1, 0], [0, 1], [1, 1]]")]).get()
    let neurons = try graph.tape.scalarExpansion()
    let a = try #require(graph.node(named: "A")), t = try #require(graph.node(named: "T"))
    expectTrue(neurons.scalarNodes(of: t).isEmpty)
    let A = neurons.elementNodes[a]
    expectEqual(neurons.elementNodes[t], [A[0], A[3], A[1], A[4], A[2], A[5]])
}

/// A tensor output is summed into one node, as the tensor tape seeds each output element with 1.
@Test func tensorOutputIsSummedIntoOneNode() throws {
    let graph = try GraphLoader.load(expression: "h = tanh(x)", values: [("x", "[0.5, -1, 2]")]).get()
    let tape = try graph.tape.scalarExpansion().tape
    expectEqual(tape.names[tape.output], "Σ h")
    let v = tape.evaluate()
    expectTrue(isClose(v[tape.output], Foundation.tanh(0.5) + Foundation.tanh(-1) + Foundation.tanh(2), rel: 1e-15))
}

/// A graph whose scalar view would pass the limit is refused before it is built, with the node
/// it was at, instead of becoming hundreds of thousands of boxes.
@Test func scalarViewPastTheLimitIsAClearError() throws {
    let n = 200
    let row = "[" + Array(repeating: "0.5", count: n).joined(separator: ", ") + "]"
    let graph = try GraphLoader.load(expression: "h = W @ x; L = sum(h)",
                                     values: [("W", "[" + Array(repeating: row, count: n).joined(separator: ", ") + "]"),
                                              ("x", row)]).get()
    #expect(throws: ExpansionError.self) { try graph.tape.scalarExpansion() }
    do {
        _ = try graph.tape.scalarExpansion()
    } catch {
        expectContains(error.description, "more than 50,000 nodes")
        // The 40,200 leaves fit; the product's 79,800 multiply-adds do not.
        expectContains(error.description, "@")
        expectContains(error.description, "[200]")
    }
    // A smaller limit applies the same way.
    let small = try GraphLoader.load(expression: "y = sum(x * x)", values: [("x", "[1, 2, 3]")]).get()
    #expect(throws: ExpansionError.self) { try small.tape.scalarExpansion(maximumNodes: 5) }
    try expectEqual(small.tape.scalarExpansion(maximumNodes: 8).tape.count, 8)
}

/// Empty tensors cannot be written in the language, but the builder takes them: their sums
/// are a constant 0, as in the kernels, and nothing traps.
@Test func emptyTensorsSumToZero() throws {
    var b = TapeBuilder()
    let w = b.leaf(.param, .matrix(2, 0), [], name: "W")
    let x = b.leaf(.input, .vector(0), [], name: "x")
    let y = try b.apply(.sum, [b.apply(.matmul, [w, x], name: "h")], name: "y")
    let tape = b.finish(output: y).tape
    let neurons = try tape.scalarExpansion()
    expectEqual(neurons.tape.evaluate()[neurons.tape.output], 0)
    expectSameNumbers(tape, neurons, "empty")
}
