import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// The layer functions and reductions along an axis: values against the formulas computed
// here, gradients against central differences and forward mode, batch norm's gradient against
// its closed form (exercise 12), dropout's mask and gradient (exercise 13), and the errors.

/// Loads graph-file text.
private func load(_ text: String) throws -> Graph {
    switch GraphLoader.load(SourceFile(name: "layers.grad", text: text), graphName: "layers", mode: .file) {
    case .success(let graph): return graph
    case .failure(let failure): throw GraphDidNotLoad(description: failure.rendered())
    }
}

/// The rendered errors of text that must not load.
private func errors(_ text: String) -> String {
    switch GraphLoader.load(SourceFile(name: "layers.grad", text: text), graphName: "layers", mode: .file) {
    case .success: return ""
    case .failure(let failure): return failure.rendered()
    }
}

/// A matrix literal and its rows.
private func matrixLiteral(_ m: [[Double]]) -> String {
    "[" + m.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
}

private func vectorLiteral(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

private func randomMatrix(_ r: Int, _ c: Int, _ rng: inout SplitMix64) -> [[Double]] {
    (0..<r).map { _ in (0..<c).map { _ in Double.random(in: -2...2, using: &rng) } }
}

private func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
}

/// The output's value at the tape's stored point.
private func outputValue(_ tape: Tape) -> Double {
    tape.evaluate()[Int(tape.entries[tape.output].offset)]
}

/// Checks every differentiable leaf's gradient against central differences and forward mode.
private func expectGradientsAgree(_ graph: Graph, _ what: String) {
    var tape = graph.tape
    let values = tape.evaluate()
    let adjoints = tape.adjoints(values: values)
    for leaf in tape.differentiableLeaves {
        let e = tape.entries[leaf]
        let base = Array(tape.leafValues(leaf))
        // Forward mode: the tangent of the output along all-ones equals the sum of adjoints.
        let tangents = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
        let reverseSum = (0..<e.count).reduce(0) { $0 + adjoints[Int(e.offset) + $1] }
        let forward = tangents[Int(tape.entries[tape.output].offset)]
        expectTrue(abs(forward - reverseSum) <= 1e-8 * max(1, abs(forward)), "\(what): forward \(forward) vs reverse \(reverseSum)")
        for k in 0..<e.count {
            let h = 1e-5
            var plus = base, minus = base
            plus[k] += h
            minus[k] -= h
            tape.setLeafValues(leaf, plus)
            let fPlus = outputValue(tape)
            tape.setLeafValues(leaf, minus)
            let fMinus = outputValue(tape)
            tape.setLeafValues(leaf, base)
            let numeric = (fPlus - fMinus) / (2 * h)
            let analytic = adjoints[Int(e.offset) + k]
            expectTrue(abs(numeric - analytic) <= 1e-5 * max(1, abs(analytic)), "\(what): leaf \(graph.tape.names[leaf] ?? "?")[\(k)] analytic \(analytic), central difference \(numeric)")
        }
    }
}

@Suite("Layers and reductions along an axis")
struct LayerTests {
    static let X: [[Double]] = {
        var rng = SplitMix64(seed: 12)
        return randomMatrix(4, 3, &rng)
    }()

    static func column(_ m: [[Double]], _ j: Int) -> [Double] { m.map { $0[j] } }

    static func biasedVariance(_ v: [Double]) -> Double {
        let mu = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(v.count)
    }

    @Test func keywordArgumentsFollowPositionalOnes() {
        expectEqual(parsedShape("sum(x, axis=1)"), "sum(x,axis=1)")
        expectEqual(parsedShape("batchnorm(h, g, b, mode=eval, eps=0.001)"), "batchnorm(h,g,b,mode=eval,eps=0.001)")
        expectContains(parsedShape("f(axis=1, x)"), "a positional argument after a keyword argument")
    }

    @Test func reductionsAlongAnAxisMatchTheirDefinitions() throws {
        let x = Self.X
        let graph = try load("""
        input X = \(matrixLiteral(x))
        s0 = sum(X, axis=0)
        s1 = sum(X, axis=1)
        m0 = mean(X, axis=0)
        m1 = mean(X, axis=-1)
        x0 = max(X, axis=0)
        x1 = max(X, axis=1)
        v0 = var(X, axis=0)
        v1 = var(X, axis=1)
        s = std(X)
        L = sum(s0) + sum(s1) + sum(m0) + sum(m1) + sum(x0) + sum(x1) + sum(v0) + sum(v1) + s
        output L
        """)
        let solved = Solved(graph)
        let columns = (0..<3).map { Self.column(x, $0) }
        expectTrue(close(try solved.value("s0"), columns.map { $0.reduce(0, +) }))
        expectTrue(close(try solved.value("s1"), x.map { $0.reduce(0, +) }))
        expectTrue(close(try solved.value("m0"), columns.map { $0.reduce(0, +) / 4 }))
        expectTrue(close(try solved.value("m1"), x.map { $0.reduce(0, +) / 3 }))
        expectTrue(close(try solved.value("x0"), columns.map { $0.max()! }))
        expectTrue(close(try solved.value("x1"), x.map { $0.max()! }))
        expectTrue(close(try solved.value("v0"), columns.map(Self.biasedVariance)))
        expectTrue(close(try solved.value("v1"), x.map(Self.biasedVariance)))
        expectTrue(close(try solved.value("s"), [Self.biasedVariance(x.flatMap { $0 }).squareRoot()]))
        expectGradientsAgree(graph, "reductions")
    }

    @Test func reductionsOfAVectorAndTheirGradients() throws {
        let graph = try load("""
        input x = [0.3, -1.2, 2.5, 0.7]
        a = sum(x, axis=0)
        b = max(x, axis=-1)
        c = var(x) + std(x, axis=0)
        d = log_softmax(x)
        L = a * b + c + sum(d * x)
        output L
        """)
        let solved = Solved(graph)
        let x = [0.3, -1.2, 2.5, 0.7]
        expectTrue(close(try solved.value("b"), [2.5]))
        let lse = log(x.map(exp).reduce(0, +))
        expectTrue(close(try solved.value("d"), x.map { $0 - lse }))
        expectTrue(close(try solved.value("c"), [Self.biasedVariance(x) + Self.biasedVariance(x).squareRoot()]))
        expectGradientsAgree(graph, "vector reductions")
    }

    @Test func logSoftmaxConcatAndLinearOnMatrices() throws {
        var rng = SplitMix64(seed: 5)
        let w = randomMatrix(2, 3, &rng), b = randomMatrix(1, 2, &rng)[0]
        let graph = try load("""
        input X = \(matrixLiteral(Self.X))
        param W = \(matrixLiteral(w))
        param b = \(vectorLiteral(b))
        l = log_softmax(X)
        c0 = concat(X, X * 2, axis=0)
        c1 = concat(X, X * 2, axis=1)
        y = linear(X, W, b)
        L = sum(l * X) + sum(c0 * c0) + sum(c1) + sum(y * y)
        output L
        """)
        let solved = Solved(graph)
        let x = Self.X
        let expectedL: [Double] = x.flatMap { (row: [Double]) -> [Double] in
            let logSum: Double = log(row.map(exp).reduce(0.0, +))
            return row.map { (v: Double) -> Double in v - logSum }
        }
        expectTrue(close(try solved.value("l"), expectedL))
        let flat: [Double] = x.flatMap { (row: [Double]) -> [Double] in row }
        let doubled: [Double] = flat.map { (v: Double) -> Double in v * 2 }
        expectTrue(close(try solved.value("c0"), flat + doubled))
        let sideBySide: [Double] = x.flatMap { (row: [Double]) -> [Double] in row + row.map { (v: Double) -> Double in v * 2 } }
        expectTrue(close(try solved.value("c1"), sideBySide))
        var expectedY: [Double] = []
        for row in x {
            for o in 0..<2 {
                var sum: Double = b[o]
                for (xi, wi) in zip(row, w[o]) { sum += xi * wi }
                expectedY.append(sum)
            }
        }
        expectTrue(close(try solved.value("y"), expectedY))
        expectGradientsAgree(graph, "log_softmax, concat, linear")
    }

    /// Exercise 12. The course's eqs. (38)/(39) treat ∂ĥ/∂h as elementwise and drop the
    /// −(1/N)Σȳ and cross terms; the right gradient, checked here, is
    /// ∂L/∂h = (γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ)) per column, with ȳ = ∂L/∂y.
    @Test func batchnormGradientIsTheClosedForm() throws {
        var rng = SplitMix64(seed: 99)
        let h = randomMatrix(5, 3, &rng), ybar = randomMatrix(5, 3, &rng)
        let gamma = [0.5, -1.5, 2.0], beta = [0.1, 0.2, -0.3]
        let graph = try load("""
        input h = \(matrixLiteral(h))
        param gamma = \(vectorLiteral(gamma))
        param beta = \(vectorLiteral(beta))
        const ybar = \(matrixLiteral(ybar))
        y = batchnorm(h, gamma, beta)
        L = sum(y * ybar)
        output L
        """)
        let solved = Solved(graph)
        let n = 5.0, eps = 1e-5
        var expectedH = [[Double]](repeating: [0, 0, 0], count: 5)
        var expectedY = expectedH
        var dGamma = [0.0, 0, 0], dBeta = [0.0, 0, 0]
        for j in 0..<3 {
            let col = Self.column(h, j), yb = Self.column(ybar, j)
            let mu = col.reduce(0, +) / n
            let sigma = (Self.biasedVariance(col) + eps).squareRoot()
            let hHat = col.map { ($0 - mu) / sigma }
            let sumY = yb.reduce(0, +)
            let sumYH = zip(yb, hHat).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<5 {
                expectedH[i][j] = gamma[j] / (n * sigma) * (n * yb[i] - sumY - hHat[i] * sumYH)
                expectedY[i][j] = gamma[j] * hHat[i] + beta[j]
            }
            dGamma[j] = sumYH
            dBeta[j] = sumY
        }
        expectTrue(close(try solved.value("y"), expectedY.flatMap { $0 }))
        expectTrue(close(try solved.gradient("h"), expectedH.flatMap { $0 }, tolerance: 1e-8))
        expectTrue(close(try solved.gradient("gamma"), dGamma))
        expectTrue(close(try solved.gradient("beta"), dBeta))
        expectGradientsAgree(graph, "batchnorm")
    }

    /// A batch of one has variance 0 in every feature: PyTorch refuses batch norm in training
    /// on it, and so does gradstep, with the position, a caret and a way out. Eval mode and
    /// layer norm take one sample.
    @Test func batchnormInTrainingRefusesABatchOfOne() throws {
        let text = "input h = [[1, 2, 3]]\nparam g = [1, 1, 1]\nparam b = [0, 0, 0]\ny = batchnorm(h, g, b)\nL = sum(y)\n"
        let rendered = errors(text)
        expectContains(rendered, "layers.grad:4:5: error: batchnorm in training needs more than one sample")
        expectContains(rendered, " 4 | y = batchnorm(h, g, b)\n   |     ^~~~~~~~~")
        expectContains(rendered, "hint: use mode=eval with running_mean= and running_var=, or layernorm")
        let eval = Solved(try load(text.replacingOccurrences(of: "g, b)", with: "g, b, mode=eval, eps=0)")))
        expectTrue(close(try eval.value("y"), [1, 2, 3]))
        let layer = Solved(try load(text.replacingOccurrences(of: "batchnorm", with: "layernorm")))
        let expected = [-1.0, 0, 1].map { $0 / (2.0 / 3 + 1e-5).squareRoot() }
        expectTrue(close(try layer.value("y"), expected))
    }

    /// The layers are single nodes of the op table: training-mode batch norm one `batch_norm`
    /// node (h and ε), layer norm one `layer_norm`, dropout one `dropout` (h and the mask).
    @Test func theLayersAreOpsOnTheTape() throws {
        let graph = try load("""
        input X = \(matrixLiteral(Self.X))
        param g = [1, 2, 3]
        param b = [0, 0.5, -1]
        y = batchnorm(X, g, b) + layernorm(X, g, b) + dropout(X, 0.5, 1)
        L = sum(y)
        output L
        """)
        let ops = graph.tape.entries.map(\.op)
        expectEqual(ops.filter { $0 == .batchNorm }.count, 1)
        expectEqual(ops.filter { $0 == .layerNorm }.count, 1)
        expectEqual(ops.filter { $0 == .dropout }.count, 1)
        // No μ, σ² or transposes written out: the only ops besides the layers' are γ ⊙ ĥ + β
        // (twice), the two additions of the layers and the sum.
        expectEqual(ops.filter { $0.kind != .leaf }.count, 3 + 4 + 2 + 1)
        expectGradientsAgree(graph, "layer ops")
    }

    @Test func batchnormInEvalModeUsesTheRunningStatistics() throws {
        let graph = try load("""
        input h = [[1, 2], [3, 5]]
        param gamma = [2, 1]
        param beta = [0, 1]
        const rm = [1, 1]
        const rv = [4, 0.25]
        y = batchnorm(h, gamma, beta, mode=eval, running_mean=rm, running_var=rv, eps=0)
        fresh = batchnorm(h, gamma, beta, mode=eval, eps=0)
        L = sum(y * y) + sum(fresh)
        output L
        """)
        let solved = Solved(graph)
        // (h − rm)/√rv · γ + β: column 0 (h − 1)/2·2, column 1 (h − 1)/0.5 + 1.
        expectTrue(close(try solved.value("y"), [0, 3, 2, 9]))
        // A fresh layer's statistics are 0 and 1: γ ⊙ h + β.
        expectTrue(close(try solved.value("fresh"), [2, 3, 6, 6]))
        expectGradientsAgree(graph, "batchnorm eval")
    }

    @Test func layernormNormalisesEachRow() throws {
        let graph = try load("""
        input X = \(matrixLiteral(Self.X))
        input v = [1, 2, 4]
        param gamma = [1, 2, 3]
        param beta = [0, 0.5, -1]
        y = layernorm(X, gamma, beta)
        z = layernorm(v, gamma, beta, eps=0.01)
        L = sum(y * y * X) + sum(z * z * v)
        output L
        """)
        let solved = Solved(graph)
        let gamma = [1.0, 2, 3], beta = [0, 0.5, -1]
        func norm(_ row: [Double], _ eps: Double) -> [Double] {
            let mu = row.reduce(0, +) / Double(row.count), s = (Self.biasedVariance(row) + eps).squareRoot()
            return row.indices.map { (row[$0] - mu) / s * gamma[$0] + beta[$0] }
        }
        expectTrue(close(try solved.value("y"), Self.X.flatMap { norm($0, 1e-5) }))
        expectTrue(close(try solved.value("z"), norm([1, 2, 4], 0.01)))
        expectGradientsAgree(graph, "layernorm")
    }

    /// Exercise 13: the gradient is 0 exactly where the mask dropped a unit and 1/(1 − p)
    /// elsewhere, and a seed always draws the same mask.
    @Test func dropoutGradientFollowsItsMask() throws {
        let p = 0.3
        let text = """
        input h = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
        y = dropout(h, \(p), 42)
        L = sum(y)
        output L
        """
        let solved = Solved(try load(text))
        let mask = Dropout.mask(count: 10, p: p, seed: 42)
        let gradient = try solved.gradient("h")
        expectTrue(close(gradient, mask))
        expectTrue(gradient.allSatisfy { $0 == 0 || abs($0 - 1 / (1 - p)) < 1e-15 })
        expectTrue(gradient.contains(0) && gradient.contains { $0 != 0 })
        let h = (1...10).map(Double.init)
        expectTrue(close(try solved.value("y"), zip(h, mask).map { $0 * $1 }))
        // The same seed, the same mask; another seed, another.
        expectTrue(close(try Solved(try load(text)).gradient("h"), gradient))
        expectTrue(!close(try Solved(try load(text.replacingOccurrences(of: ", 42)", with: ", 43)"))).gradient("h"), gradient))
        // In eval mode the layer is the identity.
        let eval = Solved(try load(text.replacingOccurrences(of: "42)", with: "42, mode=eval)")))
        expectTrue(close(try eval.value("y"), h))
        expectTrue(close(try eval.gradient("h"), Array(repeating: 1, count: 10)))
    }

    /// In an expression, names without a value are inputs, but `eval` in `mode=eval` is a word.
    @Test func aModeWordIsNotAFreeInput() throws {
        let graph = try loadExpression("sum(dropout(h, 0.5, 3, mode=eval))", values: [("h", "[1, 2]")])
        expectEqual(graph.differentiableLeaves.map(\.name), ["h"])
        expectEqual(Solved(graph).output, 3)
    }

    @Test func dropoutDropsAboutAFractionPOfTheUnits() {
        let mask = Dropout.mask(count: 20_000, p: 0.25, seed: 7)
        let dropped = Double(mask.filter { $0 == 0 }.count) / 20_000
        expectTrue(abs(dropped - 0.25) < 0.02)
        expectTrue(mask.allSatisfy { $0 == 0 || $0 == 1 / 0.75 })
        expectEqual(Dropout.mask(count: 5, p: 1, seed: 1), [0, 0, 0, 0, 0])
        expectEqual(Dropout.mask(count: 5, p: 0, seed: 1), [1, 1, 1, 1, 1])
    }

    @Test func whereSendsTheGradientToTheChosenBranch() throws {
        let graph = try load("""
        input x = [-2, -0.5, 0.5, 2]
        y = where(x - 1, x^2, 3 * x)
        L = sum(y)
        output L
        """)
        let solved = Solved(graph)
        // Every condition is nonzero (x − 1 ≠ 0 here), so every element takes x².
        expectTrue(close(try solved.value("y"), [4, 0.25, 0.25, 4]))
        expectTrue(close(try solved.gradient("x"), [-4, -1, 1, 4]))
        let mixed = Solved(try load("""
        input x = [-2, -0.5, 0.5, 2]
        const c = [1, 0, 0, 1]
        y = where(c, x^2, 3 * x)
        L = sum(y)
        output L
        """))
        expectTrue(close(try mixed.value("y"), [4, -1.5, 1.5, 4]))
        expectTrue(close(try mixed.gradient("x"), [-4, 3, 3, 4]))
    }

    @Test func badLayerCallsAreClearErrors() {
        let base = "input X = [[1, 2], [3, 4]]\nparam g = [1, 1]\n"
        expectContains(errors(base + "y = sin(X, axis=1)\noutput y\n"), "sin takes no keyword arguments")
        expectContains(errors(base + "y = sum(X, axis=2)\noutput y\n"), "axis 2 does not exist for a tensor of rank 2")
        expectContains(errors(base + "y = sum(X, axes=1)\noutput y\n"), "has no keyword 'axes'")
        expectContains(errors(base + "y = batchnorm(X, g)\noutput y\n"), "batchnorm takes 3 positional arguments (h, gamma, beta), got 2")
        expectContains(errors(base + "y = batchnorm(X, g, g, mode=test)\noutput y\n"), "mode must be 'train' or 'eval'")
        expectContains(errors(base + "y = batchnorm(X, g, g, running_mean=g)\noutput y\n"), "'running_mean=' is used in eval mode only")
        expectContains(errors(base + "y = dropout(X, 1.5, 1)\noutput y\n"), "dropout's p is a probability, got 1.5")
        expectContains(errors(base + "y = dropout(X, g, 1)\noutput y\n"), "p must be a number written out, like 1 or -0.5")
        expectContains(errors(base + "y = concat(X, g)\noutput y\n"), "concat needs two tensors of one rank")
        expectContains(errors(base + "y = sum(X, axis=0, axis=1)\noutput y\n"), "'axis=' is given twice")
        expectContains(errors(base + "y = layernorm(X, g, g, eps=-1)\noutput y\n"), "eps must be a number ≥ 0")
        expectContains(errors(base + "y = batchnrom(X, g, g)\noutput y\n"), "did you mean 'batchnorm'?")
    }
}
