import Codegen
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// What a process printed, and how it ended.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `command` (a path, or a name looked up on PATH) with `arguments`, as a shell would,
/// without holding a thread of the test pool (`runProcess`).
func run(_ command: String, _ arguments: [String], in folder: URL? = nil) async throws -> Run {
    let r = try await runProcess(command, arguments, in: folder)
    return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
}

/// The `gradstep` binary under test (`GRADSTEP_BIN`, else the debug build).
var gradstepPath: String {
    ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
        ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
}

func gradstep(_ arguments: String...) async throws -> Run { try await run(gradstepPath, arguments) }

/// A fresh empty folder for one test's files, removed at the latest when the test process exits.
func scratchFolder() throws -> URL {
    try makeTemporaryFolder("codegen")
}

/// Runs a generated program: NumPy and Python with python3, C compiled with
/// `cc -std=c99 … -lm` first, each under a hang guard of minutes (`runGuarded`: a program
/// that never ends, such as a recurrence from −1e300, is a failure, not a stuck suite).
/// Returns what it printed, or records why it did not run.
func execute(_ source: String, _ language: CodeLanguage, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> String? {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result: Run
    switch language {
    case .numpy, .python:
        try source.write(to: folder.appendingPathComponent("prog.py"), atomically: true, encoding: .utf8)
        result = try await runGuarded(pythonExecutable, ["prog.py"], in: folder)
    case .c:
        try source.write(to: folder.appendingPathComponent("prog.c"), atomically: true, encoding: .utf8)
        let compiled = try await run("cc", ["-std=c99", "-o", "prog", "prog.c", "-lm"], in: folder)
        guard compiled.status == 0 else {
            Issue.record("cc failed:\n\(compiled.stderr)\n\(source)", sourceLocation: sourceLocation)
            return nil
        }
        result = try await runGuarded(folder.appendingPathComponent("prog").path, [], in: folder)
    case .latex:
        return nil
    }
    guard result.status == 0 else {
        Issue.record("the \(language) program failed:\n\(result.stderr)\n\(source)", sourceLocation: sourceLocation)
        return nil
    }
    return result.stdout
}

/// Runs a generated program under coreutils' `timeout` of 300 s where it is installed (a
/// program that never ends fails instead of holding the suite), else as it is.
func runGuarded(_ command: String, _ arguments: [String], in folder: URL) async throws -> Run {
    let timeout = "/usr/bin/timeout"
    guard FileManager.default.isExecutableFile(atPath: timeout) else { return try await run(command, arguments, in: folder) }
    return try await run(timeout, ["300", command] + arguments, in: folder)
}

/// JSON text split into its layout (every number and `null` replaced by `#`) and its
/// numbers (NaN for `null`), read with Swift's correctly rounded parser.
func skeleton(_ json: String) -> (layout: String, numbers: [Double]) {
    var layout = "", numbers: [Double] = [], token = ""
    var inString = false, escaped = false
    func flush() {
        guard !token.isEmpty else { return }
        numbers.append(token == "null" ? .nan : Double(token) ?? .infinity)
        layout += "#"
        token = ""
    }
    for ch in json {
        if inString {
            layout.append(ch)
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
        } else if ch == "\"" {
            flush()
            inString = true
            layout.append(ch)
        } else if ch.isNumber || "-+.eEnul".contains(ch) {
            token.append(ch)
        } else {
            flush()
            layout.append(ch)
        }
    }
    flush()
    return (layout, numbers)
}

/// Checks that `actual` is `expected` (both the JSON of `eval --json`): the same keys in the
/// same order, the same shapes, `null` where it has `null`, and every number within 1e-12
/// relative. The engine adds in tape order and NumPy in pairs, so a partial that is 0 in
/// exact arithmetic may come out as ±1e-18 from one and 0 from the other: the tolerance is
/// relative to the larger of the two numbers or to the largest number in the output.
func expectSameJSON(_ actual: String, _ expected: String, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let a = skeleton(actual), e = skeleton(expected)
    guard a.layout == e.layout, a.numbers.count == e.numbers.count else {
        Issue.record("\(what): the JSON differs in layout\n  got      \(actual)\n  expected \(expected)", sourceLocation: sourceLocation)
        return
    }
    let scale = e.numbers.filter(\.isFinite).map(abs).max() ?? 0
    for (x, y) in zip(a.numbers, e.numbers) {
        if x.isNaN || y.isNaN {
            if x.isNaN != y.isNaN { Issue.record("\(what): \(x) where eval has \(y)", sourceLocation: sourceLocation) }
            continue
        }
        if abs(x - y) > 1e-12 * max(abs(x), abs(y), scale) {
            Issue.record("\(what): \(x) where eval has \(y)\n  got      \(actual)\n  expected \(expected)", sourceLocation: sourceLocation)
            return
        }
    }
}

/// The JSON `gradstep eval --json` prints for `graph`, computed here from the engine.
func engineJSON(_ graph: Graph) -> String {
    let tape = graph.tape
    let values = tape.evaluate()
    let adjoints = tape.adjoints(values: values)
    func slice(_ b: [Double], _ i: Int) -> String {
        let e = tape.entries[i]
        return JSON.tensor(b[Int(e.offset) ..< Int(e.offset) + e.count], e.shape).text
    }
    let gradient = graph.differentiableLeaves.map { "\(JSON.string($0.name).text): \(slice(adjoints, $0.node))" }
    return "{\"output\": \(JSON.string(graph.outputName).text), \"value\": \(slice(values, tape.output)), \"gradient\": {\(gradient.joined(separator: ", "))}}\n"
}

/// Loads a program written in the graph language, or fails the test.
func load(_ program: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Graph {
    switch GraphLoader.load(expression: program, values: []) {
    case .success(let g): return g
    case .failure(let f):
        Issue.record("cannot load \(program): \(f.rendered())", sourceLocation: sourceLocation)
        throw f
    }
}

/// The generated program for `graph` in `language`.
func code(_ graph: Graph, _ language: CodeLanguage) -> String {
    Codegen.program(tape: graph.tape, outputName: graph.outputName, language: language, origin: graph.name)
}

/// Checks that `eval --json` of `program` prints `expected`, and so does the program
/// `codegen` writes for it in each of `languages`, run.
func expectEvalAndProgramsPrint(_ program: String, _ expected: String, languages: [CodeLanguage],
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
    let eval = try await gradstep("eval", "-e", program, "--json")
    #expect(eval.stdout == expected, sourceLocation: sourceLocation)
    for language in languages {
        let r = try await gradstep("codegen", "-e", program, "--lang", language.rawValue)
        #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        let printed = try await #require(try execute(r.stdout, language, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
        expectSameJSON(printed, expected, "\(language)", sourceLocation: sourceLocation)
    }
}
