import Foundation
import GraphCore
import Testing
import TestSupport

/// A random graph over scalars, vectors [3] and [2] and a matrix [2×3] that applies every op
/// at least once (in a shuffled cycle), broadcasts included: a scalar over a tensor, a vector
/// over a matrix's rows. Operands that need a domain get one (`exp` before `ln`, `1 + b²` as a
/// divisor). The output sums one node of every shape.
func randomTensorTape(nodes: Int, rng: inout SplitMix64) throws -> Tape {
    var b = TapeBuilder()
    func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -1.2...1.2, using: &rng) } }
    var scalars = [b.leaf(.input, .scalar, values(1), name: "s")]
    var v3 = [b.leaf(.input, .vector(3), values(3), name: "x")]
    var v2 = [b.leaf(.param, .vector(2), values(2), name: "u")]
    var m23 = [b.leaf(.param, .matrix(2, 3), values(6), name: "W")]
    let half = b.leaf(.constant, .scalar, [0.5])
    func pick(_ pool: [NodeID]) -> NodeID { pool[Swift.max(0, pool.count - Int.random(in: 1...3, using: &rng))] }
    /// A node of any shape, with the pool it belongs in.
    func any() -> (NodeID, Int) {
        let k = Int.random(in: 0..<4, using: &rng)
        return ([pick(scalars), pick(v3), pick(v2), pick(m23)][k], k)
    }
    func add(_ id: NodeID, _ pool: Int) {
        switch pool {
        case 0: scalars.append(id)
        case 1: v3.append(id)
        case 2: v2.append(id)
        default: m23.append(id)
        }
    }
    func positive(_ a: NodeID) throws -> NodeID { try b.apply(.exp, [b.apply(.tanh, [a])]) }
    let ops = Op.allCases.filter { $0.kind != .leaf }.shuffled(using: &rng)
    for k in 0..<nodes {
        let op = ops[k % ops.count]
        switch op.kind {
        case .leaf: continue
        case .unary:
            let (a, pool) = any()
            switch op {
            case .ln, .sqrt: add(try b.apply(op, [positive(a)]), pool)
            case .lgamma, .digamma: add(try b.apply(op, [positive(a)]), pool)
            case .atanh: add(try b.apply(.atanh, [b.apply(.mul, [b.apply(.tanh, [a]), half])]), pool)
            default: add(try b.apply(op, [a]), pool)
            }
        case .binary:
            // Same shape, a scalar on either side, or a vector [3] over the matrix's rows.
            let (a, pool) = any()
            let choice = Int.random(in: 0..<3, using: &rng)
            var lhs = a, rhs: NodeID
            switch choice {
            case 0: rhs = [pick(scalars), pick(v3), pick(v2), pick(m23)][pool]
            case 1: rhs = pick(scalars); if Bool.random(using: &rng) { swap(&lhs, &rhs) }
            default:
                (lhs, rhs) = (pick(m23), pick(v3))
                if Bool.random(using: &rng) { swap(&lhs, &rhs) }
            }
            switch op {
            case .div: rhs = try b.apply(.add, [b.leaf(.constant, .scalar, [1]), b.apply(.mul, [rhs, rhs])])
            case .pow: lhs = try positive(lhs)
            case .leakyRelu: rhs = half
            default: break
            }
            let id = try b.apply(op, [lhs, rhs])
            let shape = b.shape(of: id)
            add(id, shape.isScalar ? 0 : shape.rank == 2 ? 3 : shape.rows == 3 ? 1 : 2)
        case .tensor:
            switch op {
            case .matmul:
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: v2.append(try b.apply(.matmul, [pick(m23), pick(v3)]))
                case 1: v3.append(try b.apply(.matmul, [pick(v2), pick(m23)]))
                default: scalars.append(try b.apply(.matmul, [pick(v3), pick(v3)]))
                }
            case .sum, .mean: scalars.append(try b.apply(op, [any().0]))
            case .transpose:
                let t = try b.apply(.transpose, [pick(m23)])
                m23.append(try b.apply(.transpose, [b.apply(.mul, [t, pick(scalars)])]))
            case .softmax:
                if Bool.random(using: &rng) { v3.append(try b.apply(.softmax, [pick(v3)])) } else { m23.append(try b.apply(.softmax, [pick(m23)])) }
            case .logSoftmax:
                if Bool.random(using: &rng) { v3.append(try b.apply(.logSoftmax, [pick(v3)])) } else { m23.append(try b.apply(.logSoftmax, [pick(m23)])) }
            case .logsumexp: scalars.append(try b.apply(.logsumexp, [any().0]))
            case .crossEntropy:
                let p = try b.apply(.softmax, [pick(v3)]), t = try b.apply(.softmax, [pick(v3)])
                scalars.append(try b.apply(.crossEntropy, [p, t]))
            case .mse:
                let (a, pool) = any()
                let rhs = Bool.random(using: &rng) ? pick(scalars) : [pick(scalars), pick(v3), pick(v2), pick(m23)][pool]
                scalars.append(try b.apply(.mse, [a, rhs]))
            case .input, .param, .constant, .add, .sub, .mul, .div, .pow, .max, .min, .leakyRelu, .select, .compare,
                 .neg, .unary, .stopGradient:
                continue
            // Convolution and pooling: the [2×3] matrix read as a one-channel 2×3 image (or a
            // two-channel signal of length 3), the result reshaped back into a pool.
            case .conv1d:
                let w = try b.reshape(pick(v2), to: .tensor([1, 2, 1]))
                v3.append(try b.reshape(b.apply(.conv1d, pick(m23), w), to: .vector(3)))
            case .conv2d:
                let x = try b.reshape(pick(m23), to: .tensor([1, 2, 3])), w = try b.reshape(pick(v2), to: .tensor([1, 1, 2, 1]))
                v3.append(try b.reshape(b.apply(.conv2d, x, w), to: .vector(3)))
            case .maxpool2d, .avgpool2d:
                let x = try b.reshape(pick(m23), to: .tensor([1, 2, 3]))
                v2.append(try b.reshape(b.apply(op, x, window: Window(kernel: 2, stride: 1)), to: .vector(2)))
            case .biasAdd:
                m23.append(try b.apply(.biasAdd, pick(m23), pick(v2), window: Window(axis: 0)))
            case .reshape:
                let t = try b.reshape(pick(m23), to: .tensor([1, 2, 3]))
                m23.append(try b.reshape(b.apply(.mul, t, pick(scalars)), to: .matrix(2, 3)))
            // Layers
            case .batchNorm, .layerNorm:
                let eps = b.leaf(.constant, .scalar, [0.01])
                if op == .layerNorm && Bool.random(using: &rng) {
                    v3.append(try b.apply(.layerNorm, [pick(v3), eps]))
                } else {
                    m23.append(try b.apply(op, [pick(m23), eps]))
                }
            case .dropout:
                continue
            // Indexing: row 1 of a [2×3] matrix gathered twice (its adjoint the sum of both).
            case .gather:
                let rows = b.leaf(.constant, .vector(2), [1, 1])
                m23.append(try b.apply(.gather, [pick(m23), rows]))
            // Along an axis: a row of the matrix, two of a vector's three, a vector joined
            // with a scalar made [1], and the sums down the columns and along the rows.
            case .along(.slice):
                v3.append(try b.apply(op, pick(m23), window: .along(axis: 0, start: 1), shape: .vector(3)))
                v2.append(try b.apply(op, pick(v3), window: .along(axis: 0, start: 1), shape: .vector(2)))
            case .along(.concat):
                v3.append(try b.apply(op, pick(v2), b.reshape(pick(scalars), to: .vector(1)), window: .along(axis: 0), shape: .vector(3)))
            case .along(.sum):
                v3.append(try b.apply(op, pick(m23), window: .along(axis: 0), shape: .vector(3)))
                v2.append(try b.apply(op, pick(m23), window: .along(axis: 1), shape: .vector(2)))
            }
        }
    }
    var out = scalars.last!
    for pool in [v3, v2, m23] { out = try b.apply(.add, [out, b.apply(.sum, [pool.last!])]) }
    return b.finish(output: out).tape
}

func close(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in (x.isNaN && y.isNaN) || isClose(x, y, rel: 1e-9, abs: 1e-12) }
}

@Suite("The explanation model agrees with the fast evaluators")
struct ExplanationTests {
    @Test(arguments: 1...30)
    func valuesTangentsAndAdjointsMatch(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let tape = try randomTensorTape(nodes: 60, rng: &rng)
        let ops = Set(tape.entries.map(\.op))
        expectEqual(ops.count, Op.allCases.count, "seed \(seed): ops missing: \(Set(Op.allCases).subtracting(ops))")
        let v = tape.evaluate()
        let primal = Explanation(tape: tape, values: v, phase: .primal)
        expectTrue(close(primal.values, v), "seed \(seed): values")
        let reverse = Explanation(tape: tape, values: v, phase: .reverse)
        let g = tape.adjoints(values: v)
        expectTrue(close(reverse.adjoints, g), "seed \(seed): adjoints")
        // Every adjoint is the sum of the terms it received.
        for i in tape.differentiableLeaves {
            var sum = [Double](repeating: 0, count: tape.entries[i].count)
            for c in reverse.received(by: i) { for (k, x) in reverse.values(of: c).enumerated() { sum[k] += x } }
            expectTrue(close(sum, Array(reverse.slice(reverse.adjoints, i))), "seed \(seed): terms of \(i)")
        }
        let out = Int(tape.entries[tape.output].offset)
        for seedChoice in TangentSeed.all(tape) {
            let forward = Explanation(tape: tape, values: v, phase: .forward, tangentSeed: seedChoice)
            let t = tape.tangents(values: v, seed: seedChoice.buffer(tape))
            expectTrue(close(forward.tangents, t), "seed \(seed): tangents for \(seedChoice)")
            // One element seeded: the output's tangent is that entry of the gradient.
            if let element = seedChoice.element {
                let entry = g[Int(tape.entries[seedChoice.leaf].offset) + element]
                expectTrue(isClose(forward.tangents[out], entry, rel: 1e-9, abs: 1e-12), "seed \(seed): \(seedChoice)")
            }
        }
    }

    @Test func reverseStepsReachEveryInputAndParam() throws {
        // Every input and param with a path to the output (found here by a search from the
        // output), and no other: one that leads nowhere has adjoint 0 and no step. The first
        // random tape from seed 3 on that has such an input (which tape that is depends on
        // the list of ops the generator shuffles).
        func reachedNodes(_ tape: Tape) -> Set<Int> {
            var reached: Set<Int> = [tape.output], stack = [tape.output]
            while let i = stack.popLast() {
                guard tape.entries[i].op.kind != .leaf else { continue }
                for o in tape.entries[i].operands where reached.insert(o).inserted { stack.append(o) }
            }
            return reached
        }
        var seed: UInt64 = 3, tape: Tape, reached: Set<Int>
        repeat {
            var rng = SplitMix64(seed: seed)
            tape = try randomTensorTape(nodes: 40, rng: &rng)
            reached = reachedNodes(tape)
            seed += 1
        } while tape.differentiableLeaves.allSatisfy(reached.contains) && seed < 100
        let x = Explanation(tape: tape, values: tape.evaluate(), phase: .reverse)
        expectEqual(x.order.first, tape.output)
        let leaves = tape.differentiableLeaves.filter(reached.contains)
        expectTrue(leaves.count < tape.differentiableLeaves.count, "a random tape has an input that leads nowhere")
        expectEqual(Array(x.order.suffix(leaves.count)), leaves.reversed())
        expectTrue(x.order.allSatisfy(reached.contains))
        // A term arrives at the step of the consumer that sends it, before the receiver's step.
        for c in x.contributions where tape.entries[c.operand].op != .constant {
            expectEqual(x.step(of: c.consumer), c.step)
            expectTrue(c.step < x.step(of: c.operand)!)
        }
    }

    @Test func stepperAnswersDoneArrivedAndCurrentFromTheModel() throws {
        var rng = SplitMix64(seed: 5)
        let tape = try randomTensorTape(nodes: 30, rng: &rng)
        var s = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
        while s.next() {
            let node = s.current!
            expectTrue(s.isDone(node))
            for c in s.explanation.received(by: node) { expectTrue(s.hasArrived(c)) }
            for c in s.explanation.sends(node) { expectTrue(s.hasArrived(c)) }
        }
        expectEqual(s.shownAdjoints, s.explanation.adjoints)
    }
}
