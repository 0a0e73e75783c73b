import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `for t in a..<b { … }` loops, written out once per iteration (issue 18): the values, the
// gradients through time against a hand-written BPTT loop and finite differences, the groups
// per iteration, and every misuse as a located error.

private func load(_ text: String, name: String = "loop.grad") throws -> Graph {
    switch GraphLoader.load(SourceFile(name: name, text: text), graphName: "loop", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

/// The rendered errors of a program that must not load.
private func failure(_ text: String, name: String = "loop.grad") -> String {
    switch GraphLoader.load(SourceFile(name: name, text: text), graphName: "loop", mode: .file) {
    case .success: return "loaded"
    case .failure(let failure): return failure.rendered()
    }
}

@Suite("Loops: for t in a..<b, written out per iteration")
struct LoopTests {
    // MARK: - Values and gradients

    @Test func aScalarRecurrenceByHand() throws {
        // h = 1; h ← 2h + t for t = 0, 1, 2: 2, 5, 12; dh/dx = 2³ = 8.
        let solved = Solved(try load("input x = 1\nh = x\nfor t in 0..<3 {\n    h = h * 2 + t\n}\ny = h\noutput y\n"))
        expectClose(solved.output, 12, rel: 1e-15)
        expectClose(try solved.gradient("x"), [8], rel: 1e-15)
        expectClose(try solved.value("h@t=0"), [2], rel: 1e-15)
        expectClose(try solved.value("h@t=1"), [5], rel: 1e-15)
        expectClose(try solved.value("h@t=2"), [12], rel: 1e-15)
    }

    @Test func aConstBoundArithmeticOnTheVariableAndUsesBeforeTheAssignment() throws {
        // s reads h before h is assigned in the same iteration: the previous value.
        // t = 1, 2: x[t - 1] is 10 then 20; h: 1 → 1·3 + 10 = 13 → 13·3 + 20 = 59;
        // s: h before each step, 1 then 13, summed into acc: 14.
        let text = """
            const T = 3
            const x = [10, 20, 30]
            input w = 3
            h = 1
            acc = 0
            for t in 1..<T {
                acc = acc + h
                h = h * w + x[t - 1]
            }
            y = h + acc
            output y
            """
        let solved = Solved(try load(text))
        expectClose(try solved.value("h"), [1], rel: 0)
        expectClose(try solved.value("h@t=2"), [59], rel: 1e-15)
        expectClose(try solved.value("acc@t=2"), [14], rel: 1e-15)
        expectClose(solved.output, 73, rel: 1e-15)
        // y = (w + 10)w + 20 + 1 + (w + 10): dy/dw = 2w + 10 + 1 = 17 at w = 3.
        expectClose(try solved.gradient("w"), [17], rel: 1e-15)
    }

    /// The BPTT exercise by hand: forward through the four steps, then the adjoints back.
    static func bpttByHand() -> (loss: Double, W: [Double], U: [Double], b: [Double], h0: [Double]) {
        let W: [[Double]] = [[0.5, -0.3], [0.2, 0.4]], U: [[Double]] = [[0.8, 0.1], [-0.4, 0.6]], b: [Double] = [0.1, -0.1]
        let x: [[Double]] = [[1, 0], [0.5, -1], [-0.5, 0.5], [1, 1]], y: [[Double]] = [[0.5, 0], [0, -0.5], [-0.5, 0.5], [0.5, 0.5]]
        var hs: [[Double]] = [[0, 0]], loss: Double = 0
        for t in 0..<4 {
            let prev = hs[t]
            let h: [Double] = (0..<2).map { (i: Int) -> Double in
                let recurrent: Double = W[i][0] * prev[0] + W[i][1] * prev[1]
                let fromInput: Double = U[i][0] * x[t][0] + U[i][1] * x[t][1]
                return tanh(recurrent + fromInput + b[i])
            }
            let e0: Double = h[0] - y[t][0], e1: Double = h[1] - y[t][1]
            loss += 0.5 * (e0 * e0 + e1 * e1)
            hs.append(h)
        }
        var dW = [Double](repeating: 0, count: 4), dU = dW, db: [Double] = [0, 0], dh: [Double] = [0, 0]
        for t in stride(from: 3, through: 0, by: -1) {
            let h = hs[t + 1], prev = hs[t]
            let carried: [Double] = (0..<2).map { (i: Int) -> Double in dh[i] + h[i] - y[t][i] }
            let da: [Double] = (0..<2).map { (i: Int) -> Double in carried[i] * (1 - h[i] * h[i]) }
            for i in 0..<2 {
                for j in 0..<2 {
                    dW[2 * i + j] += da[i] * prev[j]
                    dU[2 * i + j] += da[i] * x[t][j]
                }
                db[i] += da[i]
            }
            dh = (0..<2).map { (j: Int) -> Double in W[0][j] * da[0] + W[1][j] * da[1] }
        }
        return (loss, dW, dU, db, dh)
    }

    @Test func theBPTTExerciseAgreesWithAHandLoop() throws {
        let graph = try loadGraph("bptt-rnn.grad")
        let solved = Solved(graph)
        let expected = Self.bpttByHand()
        expectClose(solved.output, expected.loss, rel: 1e-14)
        expectClose(try solved.gradient("W"), expected.W, rel: 1e-12, "∂L/∂W")
        expectClose(try solved.gradient("U"), expected.U, rel: 1e-12, "∂L/∂U")
        expectClose(try solved.gradient("b"), expected.b, rel: 1e-12, "∂L/∂b")
        expectClose(try solved.gradient("h0"), expected.h0, rel: 1e-12, "∂L/∂h0")
    }

    @Test func theBPTTExerciseAgreesWithFiniteDifferences() throws {
        let results = GradientCheck.check(try loadGraph("bptt-rnn.grad").tape)
        // W and U (4 each), b and h0 (2 each).
        expectEqual(results.count, 12)
        for r in results { expectEqual(GradientCheck.Verdict(r), .pass, "\(r)") }
    }

    @Test func eachIterationIsAGroupAndItsValuesAreNamedByIteration() throws {
        let graph = try loadGraph("bptt-rnn.grad")
        expectEqual(graph.groups.map(\.name), ["t=0", "t=1", "t=2", "t=3"])
        for (k, group) in graph.groups.enumerated() {
            let h = try #require(graph.node(named: "h@t=\(k)"))
            expectContains(group.members, h, "h@t=\(k) is in group t=\(k)")
            // The next step reads it; the last step's state is read by nothing outside.
            expectEqual(group.outputs.contains(h), (k < 3))
        }
        // Iteration 2 reads only the previous state and the leaves: h@t=1 and L@t=1 come in.
        let third = graph.groups[2]
        expectContains(third.inputs, try #require(graph.node(named: "h@t=1")))
        expectContains(third.inputs, try #require(graph.node(named: "L@t=1")))
        expectEqual(graph.outputName, "L@t=3")
    }

    @Test func anOutputNamingAReassignedNameIsTheLastValue() throws {
        let solved = Solved(try load("input x = 2\nh = x\nfor i in 0..<2 { h = h * h }\noutput h\n"))
        // (x²)² = 16, d/dx x⁴ = 4x³ = 32.
        expectClose(solved.output, 16, rel: 1e-15)
        expectClose(try solved.gradient("x"), [32], rel: 1e-15)
        expectEqual(solved.graph.outputName, "h@i=1")
    }

    @Test func twoLoopsInARowContinueFromTheLastValue() throws {
        let solved = Solved(try load("input x = 1\nh = x\nfor t in 0..<2 { h = h + 1 }\nfor t in 0..<2 { h = 3 * h }\ny = h\n"))
        // (1 + 2)·9 = 27.
        expectClose(solved.output, 27, rel: 1e-15)
        expectClose(try solved.gradient("x"), [9], rel: 1e-15)
        expectEqual(solved.graph.groups.map(\.name), ["t=0", "t=1", "t=0@line4", "t=1@line4"])
    }

    // MARK: - Errors

    @Test func anUnknownBoundIsALocatedError() {
        let text = failure("input x = 1\nh = x\nfor t in 0..<T {\n    h = h + 1\n}\n")
        expectContains(text, "loop.grad:3:14: error: unknown loop bound 'T'", "\(text)")
        expectContains(text, "^", "\(text)")
        expectContains(text, "hint: define it as a const, e.g. 'const T = 4'", "\(text)")
    }

    @Test func aBoundThatIsNotAConstIntegerIsAnError() {
        let text = failure("input T = 3\nh = 1\nfor t in 0..<T { h = h + T }\n")
        expectContains(text, "loop.grad:3:14: error: the loop bound 'T' must be a const integer", "\(text)")
        let fractional = failure("h = 1\nfor t in 0..<2.5 { h = h + 1 }\n")
        expectContains(fractional, "loop.grad:2:14: error: a loop bound must be a whole number", "\(fractional)")
    }

    @Test func aLoopOfNoIterationsIsAnError() {
        let text = failure("const T = 0\nh = 1\nfor t in 0..<T { h = h + 1 }\n")
        expectContains(text, "loop.grad:3:14: error: the loop over 't' runs no iterations (0..<0)", "\(text)")
        let backwards = failure("h = 1\nfor t in 3..<1 { h = h + 1 }\n")
        expectContains(backwards, "error: the loop over 't' runs no iterations (3..<1)", "\(backwards)")
    }

    @Test func aLoopTooBigToWriteOutIsRefusedAtOnce() {
        let text = failure("input x = 1\nh = x\nfor t in 0..<1000000000 { h = sin(h) }\n")
        expectContains(text, "loop.grad:3:14: error: written out, the loop over 't' makes 1,000,000,000 iterations of 2 nodes", "\(text)")
        expectContains(text, "hint: a loop is written out once per iteration", "\(text)")
        // Few iterations of a big body: past the node limit.
        let body = (0..<900).map { _ in "h" }.joined(separator: " + ")
        let wide = failure("input x = 1\nh = x\nfor t in 0..<9000 { h = \(body) }\n")
        expectContains(wide, "error: written out, the loop over 't' makes 9,000 iterations of 1,799 nodes", "\(wide)")
    }

    @Test func reassigningAnInputOrParamIsAnError() {
        let text = failure("input h = 1\nfor t in 0..<2 {\n    h = h * 2\n}\n")
        expectContains(text, "loop.grad:3:5: error: 'h' is an input and cannot be assigned in a loop", "\(text)")
        expectContains(text, "hint: copy it under another name before the loop ('h_ = h') and assign the copy in the loop", "\(text)")
        let param = failure("param w = 1\nfor t in 0..<2 { w = w * 2 }\n")
        expectContains(param, "loop.grad:2:18: error: 'w' is a param and cannot be assigned in a loop", "\(param)")
    }

    @Test func theLoopVariableOutsideItsLoopIsAnError() {
        let text = failure("input x = 1\nh = x\nfor t in 0..<2 { h = h + t }\ny = h * t\n")
        expectContains(text, "loop.grad:4:9: error: 't' is the variable of the loop on line 3; it exists only inside that loop", "\(text)")
    }

    @Test func reassigningOutsideALoopStaysAnError() {
        let twice = failure("input x = 1\nh = x\nh = h + 1\n")
        expectContains(twice, "loop.grad:3:1: error: 'h' is defined twice", "\(twice)")
        let after = failure("input x = 1\nh = x\nfor t in 0..<2 { h = h + 1 }\nh = h * 2\n")
        expectContains(after, "loop.grad:4:1: error: 'h' is assigned in the loop on line 3, and again after it", "\(after)")
    }

    @Test func loopsAndGroupsDoNotNest() {
        let nested = failure("h = 1\nfor t in 0..<2 {\n    for s in 0..<2 { h = h + 1 }\n}\n")
        expectContains(nested, "loop.grad:3:5: error: loops do not nest: the loop over 's' is inside the loop over 't'", "\(nested)")
        let inGroup = failure("h = 1\ngroup g {\n    for s in 0..<2 { h = h + 1 }\n}\n")
        expectContains(inGroup, "loop.grad:3:5: error: a loop inside group 'g'", "\(inGroup)")
        let groupIn = failure("h = 1\nfor t in 0..<2 {\n    group g { h = h + 1 }\n}\n")
        expectContains(groupIn, "loop.grad:3:11: error: a group inside a loop", "\(groupIn)")
    }

    @Test func malformedHeadsAndBodiesAreLocatedErrors() {
        expectContains(failure("h = 1\nfor t 0..<2 { h = h + 1 }\n"), "loop.grad:2:7: error: expected 'in' after 'for t', found '0'")
        expectContains(failure("h = 1\nfor t in 0...2 { h = h + 1 }\n"), "loop.grad:2:")
        expectContains(failure("h = 1\nfor t in 0..<2 h = h + 1\n"), "loop.grad:2:16: error: expected '{' after 'for t in …', found 'h'")
        expectContains(failure("h = 1\nfor t in 0..<2 {\n    h = h + 1\n"), "loop.grad:2:16: error: unclosed '{': the loop over 't' has no '}'")
        expectContains(failure("h = 1\nfor t in 0..<2 {\n}\n"), "loop.grad:2:1: error: the loop over 't' is empty")
        expectContains(failure("input x = 1\nfor t in 0..<2 {\n    input z = 2\n}\ny = x\n"), "loop.grad:3:5: error: 'input' inside a loop")
        expectContains(failure("input x = 1\nh = x\nfor t in 0..<2 {\n    h = h + 1\n    h = h * 2\n}\n"), "loop.grad:5:5: error: 'h' is assigned twice in the loop's body")
        expectContains(failure("input x = 1\nh = x\nfor t in 0..<2 { t = h }\n"), "loop.grad:3:18: error: the loop variable 't' cannot be assigned")
    }

    @Test func forStaysUsableAsAName() throws {
        let solved = Solved(try load("input x = 2\nfor = x * 3\ny = for + 1\n"))
        expectClose(solved.output, 7, rel: 0)
    }
}
