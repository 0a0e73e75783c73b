import Foundation
import Testing
import TestSupport

/// A fresh folder for one test's files, removed when the test process exits.
func temporaryFolder() throws -> URL {
    try makeTemporaryFolder("cli")
}

@Test func exportWritesASVGNextToTheOutFolder() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", "-e", "sin(x)*y", "--set", "x=1", "--set", "y=2", "--out", out.path)
    expectEqual(r.status, 0, "\(r.stderr)")
    expectEqual(r.stdout, "Wrote 1 file.\n")
    let svg = try String(contentsOf: out.appendingPathComponent("expression.svg"), encoding: .utf8)
    expectContains(svg, "<svg")
}

@Test func exportOfAFolderRendersEveryGraphAndReportsTheBrokenOne() async throws {
    let folder = try temporaryFolder()
    try "input a = 1\ny = a^2\n".write(to: folder.appendingPathComponent("square.grad"), atomically: true, encoding: .utf8)
    try "input b = 1\ny = b +\n".write(to: folder.appendingPathComponent("broken.grad"), atomically: true, encoding: .utf8)
    try "input c = 2\ny = exp(c)\n".write(to: folder.appendingPathComponent("exp.grad"), atomically: true, encoding: .utf8)
    let r = try await gradstep("export", folder.path, "--format", "dot")
    expectEqual(r.status, 1)
    expectContains(r.stderr, "broken.grad:2:")
    expectContains(r.stdout, "Wrote 2 files.")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    expectTrue(names.contains("square.dot") && names.contains("exp.dot") && !names.contains("broken.dot"))
}

@Test func exportNeverOverwritesAForeignFileWithoutForce() async throws {
    let out = try temporaryFolder()
    let target = out.appendingPathComponent("expression.dot")
    try "precious".write(to: target, atomically: true, encoding: .utf8)
    let r = try await gradstep("export", "-e", "x^2", "--set", "x=3", "--format", "dot", "--out", out.path)
    expectEqual(r.status, 1)
    try expectEqual(String(contentsOf: target, encoding: .utf8), "precious")
    let forced = try await gradstep("export", "-e", "x^2", "--set", "x=3", "--format", "dot", "--out", out.path, "--force")
    expectEqual(forced.status, 0)
    try expectContains(String(contentsOf: target, encoding: .utf8), "digraph \"expression\"")
}

@Test func exportFramesWritesAStepperPagePerPass() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", "-e", "x*y + sin(x)", "--set", "x=1", "--set", "y=2", "--frames",
                         "--state", "forward", "--format", "svg", "--out", out.path, "--theme", "print")
    expectEqual(r.status, 0, "\(r.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("expression-frames").path).sorted()
    expectTrue(names.contains("index.html") && names.contains("expression-forward-00.svg") && names.contains("expression-forward-03.svg"))
}

@Test func exportWithAnUnknownThemeSaysWhichExist() async throws {
    let r = try await gradstep("export", "-e", "x", "--set", "x=1", "--theme", "neon", "--out", try temporaryFolder().path,
                         in: repositoryRoot)
    expectTrue(r.status == 1 && r.stderr.contains("neon"))
}

@Test func generateAndBenchAgree() async throws {
    let folder = try temporaryFolder()
    let generated = try await gradstep("generate", "--nodes", "300", "--seed", "4")
    expectTrue(generated.status == 0 && generated.stdout.hasPrefix("# Random fan-in-2 DAG: 300 nodes"))
    let file = folder.appendingPathComponent("dag.grad")
    try generated.stdout.write(to: file, atomically: true, encoding: .utf8)
    let bench = try await gradstep("bench", file.path, "--repeat", "1", "--json")
    expectEqual(bench.status, 0, "\(bench.stderr)")
    expectHasPrefix(bench.stdout, "{\"nodes\": 308, \"build_ns_per_node\": ")
    for key in ["forward_ns_per_node", "forward_reverse_ns_per_node", "forward_tangent_ns_per_node", "bytes_per_node"] {
        expectContains(bench.stdout, "\"\(key)\": ")
    }
}

/// A folder holding an executable `dot` script, to put first on PATH.
func fakeDotFolder(_ body: String) throws -> URL {
    let folder = try temporaryFolder()
    let dot = folder.appendingPathComponent("dot")
    try ("#!/bin/sh\n" + body + "\n").write(to: dot, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dot.path)
    return folder
}

/// True once `pid` has ended (gone, or a zombie nobody reaped), polling up to five seconds.
func processHasEnded(_ pid: Int32) -> Bool {
    for _ in 0..<100 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        if let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z" { return true }
        usleep(50_000)
    }
    return false
}

@Test func sevenExportsIntoOneFolderAtOnceLoseNothing() async throws {
    let out = try temporaryFolder()
    var sources: [URL] = []
    for p in 0..<7 {
        let folder = try temporaryFolder()
        for g in 0..<6 {
            try "input x = \(g + 1)\ny = sin(x) * x\n".write(to: folder.appendingPathComponent("p\(p)g\(g).grad"),
                                                          atomically: true, encoding: .utf8)
        }
        sources.append(folder)
    }
    let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
        for source in sources {
            group.addTask { try await gradstep(["export", source.path, "--format", "dot", "--out", out.path]) }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
    expectEqual(results.map(\.status), Array(repeating: 0, count: 7), "\(results.map(\.stdout))")
    let manifest = try String(contentsOf: out.appendingPathComponent(".gradstep-export"), encoding: .utf8)
    let listed = Set(manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
    let written = Set(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") })
    expectEqual(written.count, 42)
    expectEqual(listed, written)
    // All of it again, plainly: gradstep's own files need no --force.
    let again = try await gradstep(["export"] + sources.map(\.path) + ["--format", "dot", "--out", out.path])
    expectEqual(again.status, 0, "\(again.stdout)")
}

@Test func aRenderPastTheTimeoutIsKilledWithEverythingItStarted() async throws {
    let pids = try temporaryFolder().appendingPathComponent("grandchild")
    let bin = try fakeDotFolder("sleep 30 & echo $! > \"$FAKE_DOT_PIDS\"\ncat > /dev/null\nsleep 30")
    // PNG: a layout past the timeout falls back to gradstep's own, but the picture is still
    // rendered by (the fake, hanging) dot, which must be stopped.
    let r = try await gradstep(["export", "-e", "x", "--set", "x=1", "--timeout", "2", "--format", "png", "--out", try temporaryFolder().path],
                                       environment: ["PATH": bin.path + ":/usr/bin:/bin", "FAKE_DOT_PIDS": pids.path])
    expectEqual(r.status, 1)
    expectContains(r.stdout, "dot did not finish within 2 s and was stopped")
    // A hang guard, not a speed check: before, the grandchild kept the run waiting 5 s more.
    // Two runs of dot are stopped: the layout's and the render's.
    expectTrue(r.seconds < 25, "waiting for the grandchild would take 30 s")
    let grandchild = try #require(Int32(try String(contentsOf: pids, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    expectTrue(processHasEnded(grandchild), "dot's child \(grandchild) is still running")
}

@Test func dotWritingJunkIsReportedAsSuch() async throws {
    let bin = try fakeDotFolder("cat > /dev/null; echo junk > \"$3\"")
    let r = try await gradstep(["export", "-e", "x", "--set", "x=1", "--out", try temporaryFolder().path],
                         environment: ["PATH": bin.path + ":/usr/bin:/bin"])
    expectEqual(r.status, 1)
    expectContains(r.stdout, "/dot exited successfully but what it wrote is not a SVG picture; is it Graphviz's dot?")
    expectNotContains(r.stdout, "exit status 0")
}

@Test func aManifestThatIsAFolderIsAClearErrorAndNothingIsWritten() async throws {
    let out = try temporaryFolder()
    try FileManager.default.createDirectory(at: out.appendingPathComponent(".gradstep-export"), withIntermediateDirectories: false)
    let r = try await gradstep("export", "-e", "x", "--set", "x=1", "--out", out.path)
    expectEqual(r.status, 1)
    expectContains(r.stdout, ".gradstep-export: is a folder, where gradstep keeps its list of the files it wrote")
    try expectEqual(FileManager.default.contentsOfDirectory(atPath: out.path), [".gradstep-export"])
}

@Test func exportSeedAdjointIsAFiniteNumber() async throws {
    let out = try temporaryFolder()
    let bad = try await gradstep("export", "-e", "x", "--set", "x=1", "--format", "dot", "--out", out.path, "--seed-adjoint", "1e400")
    expectTrue(bad.status == 2 && bad.stderr.contains("--seed-adjoint 1e400: number '1e400' is out of range"))
    let tensor = try await gradstep("export", "-e", "x", "--set", "x=1", "--format", "dot", "--out", out.path, "--seed-adjoint", "[1, 2]")
    expectEqual(tensor.status, 2)
    expectContains(tensor.stderr, "error: --seed-adjoint [1, 2]: the seed has shape [2] but y has shape scalar")
    let negative = try await gradstep("export", "-e", "-x", "--set", "x=1", "--format", "dot", "--out", out.path, "--seed-adjoint", "-3")
    expectEqual(negative.status, 0, "\(negative.stderr)")
    try expectContains(String(contentsOf: out.appendingPathComponent("expression.dot"), encoding: .utf8), "−3")
}
