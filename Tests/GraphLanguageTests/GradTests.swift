import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// `grad(expr, x)` in the language: the inner reverse sweep written as nodes. Every number is
// worked out by hand in the comment beside it, or is a central difference computed here by
// loading the program again with x moved (never read off gradstep's own gradient).

/// The rendered errors of a program that must not load.
private func loadFailure(_ text: String) -> String {
    do {
        _ = try loadExpression(text)
        return "(loaded)"
    } catch {
        return "\(error)"
    }
}

/// `values` with extents `dims` as a tensor literal, in full precision.
private func literal(_ values: ArraySlice<Double>, _ dims: ArraySlice<Int>) -> String {
    guard let first = dims.first else { return String(format: "%.17g", values.first ?? 0) }
    let step = values.count / first
    let parts = (0..<first).map { k in
        literal(values[values.startIndex + k * step ..< values.startIndex + (k + 1) * step], dims.dropFirst())
    }
    return "[" + parts.joined(separator: ", ") + "]"
}

/// Central differences of the output of `program` with respect to every element of input
/// `x`, with x's value replaced through `--set`.
private func centralDifferences(_ program: String, x: [Double], dims: [Int], h: Double = 1e-6) throws -> [Double] {
    try x.indices.map { k in
        var up = x, down = x
        up[k] += h
        down[k] -= h
        let fUp = Solved(try loadExpression(program, values: [("x", literal(up[...], dims[...]))])).output
        let fDown = Solved(try loadExpression(program, values: [("x", literal(down[...], dims[...]))])).output
        return (fUp - fDown) / (2 * h)
    }
}

/// One op's rule, checked twice against central differences: `g = grad(f, x)` against the
/// differences of f, and the outer gradient of Σ g⊙w (through the sweep's nodes) against
/// the differences of Σ g⊙w, so the written sweep is right and differentiable again.
private func checkRule(_ f: String, x: [Double], dims: [Int], given: String = "",
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let weights = [0.7, -1.3, 0.4, 1.1, -0.6, 0.9, 1.7, -0.2, 0.5, -1.0, 0.3, 0.8]
    let w = literal(weights[0 ..< x.count], dims[...])
    let start = "input x = \(literal(x[...], dims[...])); " + (given.isEmpty ? "" : given + "; ")
    let inner = try centralDifferences(start + "y = \(f)", x: x, dims: dims)
    let program = start + "const w = \(w); g = grad(\(f), x); y = sum(g * w)"
    let s = Solved(try loadExpression(program))
    expectClose(try s.value("g"), inner, rel: 1e-6, abs: 1e-7, "grad(\(f), x)", sourceLocation: sourceLocation)
    let outer = try centralDifferences(program, x: x, dims: dims)
    expectClose(try s.gradient("x"), outer, rel: 1e-5, abs: 1e-6, "∂/∂x Σ grad(\(f), x)⊙w", sourceLocation: sourceLocation)
}

@Suite("grad(expr, x) in the language")
struct GradTests {
    @Test func aGradientUsedAndDifferentiatedAgain() throws {
        // g = d/dx x³ = 3x² = 27 at x = 3; y = g·x = 3x³ = 81; dy/dx = 9x² = 81; d²y/dx² = 18x = 54.
        let graph = try loadExpression("input x = 3; g = grad(x^3, x); y = g * x")
        let s = Solved(graph)
        try expectEqual(s.value("g"), [27])
        expectEqual(s.output, 81)
        try expectEqual(s.gradient("x"), [81])
        let tape = graph.tape, v = tape.evaluate()
        let (_, hu) = tape.hessianVectorProduct(values: v, direction: tape.tangentSeed(leaf: 0))
        expectEqual(hu[0], 54)
    }

    @Test func perturbationConfusionIsAvoided() throws {
        // Siskind & Pearlmutter: d/dx (x · d/dy (x + y)) = d/dx (x · 1) = 1, at any x and y.
        // A sweep that let the inner derivative see x's perturbation would give 2.
        let s = Solved(try loadExpression("input x = 2; input y = 5; z = grad(x * grad(x + y, y), x)"))
        expectEqual(s.output, 1)
        try expectEqual(s.gradient("x"), [0])
        try expectEqual(s.gradient("y"), [0])
        // And the same nesting where the inner derivative depends on x: d/dy (x·y) = x, so
        // d/dx (x · x) = 2x = 6 at x = 3.
        expectEqual(Solved(try loadExpression("input x = 3; input y = 5; z = grad(x * grad(x * y, y), x)")).output, 6)
    }

    @Test func aTensorGradientHasTheValuesShape() throws {
        // ∂/∂W Σ W⊙W = 2W; y = Σ (2W)² = 4·(1 + 4 + 9 + 16) = 120, ∂y/∂W = 8W.
        let s = Solved(try loadExpression("input W = [[1, 2], [3, 4]]; g = grad(sum(W*W), W); y = sum(g * g)"))
        try expectEqual(s.value("g"), [2, 4, 6, 8])
        expectEqual(s.output, 120)
        try expectEqual(s.gradient("W"), [8, 16, 24, 32])
        expectEqual(s.graph.tape.entries[try s.node("g")].shape, .matrix(2, 2))
    }

    @Test func aGradientPenalty() throws {
        // WGAN-GP's term on f(x) = w·x² (w = 1.5) at x = 2: ∂f/∂x = 2wx = 6; penalty
        // (6 − 1)² = 25; ∂/∂w = 2(2wx − 1)·2x = 2·5·4 = 40; ∂/∂x = 2·5·2w = 30.
        let s = Solved(try loadExpression("input x = 2; param w = 1.5; g = grad(w * x^2, x); y = (g - 1)^2"))
        expectEqual(s.output, 25)
        try expectEqual(s.gradient("w"), [40])
        try expectEqual(s.gradient("x"), [30])
    }

    @Test func aValueThatDoesNotReachTheExpressionHasGradientZero() throws {
        // y does not appear in sin(x): ∂/∂y is 0 of y's shape, a constant.
        let s = Solved(try loadExpression("input x = 1; input y = [1, 2, 3]; g = grad(sin(x), y); z = sum(g) + x"))
        try expectEqual(s.value("g"), [0, 0, 0])
        expectEqual(s.output, 1)
        // grad(x, x) is 1: the seed itself.
        expectEqual(Solved(try loadExpression("input x = 4; y = grad(x, x) * x")).output, 4)
    }

    @Test func anIntermediateValueCanBeTheVariable() throws {
        // h = x² = 4 at x = 2; d/dh sin(h)·x = cos(h)·x = 2cos 4 (x held, only h's path).
        let s = Solved(try loadExpression("input x = 2; h = x^2; y = grad(sin(h) * x, h)"))
        expectClose(s.output, 2 * cos(4.0))
    }

    @Test func elementwiseRulesMatchCentralDifferences() throws {
        for f in ["sin(x)", "cos(x)", "tan(x)", "exp(x)", "ln(x)", "sqrt(x)", "tanh(x)", "sigmoid(x)", "softplus(x)",
                  "atanh(x)", "erf(x)", "lgamma(x)", "abs(x)", "relu(x)", "step(x) + x", "-x^3", "x^2.5", "1.7^x",
                  "x^x", "x / 3", "3 / x", "x - 4*x", "max(x, 0.2)", "min(x, 0.2)", "leaky_relu(x - 1, 0.1)"] {
            try checkRule(f, x: [0.4], dims: [])
        }
        try checkRule("sum(x * c + c / x - x^c)", x: [0.4, 1.3, 0.8], dims: [3], given: "input c = [2, 0.5, -1]")
    }

    @Test func tensorRulesMatchCentralDifferences() throws {
        let m = [0.3, -1.2, 0.7, 2.1, 0.4, -0.5]
        try checkRule("sum(softmax(x) * c)", x: m, dims: [2, 3], given: "const c = [[1, 2, 3], [3, 4, -1]]")
        try checkRule("sum(softmax(x) * c)", x: [0.3, -1.2, 0.7], dims: [3], given: "const c = [1, 2, -3]")
        try checkRule("sum(log_softmax(x) * c)", x: m, dims: [2, 3], given: "const c = [[1, 2, 3], [3, 4, -1]]")
        try checkRule("logsumexp(x)", x: m, dims: [2, 3])
        try checkRule("mean(x * x)", x: m, dims: [3, 2])
        try checkRule("sum(transpose(x) @ x)", x: m, dims: [3, 2])
        try checkRule("sum((A @ x)^2)", x: [0.3, -1.2, 0.7], dims: [3], given: "input A = [[1, 2, 3], [0, 1, -1]]")
        try checkRule("sum((x @ A)^2)", x: [0.3, -1.2], dims: [2], given: "input A = [[1, 2, 3], [0, 1, -1]]")
        try checkRule("sum((x @ v)^2)", x: m, dims: [2, 3], given: "input v = [1, 2, -1]")
        try checkRule("sum((v @ x)^2)", x: m, dims: [2, 3], given: "input v = [1, -2]")
        try checkRule("(x @ v)^2", x: [0.3, -1.2, 0.7], dims: [3], given: "input v = [1, 2, -1]")
        try checkRule("sum((M + x)^2)", x: [0.3, -1.2, 0.7], dims: [3], given: "input M = [[1, 2, 3], [0, 1, -1]]")
        try checkRule("sum((x * s)^3)", x: [0.3], dims: [], given: "input s = [[1, 2], [0.5, -1]]")
        try checkRule("mse(x, t)", x: m, dims: [2, 3], given: "const t = [[1, 0, 0], [0, 0, 1]]")
        try checkRule("cross_entropy(softmax(x), t)", x: [0.3, -1.2, 0.7], dims: [3], given: "const t = [0, 1, 0]")
        try checkRule("sum(where(x > 0, x * x, 3 * x))", x: [-0.3, 0.8, 1.5], dims: [3])
        try checkRule("sum(clip(x, -0.5, 1) ^ 2)", x: [-0.9, 0.3, 1.5], dims: [3])
        try checkRule("sum(reshape(x, [1, 2, 3]) ^ 2)", x: m, dims: [6])
        try checkRule("sum(x[X] * x[X])", x: m, dims: [3, 2], given: "const X = [2, 0, 2]")
    }

    /// The axis ops (slices and subscripts, concat, sums along an axis), whose VJPs are written
    /// as a concat with zeros, slices, and a broadcast with ones.
    @Test func axisOpRulesMatchCentralDifferences() throws {
        let m = [0.3, -1.2, 0.7, 2.1, 0.4, -0.5]
        try checkRule("x[1] * x[2] + x[0]^3", x: [0.3, -1.2, 0.7], dims: [3])
        try checkRule("sum(x[1:3] ^ 2)", x: [0.3, -1.2, 0.7, 1.1], dims: [4])
        try checkRule("sum(x[:, 1:3] ^ 3)", x: m, dims: [2, 3])
        try checkRule("sum(x[1, :] * x[0, :])", x: m, dims: [2, 3])
        try checkRule("sum(concat(x, x * x, axis=0) ^ 2)", x: m, dims: [2, 3])
        try checkRule("sum(concat(x * x, x, axis=1) * c)", x: m, dims: [2, 3], given: "const c = [[1, 2, 3, 4, 5, 6], [0, 1, 0, -1, 2, 1]]")
        try checkRule("sum(sum(x, axis=1) ^ 2)", x: m, dims: [2, 3])
        try checkRule("sum(mean(x, axis=1) ^ 2)", x: m, dims: [2, 3])
    }

    @Test func crossEntropyKeepsPyTorchsZeroTargetRule() throws {
        // −Σ t ln p with t = [0, 1]: ∂/∂p = −t/p = [0, −2] at p = [0, 0.5] (0 where t = 0,
        // though p = 0 there: torch's xlogy), never NaN.
        let s = Solved(try loadExpression("input x = [0, 0.5]; const t = [0, 1]; g = grad(cross_entropy(x, t), x)"))
        try expectEqual(s.value("g"), [0, -2])
    }

    @Test func tiesAndKinksFollowPyTorch() throws {
        // max(x, 1) at x = 1 splits: 0.5; relu′(0) = 0; abs′(0) = 0; d/dx x^0 = 0 at x = 0.
        expectEqual(Solved(try loadExpression("input x = 1; y = grad(max(x, 1), x)")).output, 0.5)
        expectEqual(Solved(try loadExpression("input x = 0; y = grad(relu(x), x)")).output, 0)
        expectEqual(Solved(try loadExpression("input x = 0; y = grad(abs(x), x)")).output, 0)
        expectEqual(Solved(try loadExpression("input x = 0; input b = 0; y = grad(x^b, x)")).output, 0)
        // ∂/∂b x^b = x^b ln x is 0 at x = 0, b = 2 (torch's rule), not 0·(−∞).
        expectEqual(Solved(try loadExpression("input x = 0; input b = 2; y = grad(x^b, b)")).output, 0)
    }

    @Test func theInnerSweepIsAGroupNamedAfterTheCall() throws {
        let graph = try loadExpression("input x = 3; g = grad(x^3, x); y = g * x")
        let group = try #require(graph.groups.first)
        expectEqual(group.name, "grad(x^3, x)")
        expectEqual(group.origin, .call(function: "grad"))
        // Its members are the x³ of the expression and the sweep's nodes, never x or y.
        let g = try #require(graph.node(named: "g")), x = try #require(graph.node(named: "x"))
        expectTrue(group.members.contains(g) && !group.members.contains(x) && !group.members.contains(graph.tape.output))
        // A grad inside another belongs to the outer one's group; two equal calls are told apart.
        let nested = try loadExpression("input x = 2; input y = 5; z = grad(x * grad(x * y, y), x)")
        expectEqual(nested.groups.map(\.name), ["grad(x * grad(x * y, y), x)"])
        let twice = try loadExpression("input x = 2; a = grad(x^2, x); b = grad(x^2, x); y = a * b")
        expectEqual(twice.groups.map(\.name), ["grad(x^2, x)", "grad(x^2, x)#2"])
    }

    @Test func misusesAreClearErrors() {
        let scalar = loadFailure("input W = [[1, 2], [3, 4]]; g = grad(W * W, W)")
        expectContains(scalar, "error: grad needs a scalar expression; 'W * W' is [2×2]", "\(scalar)")
        expectContains(scalar, "hint: sum it to differentiate every element's total: grad(sum(W * W), W)")
        let constant = loadFailure("const c = 2; g = grad(c^2, c)")
        expectContains(constant, "grad cannot differentiate with respect to 'c': it is a constant", "\(constant)")
        let expression = loadFailure("input x = 1; g = grad(x^2, 2*x)")
        expectContains(expression, "-e:1:28: error: grad differentiates with respect to a name, not an expression", "\(expression)")
        expectContains(loadFailure("input x = 1; g = grad(x^2)"), "grad takes 2 arguments, got 1")
        expectContains(loadFailure("input x = 1; g = grad(x^2, x, axis=0)"), "grad takes no keyword arguments")
        let conv = loadFailure("input x = [[[1, 2, 3]]]; param w = [[[1, -1]]]; g = grad(sum(conv1d(x, w)), w)")
        expectContains(conv, "error: grad cannot differentiate through conv1d: its VJP is not written in ops yet", "\(conv)")
        let shadow = loadFailure("def grad(a, b) = a * b\ninput x = 1\ny = grad(x, x)")
        expectContains(shadow, "'grad' is a built-in function; a def cannot replace it", "\(shadow)")
        let digamma = loadFailure("input x = 0.5; g = grad(digamma(x), x)")
        expectContains(digamma, "grad cannot differentiate through digamma: its derivative, a polygamma function", "\(digamma)")
    }

    @Test func nestingIsBounded() {
        // Each grad writes the sweep of everything below it, so a chain of squares grows
        // geometrically: 30 levels would pass the limit on written-out nodes long before
        // memory runs out, and are refused by name.
        var program = "input x = 1; a0 = sin(x)"
        for k in 1...30 { program += "; a\(k) = grad(a\(k - 1) * a\(k - 1), x)" }
        let text = loadFailure(program)
        expectContains(text, "grad would write more than 4,000,000 nodes", "\(text.prefix(300))")
    }
}
