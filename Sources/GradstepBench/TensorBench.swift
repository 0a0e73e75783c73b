import Foundation
import GraphBench
import GraphCore

/// The tensor table: an MNIST-sized MLP, 64×784 → 128 → 10 (relu, softmax cross-entropy
/// averaged over the batch), one forward + reverse sweep over gradstep's cached tape, against
/// the same computation in NumPy on one thread (`tensor_mlp.py` beside this file, run with
/// python3 in this process's run). Both sides get the same numbers from one seed, through
/// float64 files; the row is marked failed unless the loss and every parameter's gradient
/// agree to 1e-9 (relative to the largest entry of that gradient).
func tensorRows() throws -> [Row] {
    log("tensor MLP 64×784 → 128 → 10, forward + reverse …")
    let (batch, inputs, hidden, classes) = (64, 784, 128, 10)
    var rng = SeededGenerator(seed: 23)
    func uniform(_ count: Int, _ bound: Double) -> [Double] {
        (0..<count).map { _ in Double.random(in: -bound...bound, using: &rng) }
    }
    let x = (0..<batch * inputs).map { _ in Double.random(in: 0..<1, using: &rng) }  // pixels
    // PyTorch's nn.Linear initialisation: U(−1/√fan_in, 1/√fan_in).
    let data: [(name: String, shape: Shape, values: [Double])] = [
        ("X", .matrix(batch, inputs), x),
        ("W1", .matrix(inputs, hidden), uniform(inputs * hidden, 1 / Double(inputs).squareRoot())),
        ("b1", .vector(hidden), uniform(hidden, 1 / Double(inputs).squareRoot())),
        ("W2", .matrix(hidden, classes), uniform(hidden * classes, 1 / Double(hidden).squareRoot())),
        ("b2", .vector(classes), uniform(classes, 1 / Double(hidden).squareRoot())),
        ("T", .matrix(batch, classes), (0..<batch).flatMap { _ in
            let label = Int.random(in: 0..<classes, using: &rng)
            return (0..<classes).map { $0 == label ? 1.0 : 0.0 }
        }),
    ]

    var b = TapeBuilder()
    let leaf = data.map { d in b.leaf(["X", "T"].contains(d.name) ? .input : .param, d.shape, d.values, name: d.name) }
    let (xn, w1, b1, w2, b2, t) = (leaf[0], leaf[1], leaf[2], leaf[3], leaf[4], leaf[5])
    let n = b.leaf(.constant, .scalar, [Double(batch)], name: "n")
    let h = try b.apply(.unary(.relu), try b.apply(.add, try b.apply(.matmul, xn, w1), b1))
    let z = try b.apply(.add, try b.apply(.matmul, h, w2), b2)
    let loss = try b.apply(.div, try b.apply(.crossEntropy, try b.apply(.softmax, z), t), n)
    let (tape, order) = b.finish(output: loss)

    var v = tape.evaluate(), g = [Double](repeating: 0, count: tape.valueCount)
    let ours = Measure.median(repeats: 9) { tape.forward(&v); tape.adjoints(values: v, into: &g) }
    let ourLoss = v[Int(tape.entries[tape.output].offset)]
    func gradient(_ node: NodeID) -> [Double] {
        let e = tape.entries[order[node.raw]]
        return Array(g[Int(e.offset) ..< Int(e.offset) + e.count])
    }
    let workload = "MLP 64×784→128→10 fwd+rev vs NumPy (1 thread)"
    log(String(format: "  gradstep %.3f ms, loss %.17g", ours / 1e6, ourLoss))

    // NumPy on the same numbers.
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-tensor-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for d in data { try d.values.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent(d.name)) }
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", "Sources/GradstepBench/tensor_mlp.py", folder.path]
    // One thread for NumPy's BLAS, as gradstep's (MatrixProduct.swift); set before it loads.
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment["OMP_NUM_THREADS"] = "1"
    environment["MKL_NUM_THREADS"] = "1"
    python.environment = environment
    let pipe = Pipe()
    python.standardOutput = pipe
    python.standardError = FileHandle.nullDevice
    guard (try? python.run()) != nil else {
        log("  NumPy row skipped: no python3")
        return [Row(workload: workload, measured: ours / 1e6, reference: nil, unit: "ms", target: "≤2× NumPy", ok: false)]
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    guard python.terminationStatus == 0,
          let json = try? JSONSerialization.jsonObject(with: output) as? [String: Double],
          let seconds = json["seconds"], let theirLoss = json["loss"] else {
        log("  NumPy row skipped: python3 -c 'import numpy' fails (make deps installs it)")
        return [Row(workload: workload, measured: ours / 1e6, reference: nil, unit: "ms", target: "≤2× NumPy", ok: false)]
    }
    var agree = Swift.abs(ourLoss - theirLoss) <= 1e-9 * Swift.abs(theirLoss)
    var worst = Swift.abs(ourLoss - theirLoss) / Swift.abs(theirLoss)
    for (name, node) in [("gW1", w1), ("gb1", b1), ("gW2", w2), ("gb2", b2)] {
        let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
        let theirs = bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        let mine = gradient(node)
        let scale = theirs.map(Swift.abs).max() ?? 0
        let difference = zip(mine, theirs).map { Swift.abs($0 - $1) }.max() ?? .infinity
        worst = Swift.max(worst, difference / Swift.max(scale, .leastNormalMagnitude))
        agree = agree && mine.count == theirs.count && difference <= 1e-9 * scale
    }
    log(String(format: "  NumPy %.3f ms, loss %.17g; largest relative difference %.1e", seconds * 1e3, theirLoss, worst)
        + (agree ? " (agree)" : " (DISAGREE)"))
    let ratio = ours / (seconds * 1e9)
    return [Row(workload: workload + (agree ? ", numbers agree" : ", numbers DISAGREE"), measured: ours / 1e6,
                reference: seconds * 1e3, unit: "ms", target: "≤2× NumPy", ok: agree && ratio <= 2)]
}
