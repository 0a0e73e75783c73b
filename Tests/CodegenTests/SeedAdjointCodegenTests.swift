import Codegen
import Foundation
import Testing
import TestSupport

/// `gradstep codegen --seed-adjoint`: the generated program starts its reverse sweep from the
/// given seed, so it prints the vector-Jacobian product `eval --seed-adjoint` prints. The
/// expected gradients are computed here, by hand, not by gradstep.
@Suite("gradstep codegen --seed-adjoint")
struct SeedAdjointCodegenTests {
    static let W: [[Double]] = [[1, 2], [3, 4], [5, 6]]
    static let x: [Double] = [0.5, -1.5]
    static let program = "input W = [[1, 2], [3, 4], [5, 6]]; input x = [0.5, -1.5]; y = W @ x"

    /// y = W @ x seeded with [0, 1, 0]: ∂/∂W is x in row 1 and zeros elsewhere, ∂/∂x is W's row 1.
    static var expected: String {
        let y = W.map { row in zip(row, x).map(*).reduce(0, +) }
        let dW = (0..<3).map { i in i == 1 ? x : [0, 0] }
        let dx = W[1]
        func list(_ v: [Double]) -> String { "[" + v.map(number).joined(separator: ", ") + "]" }
        return "{\"output\": \"y\", \"value\": \(list(y)), \"gradient\": {\"W\": [\(dW.map(list).joined(separator: ", "))], \"x\": \(list(dx))}}\n"
    }

    @Test func theNumPyAndPythonProgramsPrintTheVectorJacobianProductEvalPrints() async throws {
        let eval = try await gradstep("eval", "-e", Self.program, "--seed-adjoint", "[0, 1, 0]", "--json")
        expectEqual(eval.status, 0, "\(eval.stderr)")
        expectSameJSON(eval.stdout, Self.expected, "eval")
        for language in [CodeLanguage.numpy, .python] {
            let r = try await gradstep("codegen", "-e", Self.program, "--lang", language.rawValue, "--seed-adjoint", "[0, 1, 0]")
            expectEqual(r.status, 0, "\(r.stderr)")
            expectContains(r.stdout, "--seed-adjoint", "the seed line says where the seed came from")
            expectNotContains(r.stdout, "ones_like", "the seed is the vector, not ones")
            let runs = try await executeAll([r.stdout], language)
            expectSameJSON(runs, [Self.expected], ["\(language)"])
            expectSameJSON(runs, [eval.stdout], ["\(language) against eval"])
        }
    }

    @Test func theCProgramPrintsTheSameGradient() async throws {
        let r = try await gradstep("codegen", "-e", Self.program, "--lang", "c", "--seed-adjoint", "[0, 1, 0]")
        expectEqual(r.status, 0, "\(r.stderr)")
        let printed = try await #require(try execute(r.stdout, .c))
        expectSameJSON(printed, Self.expected, "c")
    }

    @Test func aMatrixSeedAndANumberSeed() async throws {
        // Y = A ⊙ A: ∂/∂A = 2A ⊙ S for the seed S; a number s gives 2A·s.
        let program = "input A = [[1, 2], [3, 4]]; Y = A * A"
        let A: [[Double]] = [[1, 2], [3, 4]]
        let S: [[Double]] = [[1, 0], [0, -2]]
        func json(_ m: [[Double]]) -> String {
            let rows: [String] = m.map { (row: [Double]) -> String in "[\(row.map(number).joined(separator: ", "))]" }
            return "[\(rows.joined(separator: ", "))]"
        }
        let value = json(A.map { (row: [Double]) -> [Double] in row.map { (a: Double) -> Double in a * a } })
        let bySeed = json((0..<2).map { (i: Int) -> [Double] in (0..<2).map { (j: Int) -> Double in 2 * A[i][j] * S[i][j] } })
        let byNumber = json(A.map { (row: [Double]) -> [Double] in row.map { (a: Double) -> Double in 2 * a * -0.5 } })
        var sources: [String] = []
        for seed in ["[[1, 0], [0, -2]]", "-0.5"] {
            let r = try await gradstep("codegen", "-e", program, "--seed-adjoint", seed)
            expectEqual(r.status, 0, "\(r.stderr)")
            sources.append(r.stdout)
        }
        let runs = try await executeAll(sources, .numpy)
        expectSameJSON(runs, ["{\"output\": \"Y\", \"value\": \(value), \"gradient\": {\"A\": \(bySeed)}}\n",
                              "{\"output\": \"Y\", \"value\": \(value), \"gradient\": {\"A\": \(byNumber)}}\n"],
                       ["matrix seed", "number seed"])
    }

    @Test func latexShowsTheSeedVector() async throws {
        let r = try await gradstep("codegen", "-e", Self.program, "--lang", "latex", "--seed-adjoint", "[0, 1, 0]")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectContains(r.stdout, "\\State $\\bar{y} \\gets [0, 1, 0]$ \\Comment{seed: a vector-Jacobian product}")
    }

    @Test func aSeedOfTheWrongShapeNamesBothShapes() async throws {
        let r = try await gradstep("codegen", "-e", Self.program, "--seed-adjoint", "[0, 1]")
        expectEqual(r.status, 2)
        expectTrue(r.stdout.isEmpty)
        expectEqual(r.stderr, "error: --seed-adjoint [0, 1]: the seed has shape [2] but y has shape [3]; give a number or a tensor of shape [3]\n")
    }
}

/// A number as `eval --json` writes it: 2, not 2.0.
private func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
