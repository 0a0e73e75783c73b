import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// PyTorch's and JAX's conventions at the points where a derivative (or a value) is undefined
// or numerically fragile. Every expected number is worked out by hand in the comment next to
// it, from torch/JAX's documented rules, never read off gradstep's own output.

/// The value, gradient (reverse mode), forward-mode derivative along each leaf and the
/// Hessian-vector product along each leaf of a one-output graph.
private struct Measured {
    let graph: Graph
    let values: [Double]
    let adjoints: [Double]

    init(_ text: String) throws {
        switch GraphLoader.load(expression: text, values: []) {
        case .success(let g): graph = g
        case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
        }
        values = graph.tape.evaluate()
        adjoints = graph.tape.adjoints(values: values)
    }

    var output: [Double] { slice(values, graph.tape.output) }

    func gradient(_ name: String) throws -> [Double] {
        slice(adjoints, try #require(graph.node(named: name)))
    }

    /// ∂output/∂name by forward mode (seed 1 on every element of `name`), summed over the output.
    func forward(_ name: String) throws -> Double {
        let tape = graph.tape, leaf = try #require(graph.node(named: name))
        let t = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
        return slice(t, tape.output).reduce(0, +)
    }

    /// The Hessian times the all-ones direction on `name`, read on `name`.
    func hessian(_ name: String) throws -> [Double] {
        let tape = graph.tape, leaf = try #require(graph.node(named: name))
        let (_, hu) = tape.hessianVectorProduct(values: values, direction: tape.tangentSeed(leaf: leaf))
        return slice(hu, leaf)
    }

    func slice(_ buffer: [Double], _ i: Int) -> [Double] {
        let e = graph.tape.entries[i]
        return Array(buffer[Int(e.offset) ..< Int(e.offset) + e.count])
    }
}

private func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(y)) }
}

@Suite("Conventions at undefined points, as PyTorch and JAX")
struct ConventionTests {
    // MARK: where

    /// torch.where(x != 0, x*log(x), 0) at x = 0 is 0 (NumPy's np.where too); with the
    /// double-where idiom its gradient is 0. The untaken branch x·ln x is 0·(−∞) = NaN there.
    @Test func whereDropsTheUntakenBranchsNaN() throws {
        let m = try Measured("input x = 0; y = where(x, x*ln(x), 0)")
        expectEqual(m.output, [0])
        try expectEqual(m.gradient("x"), [0])
        try expectEqual(m.forward("x"), 0)
        try expectEqual(m.hessian("x"), [0])
    }

    /// At x = 2 the taken branch is x·ln x = 2 ln 2, its derivative ln x + 1 = ln 2 + 1, its
    /// second derivative 1/x = 0.5.
    @Test func whereTakesTheBranchsValueAndDerivatives() throws {
        let m = try Measured("input x = 2; y = where(x, x*ln(x), 0)")
        expectTrue(close(m.output, [2 * Foundation.log(2.0)]))
        expectTrue(close(try m.gradient("x"), [Foundation.log(2.0) + 1]))
        expectTrue(close([try m.forward("x")], [Foundation.log(2.0) + 1]))
        expectTrue(close(try m.hessian("x"), [0.5]))
    }

    /// An infinite untaken branch (1/x at 0) does not leak either, and no gradient reaches
    /// the condition: where(c, a, b) = a at c = 1 has ∂/∂a = 1, ∂/∂b = 0, ∂/∂c = 0.
    @Test func whereSendsNothingToTheConditionOrTheOtherBranch() throws {
        let m = try Measured("input x = 0; y = where(x, 1/x, 5)")
        expectEqual(m.output, [5])
        try expectEqual(m.gradient("x"), [0])
        let n = try Measured("input c = 1; input a = 3; input b = 4; y = where(c, a, b)")
        expectEqual(n.output, [3])
        try expectEqual(n.gradient("a"), [1])
        try expectEqual(n.gradient("b"), [0])
        try expectEqual(n.gradient("c"), [0])
    }

    // MARK: log_softmax and logsumexp

    /// log_softmax([0, −720]) = [0 − lse, −720 − lse] with lse = ln(1 + e^−720) ≈ 1e-313, so
    /// Σ log_softmax·[1, 2] = −1440; its gradient w − softmax(x)·Σw = [1 − 3·1, 2 − 3·e^−720]
    /// = [−2, 2] (torch.log_softmax and jax.nn.log_softmax; ln(softmax) gives −∞ here).
    @Test func logSoftmaxIsStableForLargeGaps() throws {
        let m = try Measured("input x = [0, -720]; y = sum(log_softmax(x) * [1, 2])")
        expectEqual(m.output, [-1440])
        expectTrue(close(try m.gradient("x"), [-2, 2]))
        expectTrue(close([try m.forward("x")], [0]))
    }

    /// Per row of a matrix, as softmax: row [1, 2] gives [1 − l, 2 − l], l = 2 + ln(1 + e^−1).
    @Test func logSoftmaxRunsOverEachRow() throws {
        let m = try Measured("input X = [[1, 2], [1000, 1000]]; y = log_softmax(X)")
        let l = 2 + Foundation.log1p(Foundation.exp(-1.0))
        expectTrue(close(m.output, [1 - l, 2 - l, -Foundation.log(2.0), -Foundation.log(2.0)]))
    }

    /// logsumexp([1000, 1000]) = 1000 + ln 2 (e^1000 overflows); its gradient is softmax,
    /// [½, ½], and its Hessian diag(s) − s sᵀ applied to [1, 1] is 0.
    @Test func logsumexpIsAnOpWithSoftmaxAsItsGradient() throws {
        let m = try Measured("input x = [1000, 1000]; y = logsumexp(x)")
        expectTrue(close(m.output, [1000 + Foundation.log(2.0)]))
        expectTrue(close(try m.gradient("x"), [0.5, 0.5]))
        expectTrue(close(try m.hessian("x"), [0, 0]))
        let n = try Measured("input x = [0, -720]; y = logsumexp(x)")
        expectTrue(Swift.abs(n.output[0]) < 1e-300)
        expectTrue(close(try n.gradient("x"), [1, 0]))
    }

    // MARK: max

    /// torch.amax / jnp.max split a tie evenly: three equal entries get 1/3 each.
    @Test func maxAlongAnAxisSplitsTiesEvenly() throws {
        let m = try Measured("input x = [3, 3, 3]; y = max(x, axis=0)")
        expectEqual(m.output, [3])
        expectTrue(close(try m.gradient("x"), [1.0 / 3, 1.0 / 3, 1.0 / 3]))
        // Column 0 ties rows 0 and 1, column 1 ties rows 0 and 2: ½ each.
        let n = try Measured("input X = [[1, 5], [1, 2], [0, 5]]; y = sum(max(X, axis=0))")
        expectEqual(n.output, [6])
        expectTrue(close(try n.gradient("X"), [0.5, 0.5, 0.5, 0, 0, 0.5]))
        // Along axis 1, a row of four with two maxima.
        let r = try Measured("input X = [[7, 1, 7, 7]]; y = sum(max(X, axis=1))")
        expectTrue(close(try r.gradient("X"), [1.0 / 3, 0, 1.0 / 3, 1.0 / 3]))
    }

    /// torch.maximum(a, b) at a = b sends ½ to each (as the reduction splits among all).
    @Test func elementwiseMaxTieSplitsInHalf() throws {
        let m = try Measured("input a = 2; input b = 2; y = max(a, b)")
        try expectEqual(m.gradient("a"), [0.5])
        try expectEqual(m.gradient("b"), [0.5])
        let n = try Measured("input a = 2; input b = 2; y = min(a, b)")
        try expectEqual(n.gradient("a"), [0.5])
    }

    /// torch.maximum/minimum's backward with a NaN operand: every comparison is false, so both
    /// sides keep the whole adjoint, whichever side the NaN is on. In PyTorch,
    /// x = torch.tensor(2., requires_grad=True); n = torch.tensor(float('nan'));
    /// (torch.maximum(x, n) + torch.minimum(n, x)).backward() leaves x.grad = 2 (1 from each),
    /// and torch.maximum(n, x) alone gives x.grad = 1, as torch.maximum(x, n) does.
    @Test func aNaNOperandOfMaxOrMinGetsTheWholeAdjointOnBothSides() throws {
        expectTrue(Op.max.partials(2, .nan, .nan) == (1, 1))
        expectTrue(Op.max.partials(.nan, 2, .nan) == (1, 1))
        expectTrue(Op.min.partials(2, .nan, .nan) == (1, 1))
        expectTrue(Op.min.partials(.nan, 2, .nan) == (1, 1))
        // sqrt(−1) is NaN: max and min in either order each give x its whole adjoint.
        for program in ["y = max(x, sqrt(u))", "y = max(sqrt(u), x)", "y = min(x, sqrt(u))", "y = min(sqrt(u), x)"] {
            let m = try Measured("input x = 2; input u = -1; " + program)
            expectTrue(m.output[0].isNaN)
            try expectEqual(m.gradient("x"), [1], "\(program): reverse")
            try expectEqual(m.forward("x"), 1, "\(program): forward")
        }
        let both = try Measured("input x = 2; input u = -1; y = max(x, sqrt(u)) + min(sqrt(u), x)")
        try expectEqual(both.gradient("x"), [2])
        try expectEqual(both.forward("x"), 2)
        // Ordered operands are unchanged: the larger side of max takes all of it.
        let ordered = try Measured("input a = 3; input b = 2; y = max(a, b) + min(a, b)")
        try expectEqual(ordered.gradient("a"), [1])
        try expectEqual(ordered.gradient("b"), [1])
    }

    // MARK: pow's exponent

    /// torch's pow_backward_exponent: where(a == 0 & b >= 0, 0, grad·y·ln a). So a = −2 gives
    /// NaN, a = 0 with b = 2 gives 0, a = 0 with b = −1 gives ∞·(−∞) = −∞.
    @Test func powExponentPartialFollowsTorch() throws {
        let negative = try Measured("input a = -2; input b = 3; y = a^b")
        try expectTrue(negative.gradient("b")[0].isNaN)
        try expectEqual(negative.gradient("a"), [12])  // 3·(−2)²
        let zero = try Measured("input a = 0; input b = 2; y = a^b")
        try expectEqual(zero.gradient("b"), [0])
        let pole = try Measured("input a = 0; input b = -1; y = a^b")
        try expectEqual(pole.gradient("b"), [-.infinity])
        expectEqual(Op.pow.partials(0, -1, .infinity).1, -.infinity)
    }

    /// A constant exponent never turns a negative base's derivatives into NaN: d/dx x² = 2x =
    /// −2 and d²/dx² = 2 at x = −1, in reverse mode, forward mode and the Hessian.
    @Test func aConstantExponentKeepsNegativeBasesFinite() throws {
        let m = try Measured("input x = -1; y = x^2")
        try expectEqual(m.gradient("x"), [-2])
        try expectEqual(m.forward("x"), -2)
        try expectEqual(m.hessian("x"), [2])
        let c = try Measured("input x = -1; y = x^3")
        try expectEqual(c.hessian("x"), [-6])  // 6x
    }

    // MARK: NaN

    /// torch.maximum(1, nan) = torch.maximum(nan, 1) = nan, likewise minimum, relu(nan) = nan.
    @Test func nanPropagatesThroughMaxMinAndRelu() throws {
        for (a, b) in [(1.0, Double.nan), (.nan, 1.0), (.nan, .nan)] {
            expectTrue(Op.max.primal(a, b).isNaN)
            expectTrue(Op.min.primal(a, b).isNaN)
        }
        expectTrue(Op.relu.primal(.nan, 0).isNaN)
        let m = try Measured("input x = 0; y = max(0/x, 1) + min(1, 0/x) + relu(0/x)")
        expectTrue(m.output[0].isNaN)
        // A jet carries NaN too.
        let j = try Op.max.jet(Jet.constant(.nan, order: 2), Jet.variable(1, order: 2)).jet
        expectTrue(j.value.isNaN)
    }

    // MARK: digamma

    /// ψ′ (trigamma) at the poles 0, −1, −2 is +∞ (scipy.special.polygamma(1, 0) = inf,
    /// jax.scipy.special.polygamma too): ψ′(x) ≈ 1/(x − pole)² from both sides.
    @Test func digammaDerivativeIsInfiniteAtPoles() throws {
        for pole in [0.0, -1, -2, -7] {
            expectEqual(Op.digamma.partials(pole, 0, .nan).0, .infinity)
            expectEqual(SpecialFunctions.polygamma(1, pole), .infinity)
        }
        let m = try Measured("input x = 0; y = digamma(x)")
        try expectEqual(m.gradient("x"), [.infinity])
    }

    // MARK: reshape

    /// torch.tensor(2.).reshape(1) and .reshape(1, 1) are allowed: one element, gradient 1.
    @Test func reshapeOfAScalar() throws {
        let v = try Measured("input x = 2; y = sum(reshape(x, [1]) * 3)")
        expectEqual(v.output, [6])
        try expectEqual(v.gradient("x"), [3])
        let m = try Measured("input x = 2; y = reshape(x, [1, 1])")
        expectEqual(m.graph.tape.entries[m.graph.tape.output].shape, .matrix(1, 1))
        expectEqual(m.output, [2])
        let f = try Measured("input x = 2; y = flatten(x)")
        expectEqual(f.graph.tape.entries[f.graph.tape.output].shape, .vector(1))
    }
}
