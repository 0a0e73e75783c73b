import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Hessian-vector products by forward-over-reverse against central differences of the
/// gradient: H·u ≈ (∇f(x + h·u) − ∇f(x − h·u)) / 2h, on random graphs and on every op.
@Suite("Hessian-vector products")
struct HessianVectorTests {
    /// Central differences of the reverse-mode gradient along `u` (a tangent seed buffer).
    static func finiteDifference(_ tape: Tape, _ u: [Double], h: Double = 1e-5) -> [Double] {
        func gradient(_ sign: Double) -> [Double] {
            var t = tape
            for leaf in tape.differentiableLeaves {
                let e = tape.entries[leaf]
                let moved = tape.leafValues(leaf).enumerated().map { $0.element + sign * h * u[Int(e.offset) + $0.offset] }
                t.setLeafValues(leaf, moved)
            }
            return t.adjoints(values: t.evaluate())
        }
        let (plus, minus) = (gradient(1), gradient(-1))
        return zip(plus, minus).map { ($0 - $1) / (2 * h) }
    }

    /// A random direction on every differentiable leaf.
    static func direction(_ tape: Tape, _ rng: inout SplitMix64) -> [Double] {
        var u = [Double](repeating: 0, count: tape.valueCount)
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count { u[Int(e.offset) + k] = Double.random(in: -1...1, using: &rng) }
        }
        return u
    }

    static func check(_ tape: Tape, _ rng: inout SplitMix64, _ what: String) {
        let u = direction(tape, &rng)
        let (g, hu) = tape.hessianVectorProduct(values: tape.evaluate(), direction: u)
        let fd = finiteDifference(tape, u)
        // Equal element by element, NaN matching NaN (a constant exponent's ∂/∂b at a
        // negative base is NaN, as torch's).
        let plain = tape.adjoints(values: tape.evaluate())
        // Compared where the reverse sweep computes adjoints: it leaves constants' at 0.
        let computed = tape.gradientNodes.flatMap { i in Int(tape.entries[i].offset) ..< Int(tape.entries[i].offset) + tape.entries[i].count }
        expectTrue(computed.allSatisfy { g[$0] == plain[$0] || (g[$0].isNaN && plain[$0].isNaN) }, "\(what): the adjoints are the gradient")
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count {
                let i = Int(e.offset) + k
                expectTrue(isClose(hu[i], fd[i], rel: 1e-5, abs: 1e-6), "\(what): leaf \(leaf)[\(k)]: HVP \(hu[i]), finite difference \(fd[i])")
            }
        }
    }

    @Test(arguments: 1...25)
    func randomScalarGraphsAgreeWithFiniteDifferences(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919)
        let tape = try randomScalarTape(nodes: 30, inputs: 3, rng: &rng)
        Self.check(tape, &rng, "seed \(seed)")
    }

    @Test(arguments: 1...10)
    func theHessianIsSymmetric(seed: Int) throws {
        // uᵀ(H·w) = wᵀ(H·u) for any two directions.
        var rng = SplitMix64(seed: UInt64(seed) &+ 1000)
        let tape = try randomScalarTape(nodes: 25, inputs: 3, rng: &rng)
        let (u, w) = (Self.direction(tape, &rng), Self.direction(tape, &rng))
        let v = tape.evaluate()
        let hu = tape.hessianVectorProduct(values: v, direction: u).adjointTangents
        let hw = tape.hessianVectorProduct(values: v, direction: w).adjointTangents
        let leaves = tape.differentiableLeaves.map { Int(tape.entries[$0].offset) }
        let a = leaves.reduce(0.0) { $0 + u[$1] * hw[$1] }, b = leaves.reduce(0.0) { $0 + w[$1] * hu[$1] }
        expectTrue(isClose(a, b, rel: 1e-10, abs: 1e-12), "seed \(seed)")
    }

    /// Every op in a small graph that reaches a scalar, with tensors where the op takes them.
    static let opGraphs: [(String, String)] = [
        ("add sub mul div", "input a = 0.7; input b = -1.3; y = (a + b) * (a - b) / (1 + a*a*b*b)"),
        ("pow", "input a = 1.4; input b = 0.6; y = a ^ b + a ^ 3"),
        ("pow at a negative base", "input a = -1.4; y = a ^ 3"),
        ("max min", "input a = 0.7; input b = -0.2; y = max(a*b, a) * min(a, b*b)"),
        ("leaky_relu", "input a = -0.8; input s = 0.2; y = leaky_relu(a, s) * a + leaky_relu(-a, s) * s"),
        ("neg sin cos tan", "input a = 0.4; y = -sin(a) * cos(a*a) + tan(a)"),
        ("exp ln sqrt", "input a = 0.9; y = exp(a) * ln(a + 2) + sqrt(a + 1) * a"),
        ("tanh sigmoid softplus atanh erf", "input a = 0.3; y = tanh(a) * sigmoid(2*a) + softplus(a*a) * atanh(a) + erf(a*a) * a"),
        ("relu abs step", "input a = 0.6; y = relu(a) * a + abs(a - 2) * a + step(a) * a"),
        ("lgamma digamma", "input a = 1.7; y = lgamma(a * a) * digamma(a + 0.5) + lgamma(0.3 - a) * a"),
        ("matmul", "param W = [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.8]]; input x = [0.7, -1.1]; h = W @ x; y = sum(h * h * h)"),
        ("matmul matrix matrix", "input A = [[0.5, -0.2], [0.1, 0.3]]; input B = [[0.7, 0.2, -0.1], [0.4, -0.3, 0.6]]; C = A @ B; y = sum(C * C)"),
        ("vector matmul", "input x = [0.3, -0.5]; input W = [[0.5, -0.2], [0.1, 0.3]]; y = sum(sin(x @ W))"),
        ("sum mean transpose", "input A = [[0.5, -0.2, 0.3], [0.1, 0.3, -0.7]]; T = transpose(A); y = sum(T * T) * mean(A * A)"),
        ("softmax cross_entropy", "input z = [0.4, -0.3, 1.1]; input t = [0.2, 0.5, 0.3]; y = cross_entropy(softmax(z), t * t)"),
        ("softmax rows", "input Z = [[0.4, -0.3], [1.1, 0.2]]; p = softmax(Z); y = sum(p * p * Z)"),
        ("mse", "input a = [0.4, -0.3, 1.1]; input b = [0.1, 0.5, -0.2]; y = mse(a * a, b) + mse(a, 0.5)"),
        ("broadcast", "input M = [[0.5, -0.2], [0.1, 0.3]]; input v = [0.7, -0.4]; input s = 1.3; y = sum(tanh(M * v + s))"),
        // Convolution and pooling: conv is bilinear like matmul, avgpool linear, maxpool
        // piecewise linear; a cube makes every second derivative count.
        ("conv2d bias_add", "input x = [[[0.5, -0.2, 0.3], [0.1, 0.9, -0.7], [0.4, 0.2, -0.5]]]; input w = [[[[0.3, -0.6], [0.8, 0.2]]], [[[-0.1, 0.4], [0.5, -0.9]]]]; input b = [0.2, -0.3]; h = conv2d(x, w, b, padding=1, stride=2); y = sum(h * h * h)"),
        ("conv1d batched", "input x = [[[0.5, -0.2, 0.3, 0.8], [0.1, 0.9, -0.7, 0.2]]]; input w = [[[0.3, -0.6], [0.8, 0.2]]]; h = conv1d(x, w, stride=2, padding=1); y = sum(h * h * h)"),
        ("maxpool2d avgpool2d reshape", "input x = [[[0.5, -0.2, 0.3, 0.8], [0.1, 0.9, -0.7, 0.2], [0.4, 0.25, -0.5, 0.6]]]; m = maxpool2d(x * x, 2, 1); a = avgpool2d(x * x * x, 2, stride=1); y = sum(reshape(m * a, [6]) * [1, 2, 3, 4, 5, 6])"),
        ("padded and rectangular pools", "input x = [[[0.5, -0.2, 0.3, 0.8], [0.1, 0.9, -0.7, 0.2], [0.4, 0.25, -0.5, 0.6]]]; m = maxpool2d(x * x, 3, 2, 1); a = avgpool2d(x * x * x, kernel=[2, 3], stride=[1, 2], padding=[1, 1]); y = sum(m * m * m) + sum(a * a)"),
        // Layers (LayerOpTests also moves ε and the mask)
        ("batch_norm", "input H = [[0.5, -0.2, 1.1], [0.3, 0.9, -0.4], [-1.2, 0.4, 0.7]]; param g = [1.5, -0.7, 0.9]; param b = [0.1, 0.2, -0.3]; y = sum(tanh(batchnorm(H, g, b)) * H)"),
        ("layer_norm", "input H = [[0.5, -0.2, 1.1], [0.3, 0.9, -0.4]]; input v = [0.2, -0.6, 1.3]; y = sum(sin(layernorm(H, v, v)) * H) + sum(layernorm(v, v, v) * v * v)"),
        ("where logsumexp log_softmax", "input a = [0.4, -0.3, 1.1]; const c = [1, 0, 2]; input Z = [[0.4, -0.3], [1.1, 0.2]]; y = sum(where(c, a*a*a, sin(a))) + logsumexp(a*a) + sum(log_softmax(a) * a) + sum(log_softmax(Z) * Z * Z)"),
        ("dropout", "input h = [0.5, -0.2, 1.1, 0.3]; y = sum(sin(dropout(h, 0.5, 3)) * h)"),
        // Gathers (linear: the adjoint's tangent is scattered like the adjoint): rows picked
        // twice, labels, a per-row column broadcast and keepdim.
        ("gather", "input C = [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.8]]; const X = [2, 0, 2]; input z = [[0.4, -0.3, 1.1], [0.2, 0.5, -0.6]]; input s = [[0.7], [-0.2]]; y = sum(C[X] * C[X] * C[X]) + cross_entropy(z * z, [2, 0]) + sum(sin(z * s - max(z, axis=1, keepdim=true)))"),
        // Along an axis (linear: the adjoint's tangent goes back as the adjoint does): slices
        // keeping and dropping an axis, concat, sums along rows.
        ("slice concat sum_axis", "input x = [[0.5, -0.2, 0.3], [0.1, 0.9, -0.7]]; input u = [0.4, -0.6]; y = sum(sin(x[:, 1:]) * x[1, 1:]) + sum(concat(x, x * x, axis=0) ^ 3) + sum(sum(x * x, axis=1) * u * u)"),
        // Comparisons are flat: their second-order terms vanish, the rest must still agree.
        // stop_gradient as a term added on its own, so the gradient does not depend on the
        // stopped value: this difference of gradients lets a stopped value move (the HVP holds
        // it fixed, as jax.hessian does). A stopped constant would be folded away. CutTests
        // checks stop_gradient of a variable inside a product against hand-worked numbers.
        ("comparisons stop_gradient", "input a = 0.7; input b = 1.3; const c = 2; y = (a < b) * a*a*a + (a <= b) * b*b + (a > b) * a + (a >= b) * b + (a == b) + (a != b) * a*b*b + c * stop_gradient(a * b)"),
    ]

    @Test(arguments: opGraphs)
    func everyOpsSecondOrderRuleAgreesWithFiniteDifferences(name: String, source: String) throws {
        let graph = try GraphLoader.load(expression: source).get()
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3 { Self.check(graph.tape, &rng, name) }
    }

    @Test func everyOpIsCovered() throws {
        var used: Set<Op> = []
        for (_, source) in Self.opGraphs {
            let tape = try GraphLoader.load(expression: source).get().tape
            used.formUnion(tape.entries.map(\.op))
        }
        expectEqual(used, Set(Op.allCases))
    }

    @Test func hessianOfACubicIsExact() throws {
        // f = x³y: H = [[6xy, 3x²], [3x², 0]]; at (2, −1) along (1, 0): (−12, 12).
        let tape = try GraphLoader.load(expression: "input x = 2; input y = -1; f = x^3 * y").get().tape
        let (_, hu) = tape.hessianVectorProduct(values: tape.evaluate(), direction: tape.tangentSeed(leaf: 0))
        expectTrue(hu[0] == -12 && hu[1] == 12)
    }
}
