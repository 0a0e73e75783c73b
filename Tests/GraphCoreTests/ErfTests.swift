import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

// erf, the op added by following docs/adding-an-op.md: one case in UnaryFunctions.swift.
// The numbers are Python's math.erf and the closed forms erf′(x) = 2/√π·e^(−x²),
// erf″(x) = −2x·erf′(x), and the series erf(t) = 2/√π (t − t³/3 + t⁵/10 − …).

private func load(_ text: String) throws -> Tape {
    switch GraphLoader.load(expression: text, values: []) {
    case .success(let g): return g.tape
    case .failure(let failure): throw GraphDidNotLoadHere(text: failure.rendered())
    }
}

private struct GraphDidNotLoadHere: Error { var text: String }

@Suite("erf, the op added by the guide")
struct ErfTests {
    @Test func valueGradientAndSecondDerivative() throws {
        let tape = try load("input x = 0.5; y = erf(x)")
        let v = tape.evaluate()
        expectTrue(isClose(v[tape.output], 0.5204998778130465, rel: 1e-15))   // math.erf(0.5)
        let g = tape.adjoints(values: v)
        expectTrue(isClose(g[0], 0.8787825789354448, rel: 1e-14))               // 2/√π·e^(−0.25)
        let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: 0))
        expectTrue(isClose(t[tape.output], 0.8787825789354448, rel: 1e-14))
        let (_, hu) = tape.hessianVectorProduct(values: v, direction: tape.tangentSeed(leaf: 0))
        expectTrue(isClose(hu[0], -0.8787825789354448, rel: 1e-13))             // −2·0.5·erf′(0.5)
    }

    @Test func taylorSeriesAtZero() throws {
        let j = try Op.erf.jet(Jet.variable(0, order: 5), Jet.constant(0, order: 5)).jet
        let c = 2 / Double.pi.squareRoot()
        let expected = [0, c, 0, -c / 3, 0, c / 10]
        for k in 0...5 { expectTrue(isClose(j[k], expected[k], rel: 1e-13, abs: 1e-15), "coefficient \(k)") }
    }

    @Test func traceTextAndLanguageName() throws {
        expectEqual(Op.functions["erf"], .erf)
        expectEqual(Op.erf.formula(["v₀"]), "erf v₀")
        expectEqual(Op.erf.partialFormula(0, ["v₀"], result: "v₁"), "1.1283791670955126·exp(−v₀²)")
        expectTrue(!Op.erf.isKink(0, 0))
    }

    /// The neuron view expands it element by element with the same numbers.
    @Test func neuronView() throws {
        let tape = try load("input x = [0.5, -1.2]; y = sum(erf(x))")
        let scalars = try tape.scalarExpansion()
        let v = scalars.tape.evaluate()
        expectTrue(isClose(v[scalars.tape.output], 0.5204998778130465 - 0.9103139782296353, rel: 1e-14))
        let g = scalars.tape.adjoints(values: v)
        expectTrue(isClose(g[0], 0.8787825789354448, rel: 1e-14))
        expectTrue(isClose(g[1], 0.26734434700353915, rel: 1e-14))              // 2/√π·e^(−1.44)
    }
}
