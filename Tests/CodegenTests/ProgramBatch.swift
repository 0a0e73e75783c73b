import Codegen
import Foundation
import Testing
import TestSupport

/// How one generated program of a batch ended, and what it printed.
struct ProgramRun: Sendable, Decodable {
    var status: Int
    var stdout: String
    var stderr: String
}

/// Runs many generated programs of one language at the cost of one: the NumPy or Python
/// programs in one `python3` process, each `exec`'d in a fresh namespace with its output
/// captured on its own (NumPy's error state restored between them, since every NumPy program
/// sets it); the C programs compiled by one `cc` into one binary, each program's `main`
/// renamed, whose own `main` runs each program in a child process with its output in files of
/// its own. Starting 117 interpreters and compilers one by one took most of the suite's time.
///
/// The result has one entry per program, in order. If the C batch does not compile, each
/// program is compiled on its own so the error names the program (`execute` records it).
func executeAll(_ sources: [String], _ language: CodeLanguage,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> [ProgramRun?] {
    guard !sources.isEmpty else { return [] }
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    switch language {
    case .numpy, .python:
        for (i, source) in sources.enumerated() {
            try source.write(to: folder.appendingPathComponent("program\(i).py"), atomically: true, encoding: .utf8)
        }
        try pythonBatchDriver.write(to: folder.appendingPathComponent("batch.py"), atomically: true, encoding: .utf8)
        let r = try await run(pythonExecutable, ["batch.py", "results.json"] + sources.indices.map { "program\($0).py" }, in: folder)
        guard r.status == 0, let data = try? Data(contentsOf: folder.appendingPathComponent("results.json")),
              let runs = try? JSONDecoder().decode([ProgramRun].self, from: data), runs.count == sources.count else {
            Issue.record("the \(language) batch failed (status \(r.status)):\n\(r.stderr)", sourceLocation: sourceLocation)
            return sources.map { _ in nil }
        }
        return runs
    case .c:
        var files = ["batch.c"]
        for (i, source) in sources.enumerated() {
            // `#line` keeps cc's line numbers those of the program as gradstep wrote it.
            let renamed = "#define main gradstep_program_\(i)\n#line 1 \"program\(i).c\"\n" + source
            try renamed.write(to: folder.appendingPathComponent("program\(i).c"), atomically: true, encoding: .utf8)
            files.append("program\(i).c")
        }
        try cBatchDriver(count: sources.count).write(to: folder.appendingPathComponent("batch.c"), atomically: true, encoding: .utf8)
        let compiled = try await run("cc", ["-std=c99", "-o", "batch"] + files + ["-lm"], in: folder)
        guard compiled.status == 0 else {
            var runs: [ProgramRun?] = []
            for source in sources {
                runs.append(try await execute(source, .c, sourceLocation: sourceLocation).map { ProgramRun(status: 0, stdout: $0, stderr: "") })
            }
            return runs
        }
        let r = try await run(folder.appendingPathComponent("batch").path, [folder.path], in: folder)
        let statuses = r.stdout.split(separator: "\n").compactMap { Int($0) }
        guard r.status == 0, statuses.count == sources.count else {
            Issue.record("the C batch failed (status \(r.status)):\n\(r.stderr)", sourceLocation: sourceLocation)
            return sources.map { _ in nil }
        }
        return try statuses.enumerated().map { i, status in
            ProgramRun(status: status,
                       stdout: try String(contentsOf: folder.appendingPathComponent("out\(i).txt"), encoding: .utf8),
                       stderr: try String(contentsOf: folder.appendingPathComponent("err\(i).txt"), encoding: .utf8))
        }
    case .latex:
        return sources.map { _ in nil }
    }
}

/// `python3 batch.py RESULTS PROGRAM…`: runs each program as `python3 PROGRAM` would (its own
/// globals, `__name__` "__main__"), and writes `[{"status", "stdout", "stderr"}, …]` to RESULTS.
private let pythonBatchDriver = """
    import contextlib, io, json, sys, traceback
    try:
        import numpy
    except ImportError:
        numpy = None
    results = []
    for path in sys.argv[2:]:
        out, err, status = io.StringIO(), io.StringIO(), 0
        saved = numpy.geterr() if numpy else None
        with open(path) as f:
            source = f.read()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec(compile(source, path, "exec"), {"__name__": "__main__", "__file__": path})
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            status = 1
            err.write(traceback.format_exc())
        if numpy:
            numpy.seterr(**saved)
        results.append({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()})
    with open(sys.argv[1], "w") as f:
        json.dump(results, f)

    """

/// The C batch's `main`: `batch FOLDER` runs each renamed program in a child process with its
/// standard output and error in `FOLDER/outN.txt` and `errN.txt`, and prints each one's exit
/// status (128 + the signal for one that crashed), one per line.
private func cBatchDriver(count: Int) -> String {
    let names = (0 ..< count).map { "gradstep_program_\($0)" }
    return """
        #define _POSIX_C_SOURCE 200809L
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/wait.h>
        #include <unistd.h>
        \(names.map { "int \($0)(void);" }.joined(separator: "\n"))
        static int (*const programs[])(void) = { \(names.joined(separator: ", ")) };
        int main(int argc, char **argv) {
            char path[4096];
            if (argc < 2) return 2;
            for (int i = 0; i < \(count); i++) {
                fflush(stdout);
                pid_t pid = fork();
                if (pid < 0) return 3;
                if (pid == 0) {
                    snprintf(path, sizeof path, "%s/out%d.txt", argv[1], i);
                    if (!freopen(path, "w", stdout)) _exit(126);
                    snprintf(path, sizeof path, "%s/err%d.txt", argv[1], i);
                    if (!freopen(path, "w", stderr)) _exit(126);
                    int status = programs[i]();
                    fflush(stdout);
                    fflush(stderr);
                    _exit(status & 255);
                }
                int status = 0;
                if (waitpid(pid, &status, 0) < 0) return 4;
                printf("%d\\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            }
            return 0;
        }

        """
}

/// `transform` applied to every item, `width` at a time, results in the items' order: the
/// binary's runs for a batch, without starting dozens of processes at once.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], width: Int = 4,
                                             _ transform: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
    try await withThrowingTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        func start() {
            guard next < items.count else { return }
            let i = next, item = items[i]
            group.addTask { (i, try await transform(item)) }
            next += 1
        }
        for _ in 0 ..< width { start() }
        while let (i, r) = try await group.next() {
            results[i] = r
            start()
        }
        return results.map { $0! }
    }
}

/// Checks that every program of a batch ran and printed `expected[i]` (the JSON of `eval
/// --json`, compared as `expectSameJSON` does), naming `what[i]` when not.
func expectSameJSON(_ runs: [ProgramRun?], _ expected: [String], _ what: [String],
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(runs.count == expected.count, sourceLocation: sourceLocation)
    for (i, run) in zip(expected.indices, runs) {
        guard let run else { continue }  // executeAll has recorded why
        guard run.status == 0 else {
            Issue.record("\(what[i]): the program failed (status \(run.status)):\n\(run.stderr)", sourceLocation: sourceLocation)
            continue
        }
        expectSameJSON(run.stdout, expected[i], what[i], sourceLocation: sourceLocation)
    }
}
