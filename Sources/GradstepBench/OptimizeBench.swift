import Foundation
import GraphBench
import GraphCore
import Optimize

/// One optimisation step (forward + reverse sweep over the cached tape + the SGD update) on
/// micrograd's MLP(2, [16, 16, 1]) over 100 points, against a hand-written loop over the same
/// flat tape, and against micrograd itself (`micrograd_step.py` beside this file, run with
/// python3 when it can import micrograd).
func optimizationRows() throws -> [Row] {
    var rows: [Row] = []
    log("optimisation step, scalar MLP 2-16-16-1 on 100 points …")
    let (tape, parameters) = ScalarMLP.tape()
    var objective = try Objective(tape: tape, variables: parameters)
    var rule = UpdateRule(Hyperparameters(method: .sgd, learningRate: 0.01), dimension: parameters.count)
    var theta = objective.initialPoint, gradient = theta
    var reference = ReferenceStep(tape, parameters: parameters)!
    var thetaReference = theta
    let firstLoss = objective.gradient(at: theta, into: &gradient)
    precondition(firstLoss == reference.step(&thetaReference, learningRate: 0), "gradstep and the hand loop disagree")
    let ours = Measure.median(repeats: 9) {
        _ = objective.gradient(at: theta, into: &gradient)
        rule.apply(&theta, gradient: gradient, learningRate: 0.01)
    }
    let theirs = Measure.median(repeats: 9) { reference.step(&thetaReference, learningRate: 0.01) }
    rows.append(Row(workload: "optimisation step, MLP 2-16-16-1 ×100 (\(tape.count) nodes)", measured: ours / 1e3, reference: theirs / 1e3,
                    unit: "µs/step", target: "≤2× hand loop", ok: ours / theirs <= 2))
    // micrograd on the same network and data, if Python has it (`make bench` installs it).
    let script = "Sources/GradstepBench/micrograd_step.py"
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", script]
    let pipe = Pipe()
    python.standardOutput = pipe
    python.standardError = FileHandle.nullDevice
    if FileManager.default.fileExists(atPath: script), (try? python.run()) != nil {
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        if python.terminationStatus == 0,
           let json = try? JSONSerialization.jsonObject(with: output) as? [String: Double],
           let seconds = json["seconds_per_step"], let loss = json["loss"] {
            log(String(format: "  micrograd: loss %.15g (gradstep %.15g), %.1f ms/step", loss, firstLoss, seconds * 1e3))
            let speedup = seconds * 1e9 / ours
            rows.append(Row(workload: "optimisation step: micrograd ÷ gradstep (same MLP, data)", measured: speedup, reference: nil,
                            unit: "× faster", target: "≥1000×", ok: speedup >= 1000 && Swift.abs(loss - firstLoss) <= 1e-9 * Swift.abs(firstLoss)))
        } else {
            log("  micrograd row skipped: python3 -m pip install micrograd")
        }
    } else {
        log("  micrograd row skipped: no python3")
    }
    return rows
}
