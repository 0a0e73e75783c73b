import Codegen
import Foundation
import GraphLanguage
import Testing
import TestSupport

/// Random graphs over the newer tensor ops (`GraphGenerator`), written by `Codegen` in NumPy,
/// plain Python and C, run, and compared with the engine's `eval --json`. All the Python
/// programs run in one python3 process (`runPythonBatch`) and all the C programs are one cc
/// run and one executable (`runCBatch`): a few processes, not dozens at once beside the other
/// suites' timed ones, and a sample stays within a few seconds. `GRADSTEP_RANDOM_GRAPHS=300` runs more.
@Suite("Generated code for random graphs")
struct RandomGraphCodeTests {
    static let sample = Int(ProcessInfo.processInfo.environment["GRADSTEP_RANDOM_GRAPHS"] ?? "") ?? 8

    @Test func generatedProgramsOfRandomGraphsPrintWhatEvalPrints() async throws {
        var programs: [(source: String, graph: Graph)] = []
        for seed in 0..<UInt64(Self.sample) {
            var generator = GraphGenerator(seed: 7_919 &* seed &+ 1)
            let source = generator.program(steps: 7)
            let graph: Graph
            switch GraphLoader.load(expression: source, values: []) {
            case .success(let g): graph = g
            case .failure(let f):
                // The generator keeps shapes consistent, so every program must load.
                Issue.record("does not load:\n\(source)\(f.rendered())")
                continue
            }
            programs.append((source, graph))
        }
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var pythonFiles: [String] = []
        for (k, p) in programs.enumerated() {
            for language in [CodeLanguage.numpy, .python] {
                let file = folder.appendingPathComponent("g\(k)_\(language.rawValue).py")
                try code(p.graph, language).write(to: file, atomically: true, encoding: .utf8)
                pythonFiles.append(file.path)
            }
            try code(p.graph, .c).write(to: folder.appendingPathComponent("g\(k).c"), atomically: true, encoding: .utf8)
            // LaTeX is not run, but writing it must not trap.
            _ = code(p.graph, .latex)
        }
        let python = try await runPythonBatch(pythonFiles)
        let c = try await runCBatch(programs.indices.map { "g\($0).c" }, in: folder)
        for (k, p) in programs.enumerated() {
            let expected = engineJSON(p.graph)
            for language in [CodeLanguage.numpy, .python] {
                let path = folder.appendingPathComponent("g\(k)_\(language.rawValue).py").path
                guard let printed = python[path], printed.ok else {
                    Issue.record("the \(language) program of\n\(p.source)failed:\n\(python[path]?.output ?? "no result")")
                    continue
                }
                expectSameJSON(printed.output, expected, "\(language) of\n\(p.source)")
            }
            guard let printed = c[k] else {
                Issue.record("the C program of\n\(p.source)failed")
                continue
            }
            expectSameJSON(printed, expected, "C of\n\(p.source)")
        }
    }
}

/// Runs every Python file in `paths` in one python3 process, each as `__main__` in a fresh
/// namespace with its standard output captured: path → (ran without an exception, what it
/// printed or the traceback).
func runPythonBatch(_ paths: [String]) async throws -> [String: (ok: Bool, output: String)] {
    let driver = """
        import contextlib, io, json, runpy, sys, traceback
        for path in sys.argv[1:]:
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    runpy.run_path(path, run_name="__main__")
                result = {"path": path, "ok": True, "output": out.getvalue()}
            except BaseException:
                result = {"path": path, "ok": False, "output": out.getvalue() + traceback.format_exc()}
            print(json.dumps(result), flush=True)
        """
    let r = try await run(pythonExecutable, ["-c", driver] + paths)
    var results: [String: (ok: Bool, output: String)] = [:]
    for line in r.stdout.split(separator: "\n") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let path = object["path"] as? String, let ok = object["ok"] as? Bool, let output = object["output"] as? String else { continue }
        results[path] = (ok, output)
    }
    if results.count < paths.count { Issue.record("python3 stopped early:\n\(r.stderr)") }
    return results
}

/// Compiles the C programs `files` (in `folder`) with one cc into one executable, each
/// program's `main` renamed, and runs them one after another: file index → what it printed,
/// or nil when it did not compile or run to its end.
func runCBatch(_ files: [String], in folder: URL) async throws -> [Int: String] {
    var driver = "#include <stdio.h>\n"
    for k in files.indices { driver += "int gradstep_program_\(k)(void);\n" }
    driver += "int main(void) {\n"
    for k in files.indices { driver += "    gradstep_program_\(k)(); fflush(stdout); printf(\"\\n@@end \(k)\\n\"); fflush(stdout);\n" }
    driver += "    return 0;\n}\n"
    try driver.write(to: folder.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
    var arguments = ["-std=c99", "-w", "-o", "programs", "driver.c"]
    for (k, file) in files.enumerated() {
        let url = folder.appendingPathComponent(file)
        let source = try String(contentsOf: url, encoding: .utf8)
        try ("#define main gradstep_program_\(k)\n" + source).write(to: url, atomically: true, encoding: .utf8)
        arguments.append(file)
    }
    let compiled = try await run("cc", arguments + ["-lm"], in: folder)
    guard compiled.status == 0 else {
        Issue.record("cc failed:\n\(compiled.stderr)")
        return [:]
    }
    let r = try await run(folder.appendingPathComponent("programs").path, [], in: folder)
    var results: [Int: String] = [:]
    var rest = Substring(r.stdout)
    for k in files.indices {
        guard let end = rest.range(of: "\n@@end \(k)\n") else { break }
        results[k] = String(rest[..<end.lowerBound])
        rest = rest[end.upperBound...]
    }
    return results
}
