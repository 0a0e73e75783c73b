import Foundation
import GraphCore
import Testing
import TestSupport

// The layer ops built directly on a tape, with ε and the dropout mask as inputs so that every
// operand's derivative is checked: second-order rules (Hessian-vector products) against
// central differences of the gradient, batch norm's closed-form VJP, and the shapes refused.

/// `sum(op(h, second) ⊙ w)` with h and the second operand as inputs, and random weights w.
private func layerTape(_ op: Op, _ h: Shape, second: Shape, secondRange: ClosedRange<Double>, _ rng: inout SplitMix64) throws -> Tape {
    var b = TapeBuilder()
    let x = b.leaf(.input, h, (0..<h.count).map { _ in Double.random(in: -2...2, using: &rng) }, name: "h")
    let s = b.leaf(.input, second, (0..<second.count).map { _ in Double.random(in: secondRange, using: &rng) }, name: "s")
    let y = try b.apply(op, [x, s])
    // tanh makes the output nonlinear in ĥ, so the second derivatives through it count too.
    let w = b.leaf(.constant, h, (0..<h.count).map { _ in Double.random(in: -2...2, using: &rng) })
    let out = try b.apply(.sum, [b.apply(.mul, [b.apply(.tanh, [y]), w])])
    return b.finish(output: out).tape
}

@Suite("The layer ops: batch_norm, layer_norm, dropout")
struct LayerOpTests {
    static let cases: [(Op, Shape, Shape)] = {
        var out: [(Op, Shape, Shape)] = []
        for n in 2...4 { for c in 1...5 { out.append((.batchNorm, .matrix(n, c), .scalar)) } }
        for c in 1...5 { out.append((.layerNorm, .vector(c), .scalar)) }
        for n in 1...4 { for c in 1...5 { out.append((.layerNorm, .matrix(n, c), .scalar)) } }
        for s in [Shape.vector(4), .matrix(2, 3)] {
            out.append((.dropout, s, s))
            out.append((.dropout, s, .scalar))
        }
        return out
    }()

    @Test func hessianVectorProductsAgreeWithFiniteDifferencesOfTheGradient() throws {
        var rng = SplitMix64(seed: 2024)
        for (op, h, second) in Self.cases {
            let range: ClosedRange<Double> = op == .dropout ? -2...2 : 0.05...0.5
            for _ in 0..<2 {
                let tape = try layerTape(op, h, second: second, secondRange: range, &rng)
                HessianVectorTests.check(tape, &rng, "\(op.name)(\(h), \(second))")
            }
        }
    }

    /// The course's form, (γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ)) per column, with γ = 1: the
    /// adjoint of h under a seed ȳ on ĥ, computed here from the definition.
    @Test func batchNormsVJPIsTheClosedForm() throws {
        var rng = SplitMix64(seed: 12)
        for (n, c) in [(2, 1), (3, 4), (4, 5)] {
            var b = TapeBuilder()
            let hValues = (0..<n * c).map { _ in Double.random(in: -2...2, using: &rng) }
            let x = b.leaf(.input, .matrix(n, c), hValues, name: "h")
            let eps = 1e-5
            let y = try b.apply(.batchNorm, [x, b.leaf(.constant, .scalar, [eps])])
            let tape = b.finish(output: y).tape
            let ybar = (0..<n * c).map { _ in Double.random(in: -1...1, using: &rng) }
            let g = tape.adjoints(values: tape.evaluate(), outputSeed: ybar)
            let got = Array(g[Int(tape.entries[0].offset) ..< Int(tape.entries[0].offset) + n * c])
            for j in 0..<c {
                let col = (0..<n).map { hValues[$0 * c + j] }, yb = (0..<n).map { ybar[$0 * c + j] }
                let mu = col.reduce(0, +) / Double(n)
                let sigma = (col.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(n) + eps).squareRoot()
                let hat = col.map { ($0 - mu) / sigma }
                let sumY = yb.reduce(0, +), sumYH = zip(yb, hat).map(*).reduce(0, +)
                for i in 0..<n {
                    let expected = (Double(n) * yb[i] - sumY - hat[i] * sumYH) / (Double(n) * sigma)
                    expectTrue(isClose(got[i * c + j], expected, rel: 1e-9, abs: 1e-12), "[\(n)×\(c)] h̄[\(i),\(j)]")
                }
            }
        }
    }

    /// PyTorch refuses batch norm in training on one sample ("Expected more than 1 value per
    /// channel when training"): its variance is 0 and ĥ would be 0 whatever h is.
    @Test func shapesTheNormalisationsRefuse() {
        var b = TapeBuilder()
        let eps = b.leaf(.constant, .scalar, [1e-5])
        let one = b.leaf(.input, .matrix(1, 3), [1, 2, 3])
        let vector = b.leaf(.input, .vector(3), [1, 2, 3])
        do {
            _ = try b.apply(.batchNorm, [one, eps])
            Issue.record("a batch of one was accepted")
        } catch {
            expectContains(error.description, "more than one sample per feature")
        }
        #expect(throws: ShapeError.self) { try b.apply(.batchNorm, [vector, eps]) }
        #expect(throws: ShapeError.self) { try b.apply(.layerNorm, [eps, eps]) }
        #expect(throws: ShapeError.self) { try b.apply(.layerNorm, [vector, vector]) }
        // One sample is fine for layer norm: it normalises the sample's own features.
        expectTrue((try? b.apply(.layerNorm, [one, eps])) != nil)
    }

    /// Dropout's adjoint is the mask: 0 where a unit was dropped, 1/(1 − p) where it was kept.
    @Test func dropoutsAdjointIsItsMask() throws {
        let mask = Dropout.mask(count: 8, p: 0.5, seed: 3)
        var b = TapeBuilder()
        let h = b.leaf(.input, .vector(8), (1...8).map(Double.init), name: "h")
        let y = try b.apply(.dropout, [h, b.leaf(.constant, .vector(8), mask)])
        let total = try b.apply(.sum, [y])
        let (tape, order) = b.finish(output: total)
        let v = tape.evaluate()
        let g = tape.adjoints(values: v)
        expectEqual(Array(g[0..<8]), mask)
        let dropped = Int(tape.entries[order[y.raw]].offset)
        expectEqual(Array(v[dropped ..< dropped + 8]), zip(1...8, mask).map { Double($0) * $1 })
        expectTrue(mask.contains(0) && mask.contains(2))
    }
}
