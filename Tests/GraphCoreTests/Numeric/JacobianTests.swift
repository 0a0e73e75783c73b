import Foundation
@testable import GraphCore
import Testing
import TestSupport

@Suite("Jacobian by forward and reverse mode")
struct JacobianTests {
    func softmaxTape(_ x: [Double]) throws -> Tape {
        var b = TapeBuilder()
        let v = b.leaf(.input, .vector(x.count), x, name: "x")
        let output = try b.apply(.softmax, v)
        return b.finish(output: output).tape
    }

    @Test func softmaxJacobianIsTheClosedForm() throws {
        let x = [1.0, 2, 3, -0.5]
        let j = Jacobian(try softmaxTape(x))
        // o_i(δ_ij − o_j), from o computed here independently.
        let e = x.map { exp($0) }, total = e.reduce(0, +), o = e.map { $0 / total }
        for i in 0..<4 {
            for k in 0..<4 {
                let closed = o[i] * ((i == k ? 1 : 0) - o[k])
                expectTrue(isClose(j.reverse[i][k], closed, rel: 1e-12, abs: 1e-15), "∂o\(i)/∂x\(k)")
                expectTrue(isClose(j.forward[i][k], closed, rel: 1e-12, abs: 1e-15), "∂o\(i)/∂x\(k)")
            }
        }
        expectTrue(j.forwardSweeps == 4 && j.reverseSweeps == 4)
    }

    @Test func forwardBuiltAndReverseBuiltAgreeOnTensorGraphs() throws {
        var rng = SplitMix64(seed: 3)
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
        var b = TapeBuilder()
        let w = b.leaf(.param, .matrix(3, 2), values(6), name: "W")
        let x = b.leaf(.input, .vector(2), values(2), name: "x")
        let c = b.leaf(.param, .vector(3), values(3), name: "c")
        let h = try b.apply(.tanh, b.apply(.add, b.apply(.matmul, w, x), c))
        let y = try b.apply(.softmax, b.apply(.mul, h, b.apply(.sigmoid, h)))
        let j = Jacobian(b.finish(output: y).tape)
        expectTrue(j.inputs.count == 11 && j.outputCount == 3)
        for i in 0..<3 {
            for k in 0..<11 {
                expectTrue(isClose(j.forward[i][k], j.reverse[i][k], rel: 1e-12, abs: 1e-15))
            }
        }
    }

    @Test func aJacobianRowIsTheGradientOfThatOutput() throws {
        // Reverse mode seeded with a one-hot cotangent: row i is ∇yᵢ, checked by central
        // differences on yᵢ alone.
        let tape = try softmaxTape([0.3, -1, 2])
        let j = Jacobian(tape)
        let h = 1e-6
        for k in 0..<3 {
            var plus = tape, minus = tape
            var p = [0.3, -1, 2], m = p
            p[k] += h
            m[k] -= h
            plus.setLeafValues(0, p)
            minus.setLeafValues(0, m)
            let (vp, vm) = (plus.evaluate(), minus.evaluate())
            let o = Int(tape.entries[tape.output].offset)
            for i in 0..<3 {
                expectTrue(abs(j.reverse[i][k] - (vp[o + i] - vm[o + i]) / (2 * h)) < 1e-8)
            }
        }
    }

    @Test func costsCountSweepsAndNodeVisits() throws {
        // Baydin's f: 2 inputs, 1 output, 5 computed nodes.
        var b = TapeBuilder()
        let x1 = b.leaf(.input, .scalar, [2], name: "x1"), x2 = b.leaf(.input, .scalar, [5], name: "x2")
        let y = try b.apply(.sub, b.apply(.add, b.apply(.ln, x1), b.apply(.mul, x1, x2)), b.apply(.sin, x2))
        let j = Jacobian(b.finish(output: y).tape)
        expectTrue(j.forwardSweeps == 2 && j.reverseSweeps == 1)
        expectEqual(j.forwardVisits, 10)
        expectEqual(j.reverseVisits, 5 + 5)
        expectEqual(j.reverse, [[5.5, 1.7163378145367738]], "exercise 1's gradient")
    }

    @Test func pullbackWithAllOnesIsTheAdjointOfASummedOutput() throws {
        let tape = try softmaxTape([1, 2])
        var b = TapeBuilder()
        let x = b.leaf(.input, .vector(2), [1, 2], name: "x")
        let output = try b.apply(.sum, b.apply(.softmax, x))
        let summed = b.finish(output: output).tape
        let values = tape.evaluate()
        let pulled = tape.adjoints(values: values, outputSeed: [1, 1])
        let direct = summed.adjoints(values: summed.evaluate())
        expectTrue(isClose(pulled[0], direct[0], rel: 1e-12, abs: 1e-15))
        expectTrue(isClose(pulled[1], direct[1], rel: 1e-12, abs: 1e-15))
    }
}
