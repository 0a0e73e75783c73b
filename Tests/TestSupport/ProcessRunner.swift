import Foundation

/// What a program printed and how it ended.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Seconds from start to exit, measured as it exits.
    public var seconds: Double
}

/// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, feeding it
/// `stdin` (nothing when nil), and waits for it to end.
///
/// It waits without holding a thread of the test pool: a thread blocked in `waitUntilExit`
/// starves the async tests running alongside on a two-core machine (their time limits then
/// fail for no fault of theirs). Output goes through files, read once the program has ended,
/// so a large output never fills a pipe and stalls the child.
///
/// At most `ProcessSlots.limit` programs run at once: Swift Testing starts every test case
/// together, and hundreds of programs at once gave the test process over 2,000 open
/// descriptors, past the 1,024 that Foundation's `Process` (its run loop's `select`) can
/// handle: it crashed copying into a full descriptor set.
public func runProcess(_ executable: String, _ arguments: [String], in folder: URL? = nil,
                       environment extra: [String: String] = [:], stdin: String? = nil) async throws -> ProcessOutput {
    await ProcessSlots.shared.acquire()
    do {
        let output = try await runProcessNow(executable, arguments, in: folder, environment: extra, stdin: stdin)
        await ProcessSlots.shared.release()
        return output
    } catch {
        await ProcessSlots.shared.release()
        throw error
    }
}

/// The programs the tests may run at once (see `runProcess`).
actor ProcessSlots {
    static let limit = 24
    static let shared = ProcessSlots()
    private var free = limit
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the first waiting program, or frees it.
    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

private func runProcessNow(_ executable: String, _ arguments: [String], in folder: URL?,
                           environment extra: [String: String], stdin: String?) async throws -> ProcessOutput {
    // Removed when the program ends, or at exit if the test process stops waiting for it.
    let files = try makeTemporaryFolder("process")
    defer { removeNow(files) }
    let outURL = files.appendingPathComponent("stdout"), errURL = files.appendingPathComponent("stderr")
    let inURL = files.appendingPathComponent("stdin")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let input = try FileHandle(forReadingFrom: inURL)
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    if let folder { process.currentDirectoryURL = folder }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    process.environment = environment
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
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
    try input.close()
    return ProcessOutput(status: status,
                         stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), seconds: seconds)
}
