import Foundation
import GraphBench
#if canImport(Glibc)
import Glibc
#endif

// Peak resident memory of `gradstep eval` (issue 23): what a user's machine has to hold, not
// what the tape's buffers add up to. Each size runs in a child process of its own, so one
// run's heap cannot inflate another's, and its `ru_maxrss` is read from `wait4`. A run on a
// two-line file is the baseline (the binary, its libraries, the runtime), subtracted before
// dividing by the node count.

/// The `gradstep` built beside this executable (`swift build -c release` builds both), or nil.
func gradstepBinary() -> String? {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let path = me.deletingLastPathComponent().appendingPathComponent("gradstep").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

/// The peak resident set of `binary arguments…` in bytes (its standard output written to
/// `output`, its standard error discarded), and whether it exited with status 0.
///
/// Linux counts in a child's `ru_maxrss` the resident set of the address space it started
/// from, its parent's: measure while this process is small (see `main.swift`).
func peakResidentBytes(_ binary: String, _ arguments: [String], output: String = "/dev/null") -> (bytes: Int, succeeded: Bool) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return (0, false) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    // Linux reports ru_maxrss in kilobytes. Exited normally with 0: `status` is 0 exactly.
    return (Int(usage.ru_maxrss) * 1024, status == 0)
}

/// One row per size: `gradstep eval` of the benchmark's random DAG, peak resident bytes per
/// node above the baseline, each the median of `repeats` runs.
func memoryRows(sizes: [Int] = [100_000, 1_000_000], repeats: Int = 3) -> [Row] {
    guard let binary = gradstepBinary() else {
        log("skipped the peak-memory rows: no gradstep binary beside \(CommandLine.arguments[0]) (swift build -c release)")
        return []
    }
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-memory-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func median(_ file: URL) -> (bytes: Int, succeeded: Bool) {
        let runs = (0..<repeats).map { _ in peakResidentBytes(binary, ["eval", file.path]) }
        return (runs.map(\.bytes).sorted()[runs.count / 2], runs.allSatisfy(\.succeeded))
    }
    let tiny = folder.appendingPathComponent("tiny.grad")
    try? "input x = 1\ny = sin(x)\n".write(to: tiny, atomically: true, encoding: .utf8)
    let baseline = median(tiny).bytes
    var rows: [Row] = []
    for n in sizes {
        log("peak memory of gradstep eval, \(n) nodes …")
        // Written by `gradstep generate` (the same `RandomDAG`), so this process stays small.
        let file = folder.appendingPathComponent("dag\(n).grad")
        _ = peakResidentBytes(binary, ["generate", "--nodes", "\(n)"], output: file.path)
        let (peak, succeeded) = median(file)
        let perNode = Double(peak - baseline) / Double(n)
        log(String(format: "  peak %.1f MiB, baseline %.1f MiB", Double(peak) / 1_048_576, Double(baseline) / 1_048_576))
        rows.append(Row(workload: "peak resident memory, eval of \(n) nodes (minus a 2-line file's)", measured: perNode,
                        reference: nil, unit: "bytes/node", target: "≤210 (2× the hand tape's 104)",
                        ok: succeeded && perNode <= 210))
    }
    return rows
}
