import Foundation
import GraphCore

/// What an export writes: DOT text, or a picture rendered by Graphviz.
public enum ImageFormat: String, CaseIterable, Sendable {
    case dot, svg, png, pdf

    /// True when Graphviz is needed to write it.
    public var needsGraphviz: Bool { self != .dot }
}

/// Why a file was not written. `description` is the message for the user and names the file.
public enum ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No `dot` program on PATH.
    case graphvizMissing
    /// `dot` ran and failed; `stderr` is what it said.
    case renderFailed(file: String, status: Int32, stderr: String)
    /// `dot` ran past the time limit and was stopped.
    case timedOut(file: String, seconds: Double)
    /// The file exists and gradstep did not write it (see `BatchExport`).
    case wouldOverwrite(file: String)
    /// Two jobs of one batch would write the same file.
    case duplicateOutput(file: String)
    /// Reading, writing or starting a program failed.
    case io(file: String, message: String)

    public var description: String {
        switch self {
        case .graphvizMissing:
            return "Graphviz is not installed: no `dot` program was found on PATH. Install it with "
                + "`apt-get install graphviz` (Debian, Ubuntu) or `brew install graphviz` (macOS), "
                + "or export DOT text with --format dot."
        case let .renderFailed(file, status, stderr):
            let said = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(file): dot failed (exit status \(status))" + (said.isEmpty ? "" : ": " + said)
        case let .timedOut(file, seconds):
            return "\(file): dot did not finish within \(Format.seconds(seconds)) and was stopped"
        case let .wouldOverwrite(file):
            return "\(file) exists and was not written by gradstep; use --force to overwrite it"
        case let .duplicateOutput(file):
            return "\(file) would be written twice in one batch (two graphs with the same name?)"
        case let .io(file, message):
            return "\(file): \(message)"
        }
    }
}

/// The Graphviz `dot` program, run as a subprocess with a time limit.
///
/// ```swift
/// let graphviz = try Graphviz.locate()          // ExportError.graphvizMissing if absent
/// try await graphviz.render(dotText, format: .svg, to: URL(fileURLWithPath: "baydin.svg"))
/// ```
///
/// `render(_:format:to:)` writes atomically: `dot` writes a hidden temporary file in the
/// destination folder, which is renamed over the destination only when `dot` succeeded. A
/// failure, a timeout or an interrupt never leaves a half-written picture under the real name.
public struct Graphviz: Sendable {
    /// The `dot` program.
    public var executable: URL
    /// Seconds a render may take before `dot` is stopped.
    public var timeout: Double

    public init(executable: URL, timeout: Double = 60) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Finds `dot` on `path` (a PATH-style list of folders; the process's PATH by default).
    public static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"],
                              timeout: Double = 60) throws(ExportError) -> Graphviz {
        let folders = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("dot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return Graphviz(executable: candidate, timeout: timeout)
            }
        }
        throw .graphvizMissing
    }

    /// Renders `dot` text to `file` in `format` (for `.dot`, writes the text itself).
    public func render(_ dot: String, format: ImageFormat, to file: URL) async throws(ExportError) {
        guard format.needsGraphviz else {
            try AtomicFile.write(Data(dot.utf8), to: file)
            return
        }
        let output = AtomicFile.temporary(for: file)
        defer { try? FileManager.default.removeItem(at: output) }
        // The DOT text goes in on standard input: no temporary input file to write and remove.
        let run = await Subprocess.run(executable, ["-T\(format.rawValue)", "-o", output.path],
                                       input: Data(dot.utf8), timeout: timeout)
        switch run {
        case let .failedToStart(message):
            throw .io(file: file.path, message: "cannot run \(executable.path): \(message)")
        case .timedOut:
            throw .timedOut(file: file.path, seconds: timeout)
        case let .exited(status, _, stderr):
            guard status == 0, FileManager.default.fileExists(atPath: output.path) else {
                throw .renderFailed(file: file.path, status: status, stderr: stderr)
            }
            try AtomicFile.commit(output, to: file)
        }
    }
}

// MARK: - Atomic files

/// Writes that never leave a half-written file under the real name: write a hidden temporary
/// file in the same folder, then rename it over the destination.
public enum AtomicFile {
    /// Removes the temporary files an interrupted export left in `folder` (and its
    /// `*-frames` subfolders). Called when Ctrl-C or SIGTERM stops a batch.
    public static func removeLeftovers(in folder: URL) {
        let fm = FileManager.default
        var folders = [folder]
        for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix("-frames") {
            folders.append(folder.appendingPathComponent(name))
        }
        for f in folders {
            for name in (try? fm.contentsOfDirectory(atPath: f.path)) ?? []
            where name.hasPrefix(".") && name.contains(".gradstep-") && name.hasSuffix(".tmp") {
                try? fm.removeItem(at: f.appendingPathComponent(name))
            }
        }
    }

    static func temporary(for file: URL) -> URL {
        file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).gradstep-\(UUID().uuidString).tmp")
    }

    /// No fsync (Foundation's `Data.write` does one per file): like the pictures `dot`
    /// writes, the file is whole the moment it is renamed into place, which is the promise.
    static func write(_ data: Data, to file: URL) throws(ExportError) {
        let temporary = temporary(for: file)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw .io(file: file.path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let failure: Int32? = data.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 && errno != EINTR { return errno }
                if n > 0 { written += n }
            }
            return nil
        }
        if close(fd) != 0 || failure != nil {
            let message = String(cString: strerror(failure ?? errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io(file: file.path, message: "cannot write: \(message)")
        }
        try commit(temporary, to: file)
    }

    static func commit(_ temporary: URL, to file: URL) throws(ExportError) {
        if rename(temporary.path, file.path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io(file: file.path, message: "cannot rename the finished file into place: \(message)")
        }
    }
}

extension Format {
    /// `2 s`, `0.5 s`.
    static func seconds(_ s: Double) -> String { Format.short(s) + " s" }
}
