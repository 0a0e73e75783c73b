import Foundation

/// The Python interpreter the tests run programs with: the executable that `python3` on PATH
/// runs, found once per test process, else `python3` itself (looked up on PATH by
/// `runProcess`).
///
/// On a machine with pyenv, `python3` on PATH is pyenv's shim, a bash script that runs
/// `pyenv exec` to find the version: 90 ms a start where the interpreter itself starts in
/// 20 ms, and the suite starts Python hundreds of times. The shim's answer to
/// `sys.executable` is that same interpreter, with the same site-packages (NumPy, onnx), so
/// the programs run exactly as through the shim, only without the bash in front.
public let pythonExecutable: String = {
    guard let printed = runAndWait("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"]),
          printed.status == 0 else { return "python3" }
    let path = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return FileManager.default.isExecutableFile(atPath: path) ? path : "python3"
}()

/// Whether `pythonExecutable` run with `arguments` exits with status 0. It waits on the
/// calling thread, so it is for the few checks a test trait needs before any test starts
/// (`.enabled(if:)` takes a plain Bool), never for a test body (`runProcess` is).
public func pythonSucceeds(_ arguments: [String]) -> Bool {
    let executable = pythonExecutable.contains("/") ? pythonExecutable : "/usr/bin/env"
    let all = pythonExecutable.contains("/") ? arguments : [pythonExecutable] + arguments
    return runAndWait(executable, all)?.status == 0
}

/// Runs a short program to its end on the calling thread: its status and standard output
/// (small: a pipe holds it), or nil when it could not start.
private func runAndWait(_ executable: String, _ arguments: [String]) -> (status: Int32, stdout: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
