import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// Every number of EXERCISES.md items 1–6 and 9–11 (and the descent of item 7), reproduced from
// the files in Graphs/ with a relative tolerance of 1e-9.

@Suite("Exercise 1: Baydin et al. (2018), f = ln(x1) + x1·x2 − sin(x2) at (2, 5)")
struct BaydinExerciseTests {
    let graph: Graph
    init() throws { graph = try loadGraph("baydin.grad") }

    @Test func tapeIsNumberedAsInThePaper() {
        // v₋₁, v₀, v₁ = ln v₋₁, v₂ = v₋₁·v₀, v₃ = sin v₀, v₄ = v₁ + v₂, v₅ = v₄ − v₃.
        let tape = graph.tape
        expectEqual(tape.entries.map(\.op), [.input, .input, .ln, .mul, .sin, .add, .sub])
        expectEqual(tape.entries.map(\.operands), [[], [], [0], [0, 1], [1], [2, 3], [5, 4]])
        expectEqual((0..<tape.count).map(tape.label), ["v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅"])
        expectTrue(graph.node(named: "x1") == 0 && graph.node(named: "x2") == 1 && graph.node(named: "y") == 6)
        expectTrue(graph.outputName == "y" && tape.output == 6)
    }

    @Test func primalTrace() {
        expectClose(graph.tape.evaluate(),
                    [2, 5, 0.6931471805599453, 10, -0.9589242746631385, 10.693147180559945, 11.652071455223084],
                    "v₋₁ … v₅")
    }

    @Test func forwardTangentTraceSeededOnX1() {
        let values = graph.tape.evaluate()
        let tangents = graph.tape.tangents(values: values, seed: graph.tape.tangentSeed(leaf: 0))
        expectClose(tangents, [1, 0, 0.5, 5, 0, 5.5, 5.5], "v̇₋₁ … v̇₅")
    }

    @Test func reverseAdjointTrace() {
        let adjoints = graph.tape.adjoints(values: graph.tape.evaluate())
        // By tape index: v̄₋₁, v̄₀, v̄₁, v̄₂, v̄₃, v̄₄, v̄₅.
        expectClose(adjoints, [5.5, 1.7163378145367738, 1, 1, -1, 1, 1], "v̄₋₁ … v̄₅")
        // v̄₀ = v̄₃·cos v₀ + v̄₂·v₋₁ and v̄₋₁ = v̄₂·v₀ + v̄₁/v₋₁, as the paper writes them.
        expectClose(adjoints[1], -1 * cos(5.0) + 1 * 2, "v̄₀")
        expectClose(adjoints[0], 1 * 5 + 1 / 2.0, "v̄₋₁")
    }

    @Test func traceTables() {
        let values = graph.tape.evaluate()
        assertSnapshot(Trace(tape: graph.tape, values: values, phase: .primal).render(.text), named: "baydin-primal")
        assertSnapshot(Trace(tape: graph.tape, values: values, phase: .forward, seedLeaf: 0).render(.text),
                       named: "baydin-forward-x1")
        let reverse = Trace(tape: graph.tape, values: values, phase: .reverse)
        assertSnapshot(reverse.render(.text), named: "baydin-reverse")
        assertSnapshot(reverse.render(.markdown), named: "baydin-reverse-markdown")
        assertSnapshot(reverse.render(.latex), named: "baydin-reverse-latex")
    }
}

@Suite("Exercises 2–5: scalar neurons and activations")
struct ScalarExerciseTests {
    @Test func multiplyingNeuronWithUpstreamGradient5() throws {
        let s = Solved(try loadGraph("neuron-multiply.grad"), seed: 5)
        expectClose(s.output, 6, "o")
        expectClose(try s.gradient("o"), [5], "∂L/∂o")
        expectClose(try s.gradient("x1"), [15], "∂L/∂x1")
        expectClose(try s.gradient("x2"), [10], "∂L/∂x2")
    }

    @Test func microgradReadme() throws {
        let s = Solved(try loadGraph("micrograd-readme.grad"))
        expectEqual(s.graph.outputName, "g")
        expectClose(s.output, 24.70408163265306, "g")
        expectClose(try s.gradient("a"), [138.83381924198252], "∂g/∂a")
        expectClose(try s.gradient("b"), [645.5772594752186], "∂g/∂b")
        // The intermediate values of the README's walk-through.
        for (name, value) in [("c", -2.0), ("d", 0), ("c2", -3), ("c3", -1), ("d2", 0), ("d3", 6), ("e", -7), ("f", 49)] {
            expectClose(try s.value(name), [value], name)
        }
    }

    @Test func tanhNeuron() throws {
        let s = Solved(try loadGraph("tanh-neuron.grad"))
        expectClose(s.output, 0.7071067811865477, "o")
        expectClose(try s.value("n"), [0.8813735870195432], "n")
        expectClose(try s.gradient("n"), [0.5], "∂o/∂n")
        expectClose(try s.gradient("x1"), [-1.5], "∂o/∂x1")
        expectClose(try s.gradient("w1"), [1.0], "∂o/∂w1")
        expectClose(try s.gradient("x2"), [0.5], "∂o/∂x2")
        expectClose(try s.gradient("w2"), [0], "∂o/∂w2")
    }

    @Test func sigmoidAtOneAndZero() throws {
        let one = Solved(try loadGraph("activation-sigmoid.grad"))
        expectClose(one.output, 0.7310585786300049, "σ(1)")
        expectClose(try one.gradient("x"), [0.19661193324148185], "σ'(1)")
        expectClose(try one.gradient("x"), [one.output * (1 - one.output)], "σ'(1) = σ(1)(1 − σ(1))")
        let zero = Solved(try loadGraph("activation-sigmoid.grad", values: [("x", "0")]))
        expectClose(zero.output, 0.5, "σ(0)")
        expectClose(try zero.gradient("x"), [0.25], "σ'(0)")
    }

    @Test func reluAtOne() throws {
        let s = Solved(try loadGraph("activation-relu.grad"))
        expectClose(s.output, 1, "relu(1)")
        expectClose(try s.gradient("x"), [1], "relu'(1)")
    }

    @Test func tanhOnAVector() throws {
        let s = Solved(try loadGraph("activation-tanh.grad"))
        expectClose(try s.value("a"), [0.35399171247704597, 0.18967498178023012, 0.5160933042900508], "tanh z")
        expectClose(try s.gradient("z"), [0.8746898674975684, 0.9640234012866694, 0.733647701266977], "1 − tanh² z")
    }

    @Test func atanhOnAVector() throws {
        let s = Solved(try loadGraph("activation-atanh.grad"))
        expectClose(try s.value("a"), [0.38842309971829614, 0.19441289455209984, 0.649005359663802], "atanh z")
        expectClose(try s.gradient("z"), [1.1586142973004288, 1.038274968436441, 1.4837697842153603], "1/(1 − z²)")
    }
}

@Suite("Exercises 6 and 7: Rosenbrock and gradient descent")
struct DescentExerciseTests {
    @Test func rosenbrockAtTheClassicStart() throws {
        let s = Solved(try loadGraph("rosenbrock.grad"))
        expectClose(s.output, 24.2, "f(−1.2, 1)")
        expectClose(try s.gradient("x"), [-215.6], "∂f/∂x")
        expectClose(try s.gradient("y"), [-88], "∂f/∂y")
    }

    @Test func rosenbrockMinimum() throws {
        let s = Solved(try loadGraph("rosenbrock.grad", values: [("x", "1"), ("y", "1")]))
        expectEqual(s.output, 0)
        try expectTrue(s.gradient("x") == [0] && s.gradient("y") == [0])
    }

    /// ∇f of Rosenbrock, by hand.
    static func rosenbrockGradient(_ x: Double, _ y: Double) -> (Double, Double) {
        (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
    }

    /// Runs `steps` steps of x ← x − rate·∇f on one tape, moving its leaves with
    /// `Evaluation.set` (the tape is never rebuilt), and returns the iterates and values.
    static func descend(_ graph: Graph, rate: Double, steps: Int) -> (points: [[Double]], values: [Double], recomputed: [Int]) {
        var evaluation = Evaluation(graph.tape)
        let leaves = graph.tape.differentiableLeaves
        var points: [[Double]] = [], values: [Double] = [], recomputed: [Int] = []
        let out = Int(graph.tape.entries[graph.tape.output].offset)
        for _ in 0..<steps {
            let g = evaluation.adjoints()
            let point = leaves.map { evaluation.value($0).first! }
            points.append(point)
            values.append(evaluation.values[out])
            let moved = zip(leaves, point).map { leaf, x in
                (leaf: leaf, values: [x - rate * g[Int(graph.tape.entries[leaf].offset)]])
            }
            recomputed.append(evaluation.set(moved))
        }
        points.append(leaves.map { evaluation.value($0).first! })
        values.append(evaluation.values[out])
        return (points, values, recomputed)
    }

    @Test func rosenbrockDescentWithASmallRateCrawls() throws {
        let graph = try loadGraph("rosenbrock.grad")
        let rate = 0.001
        let run = Self.descend(graph, rate: rate, steps: 200)
        // The same iterates by hand, step by step.
        var (x, y) = (-1.2, 1.0)
        for k in 0..<5 {
            expectClose(run.points[k], [x, y], "iterate \(k)")
            let (gx, gy) = Self.rosenbrockGradient(x, y)
            (x, y) = (x - rate * gx, y - rate * gy)
        }
        // Every step goes downhill, but after 200 steps it is still far from (1, 1).
        for k in 1..<run.values.count { expectTrue(run.values[k] < run.values[k - 1], "step \(k)") }
        expectTrue(run.values.last! < 24.2 && run.values.last! > 0.1)
        // Both leaves move at every step, so every computed node is recomputed, on the same tape.
        expectTrue(run.recomputed.allSatisfy { $0 == graph.tape.count - graph.tape.firstComputed })
    }

    @Test func rosenbrockDescentWithALargeRateDiverges() throws {
        let run = Self.descend(try loadGraph("rosenbrock.grad"), rate: 0.01, steps: 6)
        expectTrue(run.values[1] > run.values[0])
        expectTrue(!(run.values.last! < 1e6), "f after 6 steps: \(run.values.last!)")
    }

    @Test func squareWithRateOneJumpsBetweenMinusOneAndOne() throws {
        let graph = try loadExpression("x^2", values: [("x", "-1")])
        let run = Self.descend(graph, rate: 1, steps: 8)
        expectEqual(run.points.map { $0[0] }, [-1, 1, -1, 1, -1, 1, -1, 1, -1])
        expectTrue(run.values.allSatisfy { $0 == 1 })
    }

    @Test func squareWithASmallerRateConverges() throws {
        let graph = try loadExpression("x^2", values: [("x", "-1")])
        let run = Self.descend(graph, rate: 0.1, steps: 40)
        // x ← x − 0.1·2x = 0.8x.
        for (k, point) in run.points.enumerated() { expectClose(point[0], -pow(0.8, Double(k)), "x\(k)") }
        expectTrue(abs(run.points.last![0]) < 1e-3)
    }
}

@Suite("Exercises 9 and 10: MLP, perceptron, XOR")
struct NetworkExerciseTests {
    @Test func mlpForward() throws {
        let s = Solved(try loadGraph("mlp-relu-softmax.grad"))
        expectClose(try s.value("z"), [-0.163, -0.347, 0.664], "W·x + B")
        expectClose(try s.value("h"), [0, 0, 0.664], "h")
        expectClose(try s.value("o"), [0.39176, -0.52456], "o")
        expectClose(try s.value("p"), [0.7142916873351596, 0.2857083126648404], "p")
        expectClose(s.output, 0.3364638743869531, "L")
    }

    @Test func mlpBackward() throws {
        let s = Solved(try loadGraph("mlp-relu-softmax.grad"))
        let p = try s.value("p")
        expectClose(try s.gradient("o"), [p[0] - 1, p[1] - 0], "∂L/∂o = p − t")
        let dW1 = try s.gradient("W1")
        expectClose(Array(dW1[0..<3]), [0, 0, -0.18971031960945403], "∂L/∂W1 row 0")
        let dW = try s.gradient("W")
        expectClose(Array(dW[0..<4]), [0, 0, 0, 0], "∂L/∂W rows 0 and 1 (dead ReLUs)")
        expectClose(Array(dW[4..<6]), [-0.3548497243297318, -0.27599423003423584], "∂L/∂W row 2")
        expectClose(try s.gradient("B"), [-0.39427747147747977], "∂L/∂B")
        // B was broadcast to three units: its gradient is the sum of theirs.
        let dz = try s.gradient("z")
        expectClose(try s.gradient("B"), [dz.reduce(0, +)], "∂L/∂B = Σ ∂L/∂z")
        expectClose(try s.gradient("x"), [-0.1458826644466675, -0.18531041159441547], "∂L/∂x")
    }

    @Test func singleHiddenUnit() throws {
        let s = Solved(try loadGraph("mlp-hidden-unit.grad"))
        expectClose(try s.value("s"), [-0.164], "w·x + b")
        expectEqual(s.output, 0)
        try expectTrue(s.gradient("w") == [0, 0] && s.gradient("b") == [0])
    }

    @Test(arguments: [("-1.5", [-1.5, -0.5, -0.5, 0.5], [0.0, 0, 0, 1]),
                      ("-2.5", [-2.5, -1.5, -1.5, -0.5], [0, 0, 0, 0]),
                      ("-0.25", [-0.25, 0.75, 0.75, 1.75], [0, 1, 1, 1])])
    func perceptronSums(bias: String, sums: [Double], fires: [Double]) throws {
        let s = Solved(try loadGraph("perceptron-and.grad", values: [("b", bias)]))
        expectClose(try s.value("s"), sums, "sums with bias \(bias)")
        try expectEqual(s.value("out"), fires)
        // Step has no slope: no gradient reaches the weights.
        try expectTrue(s.gradient("w") == [0, 0] && s.gradient("b") == [0])
    }

    @Test func perceptronComputesAnd() throws {
        let s = Solved(try loadGraph("perceptron-and.grad"))
        expectEqual(s.output, 0)
    }

    @Test func xorNetwork() throws {
        let s = Solved(try loadGraph("xor-network.grad"))
        expectClose(try s.value("out"), [0, 1, 1, 0], abs: 0.01, "XOR truth table")
        expectTrue(s.output < 1e-4)
        try expectTrue(s.gradient("w2").allSatisfy { $0 != 0 && $0.isFinite })
    }
}

@Suite("Exercise 11: two-layer tanh network, closed-form gradients (3 and 500 hidden units)")
struct TwoLayerTanhExerciseTests {
    @Test(arguments: ["two-layer-tanh.grad", "two-layer-tanh-500.grad"])
    func closedFormsAgreeWithTheEngine(file: String) throws {
        let s = Solved(try loadGraph(file))
        func matrix(_ name: String, _ buffer: [Double]) throws -> Matrix {
            let shape = s.graph.tape.entries[try s.node(name)].shape
            return Matrix(rows: Int(shape.rows), cols: Int(shape.cols), data: buffer)
        }
        let x = try matrix("x", s.value("x")), W1 = try matrix("W1", s.value("W1"))
        let W2 = try matrix("W2", s.value("W2"))
        let b1 = try s.value("b1"), b2 = try s.value("b2")
        let y = try matrix("y", s.value("y"))

        // Forward, by hand.
        let z1 = (x * W1).addingRow(b1)
        expectClose(try s.value("z1"), z1.data, "z1 = x·W1 + b1")
        let a1 = z1.map(tanh)
        let z2 = (a1 * W2).addingRow(b2)
        expectClose(try s.value("z2"), z2.data, "z2 = a1·W2 + b2")
        var yhat = z2
        for i in 0..<z2.rows {
            let e = (0..<z2.cols).map { exp(z2[i, $0]) }
            for j in 0..<z2.cols { yhat.data[i * z2.cols + j] = e[j] / e.reduce(0, +) }
        }
        expectClose(try s.value("yhat"), yhat.data, "ŷ = softmax z2")
        expectClose(s.output, -zip(y.data, yhat.data).map { $0 * log($1) }.reduce(0, +), "L")

        // Backward, by the closed forms.
        let dz2 = yhat - y
        expectClose(try s.gradient("z2"), dz2.data, "∂L/∂z2 = ŷ − y")
        expectClose(try s.gradient("W2"), (a1.transposed * dz2).data, "∂L/∂W2 = a1ᵀ(ŷ − y)")
        expectClose(try s.gradient("b2"), dz2.columnSums, "∂L/∂b2 = Σ rows (ŷ − y)")
        let dz1 = z1.map { 1 - tanh($0) * tanh($0) } ⊙ (dz2 * W2.transposed)
        // Some entries of (ŷ − y)W2ᵀ cancel to ~1e-18, where BLAS's summation order and this
        // loop's differ in every digit: an absolute floor far below the entries' 0.1 scale.
        expectClose(try s.gradient("z1"), dz1.data, abs: 1e-15, "∂L/∂z1 = (1 − tanh² z1) ⊙ ((ŷ − y)W2ᵀ)")
        expectClose(try s.gradient("W1"), (x.transposed * dz1).data, abs: 1e-15, "∂L/∂W1 = xᵀ[(1 − tanh² z1) ⊙ ((ŷ − y)W2ᵀ)]")
        expectClose(try s.gradient("b1"), dz1.columnSums, abs: 1e-15, "∂L/∂b1 = Σ rows (1 − tanh² z1) ⊙ ((ŷ − y)W2ᵀ)")
        expectClose(try s.gradient("x"), (dz1 * W1.transposed).data, "∂L/∂x")
    }
}
