import Foundation
import Testing
import TestSupport

/// `gradstep optimize --validation D=FILE.csv --patience K` (course item B63): the loss on
/// held-out data at every step, and stopping once it has not improved for K steps.
@Suite("gradstep optimize --validation --patience")
struct EarlyStoppingTests {
    static let arguments = ["optimize", graph("early-stopping.grad"), "--lr", "0.5", "--validation", "D=" + graph("poly-validation.csv")]

    struct Report: Decodable {
        var loss: [Double]
        var validation_loss: [Double]
        var steps: Int
        var status: String
    }

    static func run(_ extra: [String]) async throws -> Report {
        let r = try await gradstep(arguments + extra + ["--json"])
        expectEqual(r.status, 0, "\(r.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
    }

    /// poly-validation.csv's targets, read here: at θ = 0 the model is 0, so the validation
    /// loss is mean(t²).
    static func validationTargets() throws -> [Double] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Graphs/poly-validation.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
    }

    @Test func theValidationLossIsTheLossOnTheHeldOutRows() async throws {
        let report = try await Self.run(["--steps", "5"])
        let t = try Self.validationTargets()
        let expected = t.map { $0 * $0 }.reduce(0, +) / Double(t.count)
        expectEqual(report.validation_loss.count, 6)
        expectTrue(abs(report.validation_loss[0] - expected) < 1e-12)
        expectTrue(report.validation_loss[0] != report.loss[0], "not the training loss")
    }

    @Test func withoutPatienceTheRunGoesOnAndOverfits() async throws {
        let report = try await Self.run(["--steps", "1500"])
        expectTrue(report.status == "max-steps" && report.steps == 1500)
        let v = report.validation_loss
        // Training loss keeps falling while the held-out loss climbs back up past its best.
        expectTrue(report.loss.last! < report.loss[100])
        expectTrue(v.last! > 2 * v.min()!)
    }

    /// The stopping step is found here from a run without patience: the first step k whose
    /// best validation loss so far (the earliest, on a tie) is K or more steps old.
    @Test(arguments: [10, 50])
    func patienceStopsKStepsAfterTheBestValidationLoss(patience: Int) async throws {
        let full = try await Self.run(["--steps", "1500"]).validation_loss
        var best = 0, stop: Int?
        for k in full.indices {
            if full[k] < full[best] { best = k }
            if k - best >= patience { stop = k; break }
        }
        let report = try await Self.run(["--steps", "1500", "--patience", "\(patience)"])
        expectEqual(report.status, "converged")
        expectEqual(report.steps, stop)
        expectEqual(report.validation_loss, Array(full[...(stop ?? 0)]))
    }

    @Test func theTextReportNamesTheBestStep() async throws {
        let r = try await gradstep(Self.arguments + ["--steps", "1500", "--patience", "50"])
        expectContains(r.stdout, "val loss")
        expectContains(r.stdout, "early stopping: the validation loss has not improved for 50 steps")
    }

    @Test func badValidationArgumentsAreClearErrors() async throws {
        try await expectEqual(gradstep("optimize", graph("early-stopping.grad"), "--patience", "5").status, 2)
        try await expectEqual(gradstep(Self.arguments + ["--patience", "0"]).status, 2)
        try await expectEqual(gradstep("optimize", graph("early-stopping.grad"), "--validation", "poly.csv").status, 2)
        let wrongName = try await gradstep("optimize", graph("early-stopping.grad"), "--validation", "E=" + graph("poly-validation.csv"))
        expectEqual(wrongName.status, 1)
        expectTrue(wrongName.stderr.contains("no data set named 'E'") && wrongName.stderr.contains("its data sets: D"))
        let wrongColumns = try await gradstep("optimize", graph("early-stopping.grad"), "--validation", "D=" + graph("xor-points.csv"))
        expectEqual(wrongColumns.status, 1)
        expectContains(wrongColumns.stderr, "columns (x1, x2, label) are not D's (x, t)")
    }
}
