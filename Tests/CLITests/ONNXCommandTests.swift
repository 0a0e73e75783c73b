import Foundation
import Testing
import TestSupport

/// ONNX models through the real binary, checked against the real runtime: the models are
/// written by `Graphs/onnx/make_models.py` with the `onnx` package, onnxruntime computes their
/// outputs, and central differences through onnxruntime their gradients (the script's `--run`,
/// every request of the suite answered by the one run that writes the models: `--oracle`).
/// `make deps` installs onnx and onnxruntime from PyPI; where they cannot be installed these
/// tests are skipped with that message.
@Suite("ONNX models on the command line", .enabled(if: ONNXModels.runtimeIsInstalled,
       "onnx and onnxruntime are not installed (python3 -m pip install onnx onnxruntime)"))
struct ONNXCommandTests {
    /// The float64 models: forward values to 1e-9 of onnxruntime's, every weight's gradient to
    /// central differences through onnxruntime.
    @Test(arguments: ONNXModels.float64Inputs)
    func float64ModelAgreesWithOnnxruntime(model: String, inputs: String) async throws {
        let folder = try await ONNXModels.folder()
        let path = folder.appendingPathComponent("\(model).onnx").path
        let oracle = try await ONNXModels.runtime(model, inputs: inputs)
        let given = try #require(JSONSerialization.jsonObject(with: Data(inputs.utf8)) as? [String: Any])
        let sets = given.map { name, value in ["--set", "\(name)=\(ONNXModels.text(value))"] }.flatMap { $0 }
        let r = try await gradstep(["eval", path, "--json"] + sets)
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let output = try #require(oracle.first { !$0.key.hasPrefix("grad:") })
        let value = ONNXModels.flat(json["value"])
        expectEqual(value.count, output.value.count)
        for (a, b) in zip(value, output.value) { expectTrue(ONNXModels.close(a, b, absolute: 1e-9, relative: 1e-9), "\(model): \(value) against \(output.value)") }
        let gradients = try #require(json["gradient"] as? [String: Any])
        let weights = oracle.filter { $0.key.hasPrefix("grad:") }
        expectTrue(!weights.isEmpty)
        for (key, expected) in weights {
            let name = String(key.dropFirst(5)).replacingOccurrences(of: ".", with: "_")
            let got = ONNXModels.flat(gradients[name])
            expectEqual(got.count, expected.count, "\(model): no gradient for \(name) in \(gradients.keys.sorted())")
            for (a, b) in zip(got, expected) { expectTrue(ONNXModels.close(a, b, absolute: 1e-6, relative: 1e-5), "\(model) \(name): \(got) against \(expected)") }
        }
    }

    /// The committed example (float32, as torch.onnx.export writes a CNN): onnxruntime's
    /// logits to 1e-5, and every gradient of a loss on them passes `check` (central
    /// differences; onnxruntime has no float64 Conv to difference through).
    @Test func theExampleCNNAgreesWithOnnxruntimeAndPassesCheck() async throws {
        let folder = try await ONNXModels.folder()
        let path = ONNXModels.exampleCNN
        let input = Self.image
        let oracle = try await ONNXModels.runtime(path, inputs: #"{"input": \#(input)}"#)
        let r = try await gradstep("eval", path, "--json", "--set", "input_=\(input)")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let logits: [Double] = ONNXModels.flat(json["value"])
        let expected: [Double] = try #require(oracle["logits"])
        expectEqual(logits.count, 3)
        for (a, b) in zip(logits, expected) { expectTrue(ONNXModels.close(a, b, absolute: 1e-5, relative: 1e-5), "\(logits) against \(expected)") }
        // A gradient check needs a scalar: the converted program, edited as a student would,
        // with a loss on the logits.
        let converted = try await gradstep("convert", path)
        expectEqual(converted.status, 0, "\(converted.stderr)")
        let program = converted.stdout.replacingOccurrences(of: "output logits", with: "loss = sum(logits * [[1, -2, 0.5]])\noutput loss")
        let file = folder.appendingPathComponent("cnn-loss-\(UUID().uuidString).grad")
        try Data(program.utf8).write(to: file)
        let check = try await gradstep("check", file.path, "--set", "input_=\(input)")
        expectEqual(check.status, 0, "\(check.stdout)\(check.stderr)")
        let lines: [Substring] = check.stdout.split(separator: "\n")
        let summary: Substring = try #require(lines.last { (line: Substring) -> Bool in line.contains(" entries: ") })
        expectContains(summary, " 0 fail", "\(summary)")
    }

    /// The example CNN's input: the 6 × 6 test image, batch and channel 1.
    static let image = "[[[" + (0..<6).map(imageRow).joined(separator: ", ") + "]]]"

    /// Row i of the 6 × 6 test image: distinct values, so no max-pool window has a tie (a kink).
    static func imageRow(_ i: Int) -> String {
        var numbers: [String] = []
        for j in 0..<6 {
            let k: Int = (i * 7 + j * 3) % 11, ij: Int = i * j
            let tenths: Double = Double(k) / 10, hundredths: Double = Double(ij) / 100
            let v: Double = tenths - 0.4 + hundredths
            numbers.append("\(v)")
        }
        return "[\(numbers.joined(separator: ", "))]"
    }

    /// MaxPool with pads [1, 0, 1, 0], a 3×2 kernel and strides (2, 1), then AveragePool with
    /// pads [1, 1, 1, 1], a 2×3 kernel, strides (1, 2) and count_include_pad = 1: onnxruntime's
    /// values (float32) to 1e-6, and the padding written as the language's `padding=`.
    @Test func paddedRectangularPoolsAgreeWithOnnxruntime() async throws {
        let folder = try await ONNXModels.folder()
        let path = folder.appendingPathComponent("pools.onnx").path
        let x = Self.poolsInput
        let oracle = try await ONNXModels.runtime("pools", inputs: #"{"x": \#(x)}"#)
        let r = try await gradstep("eval", path, "--json", "--set", "x=\(x)")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let value = ONNXModels.flat(json["value"]), expected = try #require(oracle["y"])
        #expect(value.count == 12 && expected.count == 12)
        for (a, b) in zip(value, expected) { #expect(ONNXModels.close(a, b, absolute: 1e-6, relative: 1e-6), "\(value) against \(expected)") }
        let converted = try await gradstep("convert", path)
        #expect(converted.stdout.contains("maxpool2d(x, [3, 2], [2, 1], padding=[1, 0])"), "\(converted.stdout)")
        #expect(converted.stdout.contains("avgpool2d(pool_MaxPool, [2, 3], [1, 2], padding=1)"), "\(converted.stdout)")
        // Padding on one side only is refused in one line.
        let uneven = try await gradstep("eval", folder.appendingPathComponent("unsupported-pads.onnx").path)
        #expect(uneven.status == 1)
        #expect(ONNXModels.lineCount(uneven.stderr) == 1, "\(uneven.stderr)")
        #expect(uneven.stderr.contains("node '/pool/MaxPool' (MaxPool): attribute pads = [1, 0, 0, 0] is not supported; gradstep pads both sides alike"),
                "\(uneven.stderr)")
    }

    static let poolsInput = "[[[[0.1, 0.5, -0.3, 0.8, 0.2, -0.6], [0.4, -0.9, 0.7, 0.05, 0.3, 0.9], [-0.2, 0.6, 0.15, -0.4, 1.0, 0.35], "
        + "[0.75, -0.1, 0.45, 0.25, -0.8, 0.55], [0.3, 0.85, -0.5, 0.65, 0.12, -0.25]]]]"

    @Test func anUnsupportedOpIsOneLineNamingTheNodeAndOpType() async throws {
        let folder = try await ONNXModels.folder()
        let op = try await gradstep("eval", folder.appendingPathComponent("unsupported-op.onnx").path)
        expectEqual(op.status, 1)
        expectTrue(op.stdout.isEmpty)
        expectEqual(ONNXModels.lineCount(op.stderr), 1, "\(op.stderr)")
        expectContains(op.stderr, "node '/sum/Einsum' (Einsum): the op type Einsum is not supported", "\(op.stderr)")
        let attribute = try await gradstep("eval", folder.appendingPathComponent("unsupported-attribute.onnx").path)
        expectEqual(attribute.status, 1)
        expectEqual(ONNXModels.lineCount(attribute.stderr), 1, "\(attribute.stderr)")
        expectContains(attribute.stderr, "node '/conv/Conv' (Conv): attribute dilations = [2, 2] is not supported", "\(attribute.stderr)")
    }

    /// `convert` writes the program every command reads: module paths as groups, the weights'
    /// names, and the same numbers when the written file is evaluated.
    @Test func convertWritesTheProgramEveryCommandReads() async throws {
        let folder = try await ONNXModels.folder()
        let model = ONNXModels.exampleCNN
        let out = folder.appendingPathComponent("small-cnn-\(UUID().uuidString).grad").path
        let r = try await gradstep("convert", model, "--out", out)
        expectEqual(r.status, 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        for line in ["input input_ = zeros([1, 1, 6, 6])", "group conv1 {", "group bn1 {", "param conv1_weight = [[[[",
                     "const bn1_running_mean = [", "output logits"] {
            expectContains(text, line, "\(line) in\n\(text)")
        }
        let fromModel = try await gradstep("eval", model, "--json")
        let fromFile = try await gradstep("eval", out, "--json")
        expectTrue(fromModel.status == 0 && fromModel.stdout == fromFile.stdout, "\(fromModel.stderr)")
        let again = try await gradstep("convert", model, "--out", out)
        expectEqual(again.status, 0, "an existing regular file is replaced: \(again.stderr)")
        let onto = try await gradstep("convert", model, "--out", model)
        expectTrue(onto.status == 1 && onto.stderr.contains("is the file this command reads"), "\(onto.stderr)")
    }

    /// Module groups are folded, as a `.grad` file's groups are: the picture's DOT has a box
    /// per module (conv1, bn1, …), not the ops inside them.
    @Test func modulePathsAreFoldedGroupsInPictures() async throws {
        let model = repositoryRoot.appendingPathComponent("Graphs/onnx/small-cnn.onnx").path
        let out = try await ONNXModels.folder().appendingPathComponent("export-\(UUID().uuidString)")
        let r = try await gradstep("export", model, "--format", "dot", "-o", out.path)
        expectEqual(r.status, 0, "\(r.stderr)")
        let dot = try String(contentsOf: out.appendingPathComponent("small-cnn.dot"), encoding: .utf8)
        for module in ["conv1", "bn1", "pool", "fc"] { expectContains(dot, module, "\(module)") }
        expectNotContains(dot, "batch_norm", "the BatchNormalization's ops are inside the folded bn1 box")
    }

    /// A file that is not an ONNX model, and a truncated one, are one clear error each.
    @Test func aFileThatIsNotAModelIsAClearError() async throws {
        let folder = try await ONNXModels.folder()
        let junk = folder.appendingPathComponent("junk-\(UUID().uuidString).onnx")
        try Data("this is not a protobuf\n\u{1B}[2J".utf8).write(to: junk)
        let r = try await gradstep("eval", junk.path)
        expectEqual(r.status, 1)
        expectContains(r.stderr, "not an ONNX model", "\(r.stderr)")
        expectNotContains(r.stderr, "\u{1B}", "nothing of the file is echoed")
        let model = try Data(contentsOf: repositoryRoot.appendingPathComponent("Graphs/onnx/small-cnn.onnx"))
        let cut = folder.appendingPathComponent("cut-\(UUID().uuidString).onnx")
        try model.prefix(model.count / 2).write(to: cut)
        let t = try await gradstep("eval", cut.path)
        expectEqual(t.status, 1, "\(t.stdout)")
        expectHasPrefix(t.stderr, "error: ", "\(t.stderr)")
    }
}

/// The test models, written once per run into a temporary folder by the committed script,
/// and onnxruntime's answer to every request of the suite, computed by that same run.
enum ONNXModels {
    static let script = repositoryRoot.appendingPathComponent("Graphs/onnx/make_models.py").path
    static let exampleCNN = repositoryRoot.appendingPathComponent("Graphs/onnx/small-cnn.onnx").path

    /// The float64 models (names of the written models) and their inputs.
    static let float64Inputs: [(String, String)] = [
        ("mlp", #"{"x": [[1, 2, 3, 4], [0.5, -1, 2, 0]]}"#),
        ("elementwise", #"{"x": [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]]}"#),
        ("layers", #"{"x": [[0.1, 0.2, 0.3, 0.4], [0.4, -0.5, 0.6, 1], [1, 2, 3, 4]]}"#),
    ]

    /// Every (model, inputs) the tests ask onnxruntime about: a model is the name of a
    /// written model or a path. They are known before any test runs, so one Python process
    /// answers them all: each process spent most of a second importing onnx and onnxruntime.
    static let requests: [Request] = float64Inputs.map { Request(model: $0.0, inputs: $0.1) } + [
        Request(model: exampleCNN, inputs: #"{"input": \#(ONNXCommandTests.image)}"#),
        Request(model: "pools", inputs: #"{"x": \#(ONNXCommandTests.poolsInput)}"#),
    ]

    struct Request: Hashable {
        var model: String
        var inputs: String
    }

    /// Whether onnx and onnxruntime can be found: one interpreter start that imports neither
    /// (`find_spec`), so skipping costs almost nothing.
    static let runtimeIsInstalled: Bool = pythonSucceeds(["-c", """
        import importlib.util, sys
        sys.exit(0 if all(importlib.util.find_spec(m) for m in ("onnx", "onnxruntime")) else 1)
        """])

    /// The folder of models and the answers, made by the first test that asks; a `Task`, so
    /// tests that ask at once all wait for the one run.
    private static let made = Task { () throws -> (folder: URL, answers: [Request: [String: [Double]]]) in
        let folder = try makeTemporaryFolder("onnx")
        var lines: [String] = []
        for request in requests {
            let model = request.model.contains("/") ? request.model : folder.appendingPathComponent("\(request.model).onnx").path
            let quoted = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
            // The inputs as the tests wrote them, so onnxruntime reads the same numbers.
            lines.append(#"{"model": \#(quoted), "inputs": \#(request.inputs)}"#)
        }
        let file = folder.appendingPathComponent("requests.json")
        try Data(("[\n" + lines.joined(separator: ",\n") + "\n]\n").utf8).write(to: file)
        let r = try await runProcess(pythonExecutable, [script, "--oracle", folder.path, file.path])
        guard r.status == 0, let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: [Double]]],
              list.count == requests.count else {
            throw ModelError(text: "make_models.py --oracle (status \(r.status)): \(r.stderr)")
        }
        return (folder, Dictionary(uniqueKeysWithValues: zip(requests, list)))
    }

    struct ModelError: Error { var text: String }

    static func folder() async throws -> URL { try await made.value.folder }

    /// onnxruntime's outputs and central-difference gradients for `model` on `inputs`, one of
    /// the `requests`.
    static func runtime(_ model: String, inputs: String) async throws -> [String: [Double]] {
        guard let answer = try await made.value.answers[Request(model: model, inputs: inputs)] else {
            throw ModelError(text: "\(model) on \(inputs) is not in ONNXModels.requests: add it there")
        }
        return answer
    }

    /// A JSON value's numbers in row-major order.
    static func flat(_ value: Any?) -> [Double] {
        if let n = value as? NSNumber { return [n.doubleValue] }
        if let list = value as? [Any] { return list.flatMap(flat) }
        return []
    }

    /// A parsed JSON value written back as the language's literal (`--set` text).
    static func text(_ value: Any) -> String {
        if let list = value as? [Any] { return "[" + list.map(text).joined(separator: ", ") + "]" }
        return number((value as? NSNumber)?.doubleValue ?? 0)
    }

    static func number(_ v: Double) -> String { "\(v)" }

    /// |a − b| ≤ absolute + relative·|b|.
    static func close(_ a: Double, _ b: Double, absolute: Double, relative: Double) -> Bool {
        let bound: Double = absolute + relative * Swift.abs(b)
        return Swift.abs(a - b) <= bound
    }

    static func lineCount(_ text: String) -> Int {
        text.split(separator: "\n" as Character).count
    }
}
