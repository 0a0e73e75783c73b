import Codegen
import Foundation
import GraphLanguage
import Testing
import TestSupport

/// Random graphs over the newer tensor ops (`GraphGenerator`), written by `Codegen` in NumPy,
/// plain Python and C, run, and compared with the engine's `eval --json`. All the Python
/// programs run in one python3 process (`runPythonBatch`) and the C programs compile in
/// parallel, so a sample stays within a few seconds. `GRADSTEP_RANDOM_GRAPHS=300` runs more.
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
        let c = try await withThrowingTaskGroup(of: (Int, Run).self) { group in
            for k in programs.indices {
                group.addTask {
                    let compiled = try await run("cc", ["-std=c99", "-w", "-o", "g\(k)", "g\(k).c", "-lm"], in: folder)
                    guard compiled.status == 0 else { return (k, compiled) }
                    return (k, try await run(folder.appendingPathComponent("g\(k)").path, [], in: folder))
                }
            }
            var results: [Int: Run] = [:]
            for try await (k, r) in group { results[k] = r }
            return results
        }
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
            guard let r = c[k], r.status == 0 else {
                Issue.record("the C program of\n\(p.source)failed: \(c[k]?.stderr ?? "")")
                continue
            }
            expectSameJSON(r.stdout, expected, "C of\n\(p.source)")
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
    let r = try await run("python3", ["-c", driver] + paths)
    var results: [String: (ok: Bool, output: String)] = [:]
    for line in r.stdout.split(separator: "\n") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let path = object["path"] as? String, let ok = object["ok"] as? Bool, let output = object["output"] as? String else { continue }
        results[path] = (ok, output)
    }
    if results.count < paths.count { Issue.record("python3 stopped early:\n\(r.stderr)") }
    return results
}
