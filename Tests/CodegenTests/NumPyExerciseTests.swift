import Codegen
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The course's two NumPy exercises (B01, B02): the generated program's numbers are the
/// closed-form backward passes a student writes by hand, computed here independently.
@Suite("The course's NumPy exercises, answered by codegen")
struct NumPyExerciseTests {
    typealias Matrix = [[Double]]

    func graph(_ file: String) throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path, values: []).get()
    }

    func matrix(_ g: Graph, _ name: String) throws -> Matrix {
        let i = try #require(g.node(named: name))
        let e = g.tape.entries[i]
        let v = Array(g.tape.leafValues(i))
        let c = e.rank == 2 ? Int(e.cols) : e.count
        return stride(from: 0, to: v.count, by: c).map { Array(v[$0 ..< $0 + c]) }
    }

    func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
    }

    func transposed(_ a: Matrix) -> Matrix { (0..<a[0].count).map { j in a.map { $0[j] } } }

    /// The numbers the generated NumPy program prints, in order.
    func printedNumbers(_ g: Graph) async throws -> [Double] {
        let printed = try #require(await execute(code(g, .numpy), .numpy))
        return skeleton(printed).numbers
    }

    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= 1e-12 * max(1, abs(e)), "\(a) ≠ \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func twoLayerReluNetworkB01() async throws {
        let g = try graph("two-layer-relu.grad")
        let (X, W1, W2, Y) = (try matrix(g, "X"), try matrix(g, "W1"), try matrix(g, "W2"), try matrix(g, "Y"))
        let b1 = try matrix(g, "b1")[0], b2 = try matrix(g, "b2")[0]
        // Forward, as the exercise states it.
        let z1 = product(X, W1).map { row in zip(row, b1).map(+) }
        let h = z1.map { $0.map { max($0, 0) } }
        let yhat = product(h, W2).map { row in zip(row, b2).map(+) }
        let n = Double(yhat.count * yhat[0].count)
        let loss = zip(yhat.joined(), Y.joined()).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n
        // Backward by hand: dŷ = 2(ŷ − Y)/n, dW2 = hᵀdŷ, db2 = Σ rows, dh = dŷ W2ᵀ,
        // dz1 = dh ⊙ [z1 > 0], dW1 = Xᵀdz1, db1 = Σ rows, dX = dz1 W1ᵀ.
        let dyhat = zip(yhat, Y).map { zip($0, $1).map { 2 * ($0 - $1) / n } }
        let dW2 = product(transposed(h), dyhat)
        let db2 = transposed(dyhat).map { $0.reduce(0, +) }
        let dh = product(dyhat, transposed(W2))
        let dz1 = zip(dh, z1).map { zip($0, $1).map { $1 > 0 ? $0 : 0 } }
        let dW1 = product(transposed(X), dz1)
        let db1 = transposed(dz1).map { $0.reduce(0, +) }
        let dX = product(dz1, transposed(W1))
        let expected = [loss] + Array(dX.joined()) + Array(dW1.joined()) + db1 + Array(dW2.joined()) + db2
        expectClose(try await printedNumbers(g), expected)
        // Unit 1 is off for both examples: its column of dW1 and row of dW2 are zero.
        expectTrue(dW1.allSatisfy { $0[1] == 0 } && dW2[1].allSatisfy { $0 == 0 })
    }

    @Test func invertedDropoutB02() async throws {
        let g = try graph("dropout.grad")
        let (W, x, b, w2) = (try matrix(g, "W"), try matrix(g, "x")[0], try matrix(g, "b")[0], try matrix(g, "w2")[0])
        let p = try matrix(g, "p")[0][0], mask = try matrix(g, "mask")[0], t = try matrix(g, "t")[0][0]
        expectEqual(p, 0.2)
        let z = product(W, x.map { [$0] }).map(\.[0]).enumerated().map { $1 + b[$0] }
        let h = z.map { max($0, 0) }
        let keep = mask.map { $0 / (1 - p) }
        let hd = zip(h, keep).map(*)
        let y = zip(w2, hd).reduce(0) { $0 + $1.0 * $1.1 }
        let e = y - t
        // Backward: the same mask and scaling, dh = dhd ⊙ mask/(1 − p).
        let dy = 2 * e
        let dhd = w2.map { dy * $0 }
        let dh = zip(dhd, keep).map(*)
        let dz = zip(dh, z).map { $1 > 0 ? $0 : 0 }
        let dW = dz.map { d in x.map { d * $0 } }
        let dx = (0..<x.count).map { j in zip(W, dz).reduce(0) { $0 + $1.0[j] * $1.1 } }
        let dw2 = hd.map { dy * $0 }
        let expected = [e * e] + dx + Array(dW.joined()) + dz + dw2
        expectClose(try await printedNumbers(g), expected)
        // The dropped unit passes no gradient back; kept ones are scaled by 1/(1 − p) = 1.25.
        expectTrue(dz[0] == 0 && dW[0].allSatisfy { $0 == 0 })
        expectTrue(abs(dh[1] - 1.25 * dhd[1]) < 1e-15)
    }
}
