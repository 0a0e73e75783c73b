import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The quiz's layer mistakes and the explanation's words for the layers: each wrong value is
/// computed here from the definitions (σ per column, the mask from `Dropout.mask`), not read
/// back from gradstep.
@Suite struct LayerQuizTests {
    static let h: [[Double]] = [[1, 2], [3, -1], [0.5, 4]]
    static let w: [[Double]] = [[0.3, -1], [2, 0.5], [-0.7, 1.5]]
    static let batchnorm = """
    input h = [[1, 2], [3, -1], [0.5, 4]]
    param gamma = [1, 1]
    param beta = [0, 0]
    const w = [[0.3, -1], [2, 0.5], [-0.7, 1.5]]
    y = batchnorm(h, gamma, beta)
    L = sum(y * w)
    """

    func explanation(_ text: String, _ phase: Phase) throws -> Explanation {
        let tape = try GraphLoader.load(expression: text).get().tape
        return Explanation(tape: tape, values: tape.evaluate(), phase: phase)
    }

    /// The step whose node the user named `name`.
    func step(_ q: Quiz, _ name: String) throws -> Int {
        try #require(q.questions.firstIndex { q.explanation.tape.names[$0.node] == name })
    }

    static func literal(_ rows: [[Double]]) -> String {
        "[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// Each column's σ = √(σ² + ε), biased variance, ε = 1e-5.
    static func sigma(_ j: Int) -> Double {
        let col = h.map { $0[j] }, mu = col.reduce(0, +) / 3
        return (col.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 3 + 1e-5).squareRoot()
    }

    @Test func batchNormWithoutThePathsThroughMuAndSigmaIsAMissingTerm() throws {
        let q = Quiz(explanation: try explanation(Self.batchnorm, .reverse))
        let s = try step(q, "h")
        // γ = 1, so ḡ = w: the course's elementwise shortcut gives w/σ.
        let shortcut: [[Double]] = Self.w.map { (row: [Double]) -> [Double] in row.indices.map { (j: Int) -> Double in row[j] / Self.sigma(j) } }
        let g = try q.grade(s, Self.literal(shortcut)).get()
        expectTrue(!g.ok && g.mistake?.kind == .missingTerm)
        expectEqual(g.mistake?.explanation.contains("eqs. 38/39"), true)
        // Keeping the path through μ only: (w − mean w)/σ per column.
        let means: [Double] = (0..<2).map { (j: Int) -> Double in Self.w.map { (row: [Double]) -> Double in row[j] }.reduce(0.0, +) / 3 }
        let noVariance: [[Double]] = Self.w.map { (row: [Double]) -> [Double] in
            row.indices.map { (j: Int) -> Double in (row[j] - means[j]) / Self.sigma(j) }
        }
        let g2 = try q.grade(s, Self.literal(noVariance)).get()
        expectTrue(g2.mistake?.kind == .missingTerm && g2.mistake?.explanation.contains("variance σ² is missing") == true)
    }

    @Test func dropoutWithoutItsScalingIsAnUnscaledMask() throws {
        let mask = Dropout.mask(count: 5, p: 0.5, seed: 4)
        expectTrue(mask.contains(0) && mask.contains(2))
        let text = "input h = [1, 2, 3, 4, 5]\nconst w = [0.5, -1, 2, 1.5, 3]\nd = dropout(h, 0.5, 4)\nL = sum(d * w)"
        let reverse = Quiz(explanation: try explanation(text, .reverse))
        let w = [0.5, -1, 2, 1.5, 3]
        let unscaled = zip(w, mask).map { $1 == 0 ? 0 : $0 }
        let g = try reverse.grade(try step(reverse, "h"), "[" + unscaled.map { "\($0)" }.joined(separator: ", ") + "]").get()
        expectEqual(g.mistake?.kind, .unscaledMask)
        let primal = Quiz(explanation: try explanation(text, .primal))
        let kept = zip(1...5, mask).map { $1 == 0 ? 0 : Double($0) }
        let p = try primal.grade(try step(primal, "d"), "[" + kept.map { "\($0)" }.joined(separator: ", ") + "]").get()
        expectEqual(p.mistake?.kind, .unscaledMask)
    }

    @Test func theSentencesSayTheLayersStepsInWordsAndNumbers() throws {
        let x = try explanation(Self.batchnorm, .reverse)
        let tape = x.tape
        let h = try #require(tape.names.firstIndex(of: "h"))
        let sentence = x.sentence(h)
        expectTrue(sentence.remarks.contains { $0.contains("three ways") && $0.contains("through the mean μ") && $0.contains("(γ/(Nσ))(N·ȳ − Σȳ − ĥ·Σ(ȳ⊙ĥ))") })
        // The VJP with numbers: N = 3 and each column's σ written in.
        let term = try #require(sentence.terms.first)
        expectHasPrefix(term.substituted, "(3·")
        expectContains(term.substituted, Explanation.inline([Self.sigma(0), Self.sigma(1)][...], .vector(2)))
        let bn = try #require(tape.entries.firstIndex { $0.op == .batchNorm })
        expectEqual(x.sentence(bn).remarks.first?.contains("each of the 2 columns (features) of \(tape.label(h)) normalised over the batch's N = 3 rows"), true)
        let mask = Dropout.mask(count: 5, p: 0.5, seed: 4)
        let dropped = mask.indices.filter { mask[$0] == 0 }
        let d = try explanation("input h = [1, 2, 3, 4, 5]\nd = dropout(h, 0.5, 4)\nL = sum(d)", .primal)
        let node = try #require(d.tape.names.firstIndex(of: "d"))
        let listed = dropped.count == 1 ? "element \(dropped[0])"
            : "elements " + dropped.dropLast().map(String.init).joined(separator: ", ") + " and \(dropped.last!)"
        expectEqual(d.sentence(node).remarks, ["dropout: \(listed) of 5 dropped (mask 0), the others kept and scaled by 1/(1 − p) = 2 (p = 0.5)"])
    }
}
