import Foundation
import Testing
import TestSupport

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func exportWritesASVGNextToTheOutFolder() throws {
    let out = try temporaryFolder()
    let r = try gradstep("export", "-e", "sin(x)*y", "--set", "x=1", "--set", "y=2", "--out", out.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "Wrote 1 file.\n")
    let svg = try String(contentsOf: out.appendingPathComponent("expression.svg"), encoding: .utf8)
    #expect(svg.contains("<svg"))
}

@Test func exportOfAFolderRendersEveryGraphAndReportsTheBrokenOne() throws {
    let folder = try temporaryFolder()
    try "input a = 1\ny = a^2\n".write(to: folder.appendingPathComponent("square.grad"), atomically: true, encoding: .utf8)
    try "input b = 1\ny = b +\n".write(to: folder.appendingPathComponent("broken.grad"), atomically: true, encoding: .utf8)
    try "input c = 2\ny = exp(c)\n".write(to: folder.appendingPathComponent("exp.grad"), atomically: true, encoding: .utf8)
    let r = try gradstep("export", folder.path, "--format", "dot")
    #expect(r.status == 1)
    #expect(r.stderr.contains("broken.grad:2:"))
    #expect(r.stdout.contains("Wrote 2 files."))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names.contains("square.dot") && names.contains("exp.dot") && !names.contains("broken.dot"))
}

@Test func exportNeverOverwritesAForeignFileWithoutForce() throws {
    let out = try temporaryFolder()
    let target = out.appendingPathComponent("expression.dot")
    try "precious".write(to: target, atomically: true, encoding: .utf8)
    let r = try gradstep("export", "-e", "x^2", "--set", "x=3", "--format", "dot", "--out", out.path)
    #expect(r.status == 1)
    #expect(try String(contentsOf: target, encoding: .utf8) == "precious")
    let forced = try gradstep("export", "-e", "x^2", "--set", "x=3", "--format", "dot", "--out", out.path, "--force")
    #expect(forced.status == 0)
    #expect(try String(contentsOf: target, encoding: .utf8).contains("digraph \"expression\""))
}

@Test func exportFramesWritesAStepperPagePerPass() throws {
    let out = try temporaryFolder()
    let r = try gradstep("export", "-e", "x*y + sin(x)", "--set", "x=1", "--set", "y=2", "--frames",
                         "--state", "forward", "--format", "svg", "--out", out.path, "--theme", "print")
    #expect(r.status == 0, "\(r.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("expression-frames").path).sorted()
    #expect(names.contains("index.html") && names.contains("expression-forward-00.svg") && names.contains("expression-forward-03.svg"))
}

@Test func exportWithAnUnknownThemeSaysWhichExist() throws {
    let r = try gradstep("export", "-e", "x", "--set", "x=1", "--theme", "neon", "--out", try temporaryFolder().path,
                         in: repositoryRoot)
    #expect(r.status == 1 && r.stderr.contains("neon"))
}

@Test func generateAndBenchAgree() throws {
    let folder = try temporaryFolder()
    let generated = try gradstep("generate", "--nodes", "300", "--seed", "4")
    #expect(generated.status == 0 && generated.stdout.hasPrefix("# Random fan-in-2 DAG: 300 nodes"))
    let file = folder.appendingPathComponent("dag.grad")
    try generated.stdout.write(to: file, atomically: true, encoding: .utf8)
    let bench = try gradstep("bench", file.path, "--repeat", "1", "--json")
    #expect(bench.status == 0, "\(bench.stderr)")
    #expect(bench.stdout.hasPrefix("{\"nodes\": 308, \"build_ns_per_node\": "))
    for key in ["forward_ns_per_node", "forward_reverse_ns_per_node", "forward_tangent_ns_per_node", "bytes_per_node"] {
        #expect(bench.stdout.contains("\"\(key)\": "))
    }
}
