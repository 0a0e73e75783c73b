import GraphCore
import Testing
import TestSupport

/// A random scalar DAG over `inputs` inputs: each node applies a random op to recent or
/// random earlier nodes. Ops that need a positive operand get `exp` of it, so every point is
/// in the domain.
func randomScalarTape(nodes: Int, inputs: Int, rng: inout SplitMix64) throws -> Tape {
    var b = TapeBuilder()
    var ids = (0..<inputs).map { k in b.leaf(.input, .scalar, [Double.random(in: -1.5...1.5, using: &rng)], name: "x\(k)") }
    let unary: [Op] = [.sin, .cos, .tanh, .sigmoid, .neg, .softplus, .ln, .sqrt, .exp, .atanh]
    let binary: [Op] = [.add, .sub, .mul, .div, .max, .min]
    for _ in 0..<nodes {
        let a = ids[Swift.max(0, ids.count - Int.random(in: 1...4, using: &rng))]
        let c = ids[Int.random(in: 0..<ids.count, using: &rng)]
        if Bool.random(using: &rng) {
            let op = unary.randomElement(using: &rng)!
            switch op {
            case .ln, .sqrt: ids.append(try b.apply(op, [b.apply(.exp, [b.apply(.tanh, [a])])]))
            case .exp: ids.append(try b.apply(.exp, [b.apply(.tanh, [a])]))
            case .atanh: ids.append(try b.apply(.atanh, [b.apply(.mul, [b.apply(.tanh, [a]), b.leaf(.constant, .scalar, [0.5])])]))
            default: ids.append(try b.apply(op, [a]))
            }
        } else {
            let op = binary.randomElement(using: &rng)!
            // Keep divisors away from zero: 1 + c².
            let rhs = op == .div ? try b.apply(.add, [b.leaf(.constant, .scalar, [1]), b.apply(.mul, [c, c])]) : c
            ids.append(try b.apply(op, [a, rhs]))
        }
    }
    return b.finish(output: ids.last!).tape
}

@Test(arguments: 1...25)
func randomGraphsAgreeInAllThreeWays(seed: Int) throws {
    var rng = SplitMix64(seed: UInt64(seed))
    let tape = try randomScalarTape(nodes: 30, inputs: 3, rng: &rng)
    let v = tape.evaluate()
    let g = tape.adjoints(values: v)
    let out = Int(tape.entries[tape.output].offset)
    for r in GradientCheck.check(tape) where !r.nearKink {
        expectTrue(r.relativeError < 1e-5 || Swift.abs(r.analytic - r.numeric) < 1e-7, "seed \(seed): \(r)")
    }
    for leaf in tape.differentiableLeaves {
        let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: leaf))
        expectTrue(isClose(t[out], g[leaf], rel: 1e-10, abs: 1e-13), "seed \(seed), leaf \(leaf)")
    }
}

@Test func adjointsFromSeveralConsumersAddUp() throws {
    // y = x·x + sin x: x feeds three uses.
    var b = TapeBuilder()
    let x = b.leaf(.input, .scalar, [0.7], name: "x")
    let y = try b.apply(.add, [b.apply(.mul, [x, x]), b.apply(.sin, [x])])
    let tape = b.finish(output: y).tape
    let g = tape.adjoints(values: tape.evaluate())
    expectTrue(isClose(g[0], 2 * 0.7 + Foundation.cos(0.7), rel: 1e-15))
}

@Test func outputSeedScalesEveryAdjoint() throws {
    // Exercise 2's shape: o = x1·x2 with ∂L/∂o = 5.
    var b = TapeBuilder()
    let x1 = b.leaf(.input, .scalar, [2]), x2 = b.leaf(.input, .scalar, [3])
    let o = try b.apply(.mul, [x1, x2])
    let tape = b.finish(output: o).tape
    expectEqual(Array(tape.adjoints(values: tape.evaluate(), seed: 5).prefix(2)), [15, 10])
}

import Foundation
