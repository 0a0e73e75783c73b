import Foundation
import GraphCore

/// The optimisation benchmark's workload: micrograd's `MLP(2, [16, 16, 1])` (ReLU hidden
/// layers, a linear output) built from scalars, on 100 fixed points, with the mean squared
/// error as the loss. One node per scalar operation, as micrograd builds it, so the two can be
/// timed on the same network and data (`Sources/GradstepBench/micrograd_step.py` builds
/// exactly this).
public enum ScalarMLP {
    public static let sizes = [2, 16, 16, 1]
    public static let points = 100

    /// Point i: x = (2 sin(0.37 i), 2 cos(0.91 i)), y = 1 when x₁x₂ > 0, else −1.
    public static func point(_ i: Int) -> (x: [Double], y: Double) {
        let x = [2 * sin(0.37 * Double(i)), 2 * cos(0.91 * Double(i))]
        return (x, x[0] * x[1] > 0 ? 1 : -1)
    }

    /// Parameter k (in micrograd's order: layer by layer, neuron by neuron, weights then bias).
    public static func initialParameter(_ k: Int) -> Double { 0.5 * sin(1.3 * Double(k) + 0.2) }

    /// The tape and the tape indices of its parameters, in micrograd's order.
    public static func tape() -> (tape: Tape, parameters: [Int]) {
        var b = TapeBuilder()
        var params: [NodeID] = []
        // Weights then bias per neuron, layer by layer.
        var layers: [[(w: [NodeID], b: NodeID)]] = []
        for l in 0 ..< sizes.count - 1 {
            var neurons: [(w: [NodeID], b: NodeID)] = []
            for _ in 0 ..< sizes[l + 1] {
                let w = (0 ..< sizes[l]).map { _ -> NodeID in
                    let p = b.leaf(.param, .scalar, [initialParameter(params.count)])
                    params.append(p)
                    return p
                }
                let bias = b.leaf(.param, .scalar, [initialParameter(params.count)])
                params.append(bias)
                neurons.append((w, bias))
            }
            layers.append(neurons)
        }
        var loss: NodeID?
        for i in 0 ..< points {
            let (x, y) = point(i)
            var activations = x.map { b.leaf(.constant, .scalar, [$0]) }
            for (l, neurons) in layers.enumerated() {
                activations = neurons.map { n in
                    var act = n.b
                    for (w, a) in zip(n.w, activations) { act = try! b.apply(.add, act, try! b.apply(.mul, w, a)) }
                    return l < layers.count - 1 ? try! b.apply(.relu, act) : act
                }
            }
            let d = try! b.apply(.add, activations[0], b.leaf(.constant, .scalar, [-y]))
            let square = try! b.apply(.mul, d, d)
            loss = loss.map { try! b.apply(.add, $0, square) } ?? square
        }
        let mean = try! b.apply(.mul, loss!, b.leaf(.constant, .scalar, [1 / Double(points)]))
        let (tape, order) = b.finish(output: mean)
        return (tape, params.map { order[$0.raw] })
    }
}

/// The yardstick for an optimisation step: a hand-written forward, reverse and SGD update over
/// the same flat tape (op codes for exactly add, mul and relu, operand indices, one value and
/// one adjoint buffer), as one would write it for this network alone.
public struct ReferenceStep {
    var ops: [UInt8]
    var a: [Int32]
    var b: [Int32]
    let first: Int
    let output: Int
    public let parameters: [Int]
    public var values: [Double]
    var adjoints: [Double]

    /// Copies an all-scalar tape of add/mul/relu.
    public init?(_ tape: Tape, parameters: [Int]) {
        guard tape.isAllScalar else { return nil }
        var ops: [UInt8] = [], a: [Int32] = [], b: [Int32] = []
        // The loop's own op codes; any other op means the tape is not a plain MLP.
        let codes: [Op: UInt8] = [.input: 0, .param: 0, .constant: 0, .add: 1, .mul: 2, .relu: 3]
        for e in tape.entries {
            guard let code = codes[e.op] else { return nil }
            ops.append(code)
            a.append(e.a)
            b.append(e.b)
        }
        (self.ops, self.a, self.b, first, output) = (ops, a, b, tape.firstComputed, tape.output)
        self.parameters = parameters
        values = tape.evaluate()
        adjoints = [Double](repeating: 0, count: tape.count)
    }

    /// One step: loss and gradient at θ, then θ ← θ − η∇L. Returns the loss.
    @discardableResult
    public mutating func step(_ theta: inout [Double], learningRate: Double) -> Double {
        let (first, output) = (self.first, self.output)
        return ops.withUnsafeBufferPointer { ops in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            parameters.withUnsafeBufferPointer { params in
                values.withUnsafeMutableBufferPointer { v in adjoints.withUnsafeMutableBufferPointer { g in
                    for (k, p) in params.enumerated() { v[p] = theta[k] }
                    for i in first ... output {
                        let x = v[Int(a[i])], y = v[Int(b[i])]
                        switch ops[i] {
                        case 1: v[i] = x + y
                        case 2: v[i] = x * y
                        case 3: v[i] = x > 0 ? x : 0
                        default: break
                        }
                    }
                    g.update(repeating: 0)
                    g[output] = 1
                    for i in stride(from: output, through: first, by: -1) {
                        let gi = g[i], ia = Int(a[i]), ib = Int(b[i])
                        switch ops[i] {
                        case 1: g[ia] += gi; g[ib] += gi
                        case 2: g[ia] += gi * v[ib]; g[ib] += gi * v[ia]
                        case 3: g[ia] += v[ia] > 0 ? gi : 0
                        default: break
                        }
                    }
                    for (k, p) in params.enumerated() { theta[k] -= learningRate * g[p] }
                    return v[output]
                } }
            }
        } } }
    }
}
