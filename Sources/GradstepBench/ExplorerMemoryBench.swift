import Explorer
import Foundation
import GraphLanguage

// Peak resident memory of the explorer (issue 23), beside `gradstep eval`'s (MemoryBench.swift):
// what the explorer holds above loading the graph. A child process of this benchmark
// (`GradstepBench --explorer-frame FILE`) loads the file as `gradstep explore` does, builds
// the explorer's state at 120×40, lays the whole graph out and draws one frame into a canvas,
// which it prints; its `ru_maxrss` is read as for the eval rows, minus a two-line file's.
// Checked against the real explorer in tmux (docs/performance.md).

/// `--explorer-frame FILE`: the explorer on FILE, laid out and drawn once, the frame printed.
func explorerFrame(_ path: String) -> Int32 {
    switch GraphLoader.load(path: path) {
    case .success(let graph):
        let state = ExplorerBenchmark.state(graph: graph, size: (120, 40))
        print(ExplorerBenchmark.renderOnce(state).text)
        return 0
    case .failure(let failure):
        log(failure.rendered())
        return 1
    }
}

/// One row: the explorer's peak resident bytes per node above the baseline for a generated
/// graph of `nodes` nodes, the median of `repeats` runs, beside `gradstep eval`'s of the same
/// file (the reference: what loading costs).
func explorerMemoryRow(nodes: Int = 1_000_000, repeats: Int = 3) -> [Row] {
    guard let gradstep = gradstepBinary() else { return [] }
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-explorer-memory-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func median(_ binary: String, _ arguments: [String]) -> (bytes: Int, succeeded: Bool) {
        let runs = (0..<repeats).map { _ in peakResidentBytes(binary, arguments) }
        return (runs.map(\.bytes).sorted()[runs.count / 2], runs.allSatisfy(\.succeeded))
    }
    let tiny = folder.appendingPathComponent("tiny.grad")
    try? "input x = 1\ny = sin(x)\n".write(to: tiny, atomically: true, encoding: .utf8)
    let file = folder.appendingPathComponent("dag\(nodes).grad")
    _ = peakResidentBytes(gradstep, ["generate", "--nodes", "\(nodes)"], output: file.path)
    log("peak memory of the explorer, \(nodes) nodes …")
    let explorer = median(me, ["--explorer-frame", file.path])
    let explorerBase = median(me, ["--explorer-frame", tiny.path])
    let eval = median(gradstep, ["eval", file.path])
    let evalBase = median(gradstep, ["eval", tiny.path])
    let perNode = Double(explorer.bytes - explorerBase.bytes) / Double(nodes)
    let evalPerNode = Double(eval.bytes - evalBase.bytes) / Double(nodes)
    log(String(format: "  explorer peak %.1f MiB (baseline %.1f), eval %.1f MiB (baseline %.1f)",
               Double(explorer.bytes) / 1_048_576, Double(explorerBase.bytes) / 1_048_576,
               Double(eval.bytes) / 1_048_576, Double(evalBase.bytes) / 1_048_576))
    return [Row(workload: "peak resident memory, explorer laid out and drawn, \(nodes) nodes (minus a 2-line file's; reference: eval)",
                measured: perNode, reference: evalPerNode, unit: "bytes/node", target: "≤1.5× eval's",
                ok: explorer.succeeded && eval.succeeded && perNode <= 1.5 * evalPerNode)]
}
