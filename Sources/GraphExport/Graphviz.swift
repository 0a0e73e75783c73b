import Foundation
import GraphCore
import Synchronization

/// What an export writes: DOT text, or a picture rendered by Graphviz.
public enum ImageFormat: String, CaseIterable, Sendable {
    case dot, svg, png, pdf
    /// A bitmap in 256 colours: the frames of `--format gif`'s animation (see `GIFAnimation`).
    case gif

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
    /// `dot` said it succeeded but did not write a picture of the format asked for.
    case badOutput(file: String, program: String, problem: String)
    /// Reading, writing or starting a program failed.
    case io(file: String, message: String)
    /// A PNG bigger than Graphviz's renderer can make (`Graphviz.pngLimit` pixels a side),
    /// which it would shrink without a word: refused instead. Sizes in pixels.
    case tooLarge(file: String, side: Int)

    public var description: String {
        switch self {
        case .graphvizMissing:
            return "Graphviz is not installed: no `dot` program was found on PATH. Install it with "
                + "`apt-get install graphviz` (Debian, Ubuntu) or `brew install graphviz` (macOS), "
                + "or export DOT text with --format dot."
        case let .renderFailed(file, status, stderr):
            let said = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(file): dot failed (exit status \(status))" + (said.isEmpty ? "" : ": " + said)
        case let .badOutput(file, program, problem):
            return "\(file): \(program) exited successfully but \(problem); is it Graphviz's dot?"
        case let .timedOut(file, seconds):
            return "\(file): dot did not finish within \(Format.seconds(seconds)) and was stopped"
        case let .wouldOverwrite(file):
            return "\(file) exists and was not written by gradstep; use --force to overwrite it"
        case let .duplicateOutput(file):
            return "\(file) would be written twice in one batch (two graphs with the same name?)"
        case let .io(file, message):
            return "\(file): \(message)"
        case let .tooLarge(file, side):
            let size = side > 0 ? "about \(side) pixels on its longest side" : "bigger"
            return "\(file): not written: the PNG would be \(size), past the \(Graphviz.pngLimit) pixels that "
                + "Graphviz's renderer can draw (it would shrink the picture until nothing is readable); "
                + "export --format svg or pdf, which have no such limit, lower --dpi/--scale, or draw less "
                + "(fold groups, --open fewer)"
        }
    }
}

/// How big a rendered picture is: PNG resolution, PDF margins.
public struct PictureSize: Sendable, Hashable {
    /// Dots per inch of a PNG (Graphviz's default is 96); `--scale 2` is 192.
    public var dpi: Double
    /// Margin around a PDF in points (Graphviz's default is a wide 36).
    public var pdfMargin: Double

    public init(dpi: Double = 96, pdfMargin: Double = 4) {
        self.dpi = dpi
        self.pdfMargin = pdfMargin
    }

    func arguments(for format: ImageFormat) -> [String] {
        switch format {
        case .png, .gif: ["-Gdpi=\(Format.short(dpi))"]
        // Graphviz's PDF margin is in inches.
        case .pdf: ["-Gmargin=\(Format.short(pdfMargin / 72))"]
        case .svg, .dot: []
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
    /// The longest side, in pixels, of a bitmap Graphviz's cairo renderer draws; past it, it
    /// scales the picture down and only warns.
    public static let pngLimit = 32_767

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

    /// Renders `dot` text to `file` in `format` (for `.dot`, writes the text itself), replacing
    /// whatever is there. No overwrite guard: `ExportManifest.write` is the guarded way.
    public func render(_ dot: String, format: ImageFormat, to file: URL) async throws(ExportError) {
        guard format.needsGraphviz else {
            try AtomicFile.write(Data(dot.utf8), to: file)
            return
        }
        let output = try await renderToTemporary(dot, format: format, for: file)
        defer { AtomicFile.discard(output) }
        try AtomicFile.commit(output, to: file)
    }

    /// Renders `dot` into a hidden temporary file next to `file` and returns it, checked to be
    /// a picture of `format`; the caller renames it into place (or discards it).
    func renderToTemporary(_ dot: String, format: ImageFormat, for file: URL,
                           pinned: Bool = false, sizing: PictureSize = PictureSize()) async throws(ExportError) -> URL {
        let output = AtomicFile.temporary(for: file)
        // A pinned picture only needs drawing: neato with -n2 keeps every given position.
        var arguments = pinned ? ["-Kneato", "-n2"] : []
        arguments += sizing.arguments(for: format)
        arguments += ["-T\(format.rawValue)", "-o", output.path]
        // The DOT text goes in on standard input: no temporary input file to write and remove.
        let run = await Subprocess.run(executable, arguments, input: Data(dot.utf8), timeout: timeout)
        do throws(ExportError) {
            switch run {
            case let .failedToStart(message):
                throw .io(file: file.path, message: "cannot run \(executable.path): \(message)")
            case .timedOut:
                throw .timedOut(file: file.path, seconds: timeout)
            case let .exited(status, _, stderr):
                guard status == 0 else { throw .renderFailed(file: file.path, status: status, stderr: stderr) }
                // Graphviz's words when it shrinks a bitmap to its limit.
                if format == .png && stderr.contains("too large for cairo-renderer bitmaps") {
                    throw .tooLarge(file: file.path, side: Self.side(from: stderr))
                }
                if let problem = Self.problem(withPictureAt: output, format: format) {
                    throw .badOutput(file: file.path, program: executable.path, problem: problem)
                }
                return output
            }
        } catch {
            AtomicFile.discard(output)
            throw error
        }
    }

    /// Lays out `dot` once with Graphviz's `dot` and returns where everything went, for
    /// `neato -n2` to draw every frame in the same place.
    func layout(_ dot: String, rankdir: DotOptions.RankDir, for file: URL) async throws(ExportError) -> PinnedLayout {
        let run = await Subprocess.run(executable, ["-Tjson"], input: Data(dot.utf8), captureOutput: true, timeout: timeout)
        switch run {
        case let .failedToStart(message):
            throw .io(file: file.path, message: "cannot run \(executable.path): \(message)")
        case .timedOut:
            throw .timedOut(file: file.path, seconds: timeout)
        case let .exited(status, output, stderr):
            guard status == 0 else { throw .renderFailed(file: file.path, status: status, stderr: stderr) }
            guard let layout = PinnedLayout.parse(json: output, rankdir: rankdir) else {
                throw .badOutput(file: file.path, program: executable.path, problem: "its JSON layout could not be read")
            }
            return layout
        }
    }

    /// Lays out several DOT documents in one `dot -Tjson` run: their layouts in order, or nil
    /// when the run fails (an error, the time limit, output that does not read as one layout
    /// a document); the caller then lays each out alone (`layout`), which reports a failure
    /// as it always has. Most of a small layout's time is `dot` starting (loading its
    /// plugins, reading fontconfig's files), which one run pays once. `dot` writes one JSON
    /// document a graph, in order (`documents(in:)`). The time limit is `seconds`, by default
    /// the limit of each document added up.
    ///
    /// Only the last document may have rows (`rank=same`, a wrapped arrangement): Graphviz
    /// 2.43 often crashes on the graph after one (a heap corrupted while it routes the edges
    /// along a row).
    func oneRun(_ documents: [(dot: String, rankdir: DotOptions.RankDir)], seconds: Double? = nil) async -> [PinnedLayout]? {
        let input = Data(documents.map(\.dot).joined(separator: "\n").utf8)
        let run = await Subprocess.run(executable, ["-Tjson"], input: input, captureOutput: true,
                                       timeout: seconds ?? timeout * Double(documents.count))
        guard case let .exited(0, output, _) = run else { return nil }
        let parts = Self.documents(in: output)
        let laid = zip(parts, documents).compactMap { PinnedLayout.parse(json: $0, rankdir: $1.rankdir) }
        return parts.count == documents.count && laid.count == documents.count ? laid : nil
    }

    /// The JSON documents of a `dot -Tjson` run over several graphs: each from a line that is
    /// `{` to a line that is `}` (nested objects are indented, and a JSON string holds no raw
    /// newline, so no other line is either).
    static func documents(in output: Data) -> [Data] {
        // Line by line with memchr over the bytes, not through Data's generic slices: every
        // layout of an export passes through here.
        output.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [Data] in
            guard let base = bytes.baseAddress else { return [] }
            var documents: [Data] = []
            var start: Int?
            var lineStart = 0
            while lineStart < bytes.count {
                let newline = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart)
                let lineEnd = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                if lineEnd - lineStart == 1 {
                    if bytes[lineStart] == UInt8(ascii: "{") {
                        start = lineStart
                    } else if bytes[lineStart] == UInt8(ascii: "}"), let s = start {
                        documents.append(Data(UnsafeRawBufferPointer(rebasing: bytes[s..<lineEnd])))
                        start = nil
                    }
                }
                lineStart = lineEnd + 1
            }
            return documents
        }
    }

    /// The longest side the picture would have had, from Graphviz's warning (`… Scaling by
    /// 0.4847 to fit`); 0 when it does not say.
    static func side(from stderr: String) -> Int {
        guard let r = stderr.range(of: "Scaling by ") else { return 0 }
        let factor = Double(stderr[r.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 0
        return factor > 0 && factor < 1 ? Int((Double(pngLimit) / factor).rounded()) : 0
    }

    /// Why the file `dot` reported as written is not a picture of `format`, or nil when it
    /// starts as one: a PNG's signature, `%PDF-`, an `<svg` element near the start.
    static func problem(withPictureAt url: URL, format: ImageFormat) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "it wrote no file" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        if head.isEmpty { return "it wrote an empty file" }
        let looksRight: Bool
        switch format {
        case .png: looksRight = head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .pdf: looksRight = head.starts(with: Array("%PDF-".utf8))
        case .gif: looksRight = head.starts(with: Array("GIF89a".utf8)) || head.starts(with: Array("GIF87a".utf8))
        case .svg: looksRight = String(decoding: head, as: UTF8.self).contains("<svg")
        case .dot: looksRight = true
        }
        return looksRight ? nil : "what it wrote is not a \(format.rawValue.uppercased()) picture"
    }
}

// MARK: - Atomic files

/// Writes that never leave a half-written file under the real name: write a hidden temporary
/// file in the same folder (`.NAME.gradstep-UUID.tmp`), then rename it over the destination.
public enum AtomicFile {
    /// The temporary files this process has made and not yet renamed or removed, so that an
    /// interrupt can remove exactly those (other exports into the same folder keep theirs).
    private static let inFlight = Mutex<Set<String>>([])

    /// Removes this process's temporary files. Called when Ctrl-C, SIGTERM or SIGHUP stops
    /// an export, after its renders were killed.
    public static func removeTemporaryFiles() {
        let paths = inFlight.withLock { paths in defer { paths = [] }; return paths }
        for path in paths { unlink(path) }
    }

    /// Removes the temporary files in `folder` that gradstep left when it was killed (names
    /// `.NAME.gradstep-UUID.tmp`, nothing else). Only call it when no other export is using the
    /// folder: `ExportFolder` makes sure.
    static func removeStaleTemporaries(in folder: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where isTemporaryName(name) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// True for `.NAME.gradstep-<UUID>.tmp`, the names `temporary(for:)` makes.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp"), let marker = name.range(of: ".gradstep-", options: .backwards) else {
            return false
        }
        let uuid = name[marker.upperBound...].dropLast(4)
        return marker.lowerBound > name.index(after: name.startIndex) && UUID(uuidString: String(uuid)) != nil
    }

    /// A new temporary name next to `file`, recorded as in flight.
    static func temporary(for file: URL) -> URL {
        let url = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).gradstep-\(UUID().uuidString).tmp")
        inFlight.withLock { _ = $0.insert(url.path) }
        return url
    }

    /// Removes a temporary file if it is still there (after a failure, or after its rename).
    static func discard(_ temporary: URL) {
        let path = temporary.path
        if inFlight.withLock({ $0.remove(path) }) != nil { unlink(path) }
    }

    /// Writes `data` to `file` atomically, replacing whatever is there.
    static func write(_ data: Data, to file: URL) throws(ExportError) {
        let temporary = try writeTemporary(data, for: file)
        defer { discard(temporary) }
        try commit(temporary, to: file)
    }

    /// Writes `data` into a new temporary file next to `file` and returns it.
    ///
    /// No fsync (Foundation's `Data.write` does one per file): like the pictures `dot`
    /// writes, the file is whole the moment it is renamed into place, which is the promise.
    static func writeTemporary(_ data: Data, for file: URL) throws(ExportError) -> URL {
        let temporary = temporary(for: file)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let message = String(cString: strerror(errno))
            discard(temporary)
            throw .io(file: file.path, message: "cannot write: \(message)")
        }
        let failure = writeAll(data, to: fd)
        if close(fd) != 0 || failure != nil {
            let message = String(cString: strerror(failure ?? errno))
            discard(temporary)
            throw .io(file: file.path, message: "cannot write: \(message)")
        }
        return temporary
    }

    /// Writes all of `data` to the open file `fd`; returns the `errno` of a failure, or nil.
    static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 && errno != EINTR { return errno }
                if n > 0 { written += n }
            }
            return nil
        }
    }

    /// Renames `temporary` over `file`. The temporary file stays in flight: `discard` it after.
    static func commit(_ temporary: URL, to file: URL) throws(ExportError) {
        if rename(temporary.path, file.path) != 0 {
            throw .io(file: file.path, message: "cannot rename the finished file into place: \(String(cString: strerror(errno)))")
        }
        _ = inFlight.withLock { $0.remove(temporary.path) }
    }
}

extension Format {
    /// `2 s`, `0.5 s`.
    static func seconds(_ s: Double) -> String { Format.short(s) + " s" }
}
