import Foundation
import GraphBench
import GraphCore

/// The tensor table: the MLP below and the small CNN (`convolutionRow`).
func tensorRows() throws -> [Row] {
    [try perceptronRow(), try convolutionRow()]
}

/// An MNIST-sized MLP, 64×784 → 128 → 10 (relu, softmax cross-entropy
/// averaged over the batch), one forward + reverse sweep over gradstep's cached tape, against
/// the same computation in NumPy on one thread (`tensor_mlp.py` beside this file, run with
/// python3 in this process's run). Both sides get the same numbers from one seed, through
/// float64 files; the row is marked failed unless the loss and every parameter's gradient
/// agree to 1e-9 (relative to the largest entry of that gradient).
func perceptronRow() throws -> Row {
    log("tensor MLP 64×784 → 128 → 10, forward + reverse …")
    let (batch, inputs, hidden, classes) = (64, 784, 128, 10)
    var draw = Draws()
    let x = draw.pixels(batch * inputs)
    // PyTorch's nn.Linear initialisation: U(−1/√fan_in, 1/√fan_in).
    let data: [(name: String, shape: Shape, values: [Double])] = [
        ("X", .matrix(batch, inputs), x),
        ("W1", .matrix(inputs, hidden), draw.uniform(inputs * hidden, fanIn: inputs)),
        ("b1", .vector(hidden), draw.uniform(hidden, fanIn: inputs)),
        ("W2", .matrix(hidden, classes), draw.uniform(hidden * classes, fanIn: hidden)),
        ("b2", .vector(classes), draw.uniform(classes, fanIn: hidden)),
        ("T", .matrix(batch, classes), draw.labels(batch, classes)),
    ]

    var b = TapeBuilder()
    let leaf = data.map { d in b.leaf(["X", "T"].contains(d.name) ? .input : .param, d.shape, d.values, name: d.name) }
    let (xn, w1, b1, w2, b2, t) = (leaf[0], leaf[1], leaf[2], leaf[3], leaf[4], leaf[5])
    let n = b.leaf(.constant, .scalar, [Double(batch)], name: "n")
    let h = try b.apply(.unary(.relu), try b.apply(.add, try b.apply(.matmul, xn, w1), b1))
    let z = try b.apply(.add, try b.apply(.matmul, h, w2), b2)
    let loss = try b.apply(.div, try b.apply(.crossEntropy, try b.apply(.softmax, z), t), n)
    let sweep = Sweep(b, output: loss, gradients: [("gW1", w1), ("gb1", b1), ("gW2", w2), ("gb2", b2)])
    return try againstNumPy(workload: "MLP 64×784→128→10 fwd+rev vs NumPy (1 thread)", script: "tensor_mlp.py",
                            data: data, sweep, target: 2)
}

/// The small CNN: conv 1→8 3×3 on a batch of 8 one-channel 28×28 images (+ bias),
/// relu, 2×2 max-pool, flatten to (8 × 1352), a linear layer to 10 classes, softmax
/// cross-entropy averaged over the batch; one forward + reverse sweep over the cached tape,
/// against `tensor_cnn.py` (NumPy, one thread). The images and labels are constants (data,
/// as `optimize` trains on), so neither side computes their gradient.
func convolutionRow() throws -> Row {
    log("tensor CNN conv 1→8 3×3 on 8×1×28×28, relu, pool, linear, CE, forward + reverse …")
    let (batch, channels, side, classes) = (8, 8, 28, 10)
    let pooled = channels * 13 * 13
    var draw = Draws()
    // PyTorch's initialisation: U(−1/√fan_in, 1/√fan_in), fan_in = C·kh·kw = 9 for the kernel.
    let data: [(name: String, shape: Shape, values: [Double])] = [
        ("X", .tensor([batch, 1, side, side]), draw.pixels(batch * side * side)),
        ("W", .tensor([channels, 1, 3, 3]), draw.uniform(channels * 9, fanIn: 9)),
        ("b", .vector(channels), draw.uniform(channels, fanIn: 9)),
        ("W2", .matrix(pooled, classes), draw.uniform(pooled * classes, fanIn: pooled)),
        ("b2", .vector(classes), draw.uniform(classes, fanIn: pooled)),
        ("T", .matrix(batch, classes), draw.labels(batch, classes)),
    ]
    var b = TapeBuilder()
    let leaf = data.map { d in b.leaf(["X", "T"].contains(d.name) ? .constant : .param, d.shape, d.values, name: d.name) }
    let (x, w, bias, w2, b2, t) = (leaf[0], leaf[1], leaf[2], leaf[3], leaf[4], leaf[5])
    let n = b.leaf(.constant, .scalar, [Double(batch)], name: "n")
    let conv = try b.apply(.biasAdd, try b.apply(.conv2d, x, w, window: Window()), bias, window: Window(axis: 1))
    let pool = try b.apply(.maxpool2d, try b.apply(.unary(.relu), conv), window: Window(kernel: 2, stride: 2))
    let flat = try b.reshape(pool, to: .matrix(batch, pooled))
    let z = try b.apply(.add, try b.apply(.matmul, flat, w2), b2)
    let loss = try b.apply(.div, try b.apply(.crossEntropy, try b.apply(.softmax, z), t), n)
    let sweep = Sweep(b, output: loss, gradients: [("gW", w), ("gb", bias), ("gW2", w2), ("gb2", b2)])
    return try againstNumPy(workload: "CNN conv 1→8 3×3, 8×1×28×28, relu, pool, linear, CE fwd+rev vs NumPy (1 thread)",
                            script: "tensor_cnn.py", data: data, sweep, target: 1.5)
}

/// Runs `script` (beside this file) on the same numbers with NumPy on one thread and compares:
/// the row is marked failed unless the loss and every gradient agree to 1e-9 (relative to the
/// largest entry of that gradient) and gradstep takes at most `target` times NumPy's time.
func againstNumPy(workload: String, script: String, data: [(name: String, shape: Shape, values: [Double])],
                  _ sweep: Sweep, target: Double) throws -> Row {
    let (ours, ourLoss, gradients) = (sweep.nanos, sweep.loss, sweep.gradients)
    let goal = String(format: "≤%g× NumPy", target)
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-tensor-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for d in data { try d.values.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent(d.name)) }
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", "Sources/GradstepBench/\(script)", folder.path]
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
        return Row(workload: workload, measured: ours / 1e6, reference: nil, unit: "ms", target: goal, ok: false)
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    guard python.terminationStatus == 0,
          let json = try? JSONSerialization.jsonObject(with: output) as? [String: Double],
          let seconds = json["seconds"], let theirLoss = json["loss"] else {
        log("  NumPy row skipped: python3 -c 'import numpy' fails (make deps installs it)")
        return Row(workload: workload, measured: ours / 1e6, reference: nil, unit: "ms", target: goal, ok: false)
    }
    var agree = Swift.abs(ourLoss - theirLoss) <= 1e-9 * Swift.abs(theirLoss)
    var worst = Swift.abs(ourLoss - theirLoss) / Swift.abs(theirLoss)
    for (name, mine) in gradients {
        let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
        let theirs = bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        let scale = theirs.map(Swift.abs).max() ?? 0
        let difference = zip(mine, theirs).map { Swift.abs($0 - $1) }.max() ?? .infinity
        worst = Swift.max(worst, difference / Swift.max(scale, .leastNormalMagnitude))
        agree = agree && mine.count == theirs.count && difference <= 1e-9 * scale
    }
    log(String(format: "  NumPy %.3f ms, loss %.17g; largest relative difference %.1e", seconds * 1e3, theirLoss, worst)
        + (agree ? " (agree)" : " (DISAGREE)"))
    let ratio = ours / (seconds * 1e9)
    return Row(workload: workload + (agree ? ", numbers agree" : ", numbers DISAGREE"), measured: ours / 1e6,
               reference: seconds * 1e3, unit: "ms", target: goal, ok: agree && ratio <= target)
}

/// The bench's numbers from one seed: pixels in [0, 1), weights U(−1/√fan_in, 1/√fan_in) as
/// PyTorch initialises a layer, one-hot labels.
struct Draws {
    var rng = SeededGenerator(seed: 23)

    mutating func pixels(_ count: Int) -> [Double] {
        (0..<count).map { _ in Double.random(in: 0..<1, using: &rng) }
    }

    mutating func uniform(_ count: Int, fanIn: Int) -> [Double] {
        let bound = 1 / Double(fanIn).squareRoot()
        return (0..<count).map { _ in Double.random(in: -bound...bound, using: &rng) }
    }

    mutating func labels(_ batch: Int, _ classes: Int) -> [Double] {
        (0..<batch).flatMap { _ in
            let label = Int.random(in: 0..<classes, using: &rng)
            return (0..<classes).map { $0 == label ? 1.0 : 0.0 }
        }
    }
}

/// One forward + reverse sweep over the finished tape, timed (median of 9), with the loss and
/// the named gradients it gives.
struct Sweep {
    var nanos: Double
    var loss: Double
    var gradients: [(String, [Double])]

    init(_ builder: TapeBuilder, output: NodeID, gradients named: [(String, NodeID)]) {
        let (tape, order) = builder.finish(output: output)
        var v = tape.evaluate(), g = [Double](repeating: 0, count: tape.valueCount)
        nanos = Measure.median(repeats: 9) { tape.forward(&v); tape.adjoints(values: v, into: &g) }
        loss = v[Int(tape.entries[tape.output].offset)]
        gradients = named.map { name, node in
            let e = tape.entries[order[node.raw]]
            return (name, Array(g[Int(e.offset) ..< Int(e.offset) + e.count]))
        }
        log(String(format: "  gradstep %.3f ms, loss %.17g", nanos / 1e6, loss))
    }
}
