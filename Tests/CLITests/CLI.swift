import Foundation
import TestSupport

/// Runs the real `gradstep` binary (`GRADSTEP_BIN`, else the debug build) and captures its
/// output, as a user's shell or an autograder would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Seconds from start to exit, measured as it exits.
    var seconds: Double = 0
}

func gradstep(_ arguments: String..., in folder: URL? = nil,
              environment extra: [String: String] = [:]) async throws -> CLIResult {
    try await gradstep(arguments, in: folder, environment: extra)
}

/// `gradstep(_:)` with the arguments as an array and variables added to the environment
/// (waiting without holding a thread of the test pool: see `runProcess`).
func gradstep(_ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:]) async throws -> CLIResult {
    let path = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
        ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
    let r = try await runProcess(path, arguments, in: folder, environment: extra)
    return CLIResult(status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: r.seconds)
}

/// The file `Graphs/NAME`.
func graph(_ name: String) -> String { repositoryRoot.appendingPathComponent("Graphs/\(name)").path }
