import Foundation
import Testing
import TestSupport

/// Graphs/bagging.grad (course item B64): the error of the average of k models is
/// (1/k)·v + ((k − 1)/k)·c, with v the models' mean squared error and c the mean product of
/// two different models' errors. Both sides are computed here from bagging-errors.csv.
@Test func baggingEnsembleErrorIsTheCourseFormula() async throws {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/bagging-errors.csv"), encoding: .utf8)
    let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    let k = Double(rows[0].count), n = Double(rows.count)
    var v = 0.0, c = 0.0, ensemble = 0.0
    for r in rows {
        for i in r.indices {
            v += r[i] * r[i]
            for j in r.indices where j != i { c += r[i] * r[j] }
        }
        let mean = r.reduce(0, +) / k
        ensemble += mean * mean
    }
    v /= n * k
    c /= n * k * (k - 1)
    ensemble /= n
    let formula = v / k + (k - 1) / k * c
    expectTrue(abs(ensemble - formula) < 1e-12, "the identity itself")
    expectTrue(formula < v / 2, "averaging five models with c = 0.3 more than halves the error")

    let r = try await gradstep("eval", graph("bagging.grad"), "--json")
    expectEqual(r.status, 0, "\(r.stderr)")
    let value = try #require((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["value"] as? Double)
    expectTrue(abs(value - formula) < 1e-12)
    let trace = try await gradstep("trace", graph("bagging.grad"), "--mode", "primal")
    let formulaRow = try #require(trace.stdout.split(separator: "\n").first { $0.hasPrefix("v") && $0.contains(" formula ") })
    expectHasSuffix(formulaRow, String(format: "%.6g", formula))
}
