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

/// `gradstep(_:)` with the arguments as an array and variables added to the environment.
///
/// It waits for the end without holding a thread of the test pool: a thread blocked in
/// `waitUntilExit` starves the async tests running alongside on a two-core machine. The
/// output goes through files, read once the program has ended.
func gradstep(_ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:]) async throws -> CLIResult {
    let path = ProcessInfo.processInfo.environment["GRADSTEP_BIN"]
        ?? repositoryRoot.appendingPathComponent(".build/debug/gradstep").path
    let files = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-cli-output-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: files) }
    let outURL = files.appendingPathComponent("stdout"), errURL = files.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    process.environment = environment
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let start = Date()
    let (status, seconds): (Int32, Double) = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: ($0.terminationStatus, Date().timeIntervalSince(start))) }
        do { try process.run() } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    try out.close()
    try err.close()
    return CLIResult(status: status,
                     stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                     stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), seconds: seconds)
}

/// The file `Graphs/NAME`.
func graph(_ name: String) -> String { repositoryRoot.appendingPathComponent("Graphs/\(name)").path }
