import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// `lgamma`, `digamma`, `lbeta` and the log-densities: values against closed forms computed
/// here, derivatives against central differences and forward mode, and the initialisers as
/// param values.
@Suite("Probability functions and initialisers in the language")
struct ProbabilityFunctionTests {
    func value(_ text: String) throws -> Double {
        let graph = try loadExpression(text)
        return graph.tape.evaluate()[Int(graph.tape.entries[graph.tape.output].offset)]
    }

    @Test func densitiesMatchTheirClosedForms() throws {
        // A35: C(100, 50)/2¹⁰⁰, the binomial coefficient by the product formula.
        var choose = 1.0
        for k in 1...50 { choose *= Double(50 + k) / Double(k) }
        expectTrue(isClose(try value("y = binomial_logpmf(50, 100, 0.5)"), log(choose) - 100 * log(2), rel: 1e-12))
        // A36: Beta(2, 7) at ½ = 56·½·(½)⁶ = 0.4375, with 1/B(2, 7) = 8!/(1!·6!) = 56.
        expectTrue(isClose(try value("y = beta_logpdf(0.5, 2, 7)"), log(0.4375), rel: 1e-13))
        // Bin(3 | 6, 0.3) = 20·0.3³·0.7³.
        expectTrue(isClose(try value("y = binomial_logpmf(3, 6, 0.3)"), log(20 * pow(0.3, 3) * pow(0.7, 3)), rel: 1e-13))
        let x = 1.7, mu = 0.4, sigma = 1.3
        let normal = exp(-pow((x - mu) / sigma, 2) / 2) / (sigma * (2 * Double.pi).squareRoot())
        expectTrue(isClose(try value("y = normal_logpdf(1.7, 0.4, 1.3)"), log(normal), rel: 1e-13))
        expectTrue(isClose(try value("y = bernoulli_logpmf(1, 0.3)"), log(0.3), rel: 1e-13))
        expectTrue(isClose(try value("y = bernoulli_logpmf(0, 0.3)"), log(0.7), rel: 1e-13))
        // B(2, 3) = 1!·2!/4! = 1/12; Γ(5) = 24; Γ(½) = √π.
        expectTrue(isClose(try value("y = lbeta(2, 3)"), log(1.0 / 12), rel: 1e-13))
        expectTrue(isClose(try value("y = lgamma(5)"), log(24), rel: 1e-14))
        expectTrue(isClose(try value("y = lgamma(0.5)"), 0.5 * log(Double.pi), rel: 1e-14))
        expectTrue(isClose(try value("y = digamma(1)"), -0.57721566490153286, rel: 1e-14))
    }

    @Test func densitiesBroadcastAndSum() throws {
        let xs = [0.5, 1.5, -0.25]
        let expected = xs.reduce(0) { $0 - log(2) - 0.5 * log(2 * Double.pi) - 0.5 * pow(($1 - 1) / 2, 2) }
        expectTrue(isClose(try value("input x = [0.5, 1.5, -0.25]; y = sum(normal_logpdf(x, 1, 2))"), expected, rel: 1e-13))
        let graph = try loadExpression("input k = [0, 1, 1]; y = bernoulli_logpmf(k, 0.25)")
        expectEqual(graph.tape.entries[graph.tape.output].shape, .vector(3))
    }

    /// Every argument a leaf, so every partial is checked.
    static let differentiated: [String] = [
        "input k = 3; input n = 6; input t = 0.35; y = binomial_logpmf(k, n, t)",
        "input t = 0.3; input a = 2.5; input b = 7; y = beta_logpdf(t, a, b)",
        "input x = [0.5, 1.5, -0.25]; input m = 0.2; input s = 1.3; y = sum(normal_logpdf(x, m, s))",
        "input k = [0, 1, 1]; input t = 0.6; y = sum(bernoulli_logpmf(k, t))",
        "input a = 0.8; input b = [2.5, 4.5]; y = sum(lbeta(a, b)) + lgamma(-1.5 * a) * digamma(b @ b)",
    ]

    @Test(arguments: differentiated)
    func derivativesMatchCentralDifferencesAndForwardMode(source: String) throws {
        let tape = try loadExpression(source).tape
        let checked = GradientCheck.check(tape)
        expectTrue(!checked.isEmpty)
        for r in checked {
            expectTrue(r.relativeError < 1e-6 || abs(r.analytic - r.numeric) < 1e-8, "\(tape.displayName(r.leaf))[\(r.element)]: adjoint \(r.analytic), central difference \(r.numeric)")
        }
        let values = tape.evaluate()
        let adjoints = tape.adjoints(values: values)
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count {
                var seed = [Double](repeating: 0, count: values.count)
                seed[Int(e.offset) + k] = 1
                let tangent = tape.tangents(values: values, seed: seed)[Int(tape.entries[tape.output].offset)]
                expectTrue(isClose(tangent, adjoints[Int(e.offset) + k], rel: 1e-12, abs: 1e-14))
            }
        }
    }

    @Test func closedFormDerivatives() throws {
        // ∂/∂μ Σ ln N(xᵢ | μ, σ) = Σ(xᵢ − μ)/σ²; ∂/∂σ = Σ((xᵢ − μ)²/σ³ − 1/σ).
        let s = Solved(try loadExpression("input x = [0.5, 1.5, -0.25]; input m = 0.2; input s = 1.3; y = sum(normal_logpdf(x, m, s))"))
        let xs = [0.5, 1.5, -0.25]
        expectClose(try s.gradient("m"), [xs.reduce(0) { $0 + ($1 - 0.2) / (1.3 * 1.3) }], "∂/∂μ")
        expectClose(try s.gradient("s"), [xs.reduce(0) { $0 + pow($1 - 0.2, 2) / pow(1.3, 3) - 1 / 1.3 }], "∂/∂σ")
        // ∂/∂θ ln Bin(k | n, θ) = k/θ − (n − k)/(1 − θ).
        let b = Solved(try loadExpression("input t = 0.35; y = binomial_logpmf(3, 6, t)"))
        expectClose(try b.gradient("t"), [3 / 0.35 - 3 / 0.65], "∂/∂θ")
    }

    @Test func wrongArgumentCountsAreReported() throws {
        let errors = try #require(loweringErrors("input t = 0.5\ny = beta_logpdf(t, 2)"))
        expectContains(errors, "beta_logpdf takes 3 arguments, got 2")
        expectContains(errors, "beta_logpdf(θ, a, b)")
        expectContains(errors, "test.grad:2:5")
        let misspelt = try #require(loweringErrors("input t = 0.5\ny = normal_logpfd(t, 0, 1)"))
        expectContains(misspelt, "did you mean 'normal_logpdf'?")
    }

    // MARK: - Initialisers

    @Test func initialisersGiveShapesAndTheSameNumbersEveryTime() throws {
        let text = "param W = xavier([7, 5], 1); param b = zeros([7]); param O = ones([2, 3]); param R = randn([4, 2], 9); param K = kaiming([3, 3], 2)\ny = sum(W @ ones([5])) + sum(b) + sum(O) + sum(R) + sum(K)"
        let g1 = try loadExpression(text), g2 = try loadExpression(text)
        let shapes = ["W": Shape.matrix(7, 5), "b": .vector(7), "O": .matrix(2, 3), "R": .matrix(4, 2), "K": .matrix(3, 3)]
        for (name, shape) in shapes {
            let node = try #require(g1.node(named: name))
            expectEqual(g1.tape.entries[node].shape, shape, "\(name)")
            expectEqual(g1.tape.leafValues(node), g2.tape.leafValues(try #require(g2.node(named: name))), "\(name)")
        }
        let b = try #require(g1.node(named: "b")), o = try #require(g1.node(named: "O"))
        expectTrue(g1.tape.leafValues(b).allSatisfy { $0 == 0 })
        expectTrue(g1.tape.leafValues(o).allSatisfy { $0 == 1 })
        let w = try #require(g1.node(named: "W"))
        expectEqual(Array(g1.tape.leafValues(w)), Initialiser.xavier.values(count: 35, fanIn: 5, fanOut: 7, seed: 1))
        // The initialiser is a value, not an op: the param is a plain leaf.
        expectEqual(g1.tape.entries[w].op, .param)
    }

    @Test func anInitialiserInAnExpressionIsAConstant() throws {
        let s = Solved(try loadExpression("input x = 2; y = sum(ones([3]) * x) + sum(zeros([2, 2]))"))
        expectClose(s.output, 6)
        expectClose(try s.gradient("x"), [3])
        // A name in the shape is an error there, and only there: the names after it still resolve.
        let errors = try #require(loweringErrors("input n = 3\ninput x = 2\ny = sum(zeros([n])) + x * n"))
        expectContains(errors, "test.grad:3:16: error: a size in the shape of zeros must be a whole number")
        expectNotContains(errors, "unknown name")
        expectEqual(errors.components(separatedBy: "error:").count, 2)
    }

    @Test func setTakesAnInitialiserToo() throws {
        let g = try loadExpression("param W = [[1, 2]]; y = sum(W)", values: [("W", "zeros([3, 4])")])
        let w = try #require(g.node(named: "W"))
        expectEqual(g.tape.entries[w].shape, .matrix(3, 4))
    }

    @Test(arguments: [
        ("param W = xavier([7, 5])", "xavier takes a shape and a seed, got 1 argument"),
        ("param W = zeros(7)", "the shape of zeros is a list of one to four sizes"),
        ("param W = zeros([0])", "must be a whole number from 1"),
        ("param W = ones([2.5])", "must be a whole number from 1"),
        ("param W = randn([7], -1)", "the seed of randn must be a whole number"),
        ("param W = zeros([2000, 2000])", "would have 4,000,000 elements"),
        ("param W = frobnicate([2])", "an initialiser such as xavier([7, 5], 1)"),
    ])
    func badInitialisersAreClearErrors(source: String, message: String) throws {
        let errors = try #require(loweringErrors(source + "\ny = sum(W)"))
        expectContains(errors, message, "\(errors)")
        expectContains(errors, "test.grad:1:")
    }
}
