import Foundation
import TestSupport

/// Runs the real `gradstep` binary (`GRADSTEP_BIN`, else the debug build) and captures its
/// output, as a user's shell or an autograder would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func gradstep(_ arguments: String..., stdin: String? = nil, in folder: URL? = nil,
              environment extra: [String: String] = [:]) throws -> CLIResult {
    try gradstep(arguments, in: folder, environment: extra)
}

/// `gradstep(_:)` with the arguments as an array and variables added to the environment.
func gradstep(_ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:]) throws -> CLIResult {
    let path = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
        ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read before waiting so a large output cannot fill the pipe and stall the child.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus,
                     stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr, as: UTF8.self))
}

/// The file `Graphs/NAME`.
func graph(_ name: String) -> String { repositoryRoot.appendingPathComponent("Graphs/\(name)").path }
