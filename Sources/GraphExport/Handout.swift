import Foundation

/// What `export --frames` hands out besides (or instead of) a folder of pictures and its page:
/// what slides and course pages take.
public enum Handout: Sendable, Hashable {
    /// `NAME.tex` beside the frames drawn as PDF: a Beamer slide per sweep, an overlay per
    /// step (`BeamerSlides`).
    case beamer
    /// `NAME.gif`: the frames, each with its step's sentence, as one looping animation with
    /// `delay` seconds per step (`GIFAnimation`); no folder.
    case gif(delay: Double)
    /// `NAME.mp4`: the same as a video, encoded by `ffmpeg` (the program given).
    case mp4(delay: Double, ffmpeg: URL)
    /// `NAME-frames/index.html` alone, every frame inside it as a `data:` URI: a page that
    /// works from an LMS or an e-mail with no folder beside it.
    case singleFile

    /// The longest delay a GIF can hold: hundredths of a second in 16 bits.
    public static let maximumDelay = 655.35

    /// An animation is one file next to the input, not a folder of frames.
    var isAnimation: Bool {
        switch self {
        case .gif, .mp4: true
        case .beamer, .singleFile: false
        }
    }

    /// Whether every frame is also written as a picture file of its own.
    var writesFrameFiles: Bool { self == .beamer }

    /// The program on `path` (PATH syntax) called `name`, or nil: how `ffmpeg` is found.
    public static func program(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

/// The frames of one graph made into one file (an animation or a page with the pictures
/// inside): each frame is drawn by Graphviz into a temporary file, read back and removed, and
/// the whole is written as a temporary file for the ledger to commit.
struct FrameBundle: Sendable {
    enum Kind: Sendable {
        case page(name: String, entries: [FramesPage.Entry], palette: DotPalette, legend: String?)
        case gif(delay: Double)
        case mp4(delay: Double, ffmpeg: URL)
    }

    var kind: Kind
    var frames: [FrameSource]
    /// What each frame is drawn as: SVG or PNG for a page, GIF for a GIF, PNG for a video.
    var format: ImageFormat
    var pinned: Bool

    /// Draws the frames and writes the bundle next to `file`; returns the temporary file.
    func write(for file: URL, graphviz: Graphviz?, size: PictureSize) async throws(ExportError) -> URL {
        guard let graphviz else { throw .graphvizMissing }
        var pictures: [Data] = []
        for source in frames {
            let temporary = try await graphviz.renderToTemporary(source.dot(), format: format, for: file, pinned: pinned, sizing: size)
            defer { AtomicFile.discard(temporary) }
            guard let data = FileManager.default.contents(atPath: temporary.path) else {
                throw .io(file: file.path, message: "cannot read back a frame Graphviz drew")
            }
            pictures.append(data)
        }
        switch kind {
        case let .page(name, entries, palette, legend):
            let type = format == .svg ? "image/svg+xml" : format == .pdf ? "application/pdf" : "image/\(format.rawValue)"
            var embedded = entries
            for k in embedded.indices { embedded[k].embedded = "data:\(type);base64,\(pictures[k].base64EncodedString())" }
            let page = FramesPage.html(name: name, format: format, entries: embedded, background: palette, legend: legend)
            return try AtomicFile.writeTemporary(Data(page.utf8), for: file)
        case let .gif(delay):
            let animation: Data
            do throws(GIFAnimation.Malformed) {
                animation = try GIFAnimation.animate(pictures, delay: delay)
            } catch {
                throw .badOutput(file: file.path, program: graphviz.executable.path, problem: "its GIF frames cannot be read: \(error)")
            }
            return try AtomicFile.writeTemporary(animation, for: file)
        case let .mp4(delay, ffmpeg):
            return try await video(pictures, delay: delay, ffmpeg: ffmpeg, for: file, timeout: graphviz.timeout)
        }
    }

    /// The PNG frames piped into `ffmpeg` (H.264 in MP4, which every slide program plays),
    /// each padded to the largest frame (even sides, as H.264's 4:2:0 colour needs).
    private func video(_ pictures: [Data], delay: Double, ffmpeg: URL, for file: URL, timeout: Double) async throws(ExportError) -> URL {
        // A PNG's IHDR holds its width and height at bytes 16–23, big-endian.
        func side(_ png: Data, _ at: Int) -> Int { png.count < 24 ? 0 : png[png.startIndex + at ..< png.startIndex + at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let even = { (n: Int) in Swift.max(2, n + n % 2) }
        let w = even(pictures.map { side($0, 16) }.max() ?? 2), h = even(pictures.map { side($0, 20) }.max() ?? 2)
        let output = AtomicFile.temporary(for: file)
        let hundredths = Swift.max(1, Int((delay * 100).rounded()))
        let arguments = ["-hide_banner", "-loglevel", "error", "-y", "-f", "image2pipe", "-framerate", "100/\(hundredths)", "-i", "-",
                         "-vf", "scale=\(w):\(h):force_original_aspect_ratio=decrease,pad=\(w):\(h):(ow-iw)/2:(oh-ih)/2:color=white,format=yuv420p",
                         "-c:v", "libx264", "-r", "25", "-movflags", "+faststart", "-f", "mp4", output.path]
        let run = await Subprocess.run(ffmpeg, arguments, input: pictures.reduce(Data(), +), timeout: timeout * Double(Swift.max(1, pictures.count)))
        switch run {
        case .exited(0, _, _):
            var info = stat()
            if stat(output.path, &info) == 0, info.st_size > 0 { return output }
            AtomicFile.discard(output)
            throw .badOutput(file: file.path, program: ffmpeg.path, problem: "it wrote no video")
        case let .exited(status, _, stderr):
            AtomicFile.discard(output)
            throw .renderFailed(file: file.path, status: status, stderr: stderr)
        case .timedOut:
            AtomicFile.discard(output)
            throw .timedOut(file: file.path, seconds: timeout)
        case let .failedToStart(message):
            AtomicFile.discard(output)
            throw .io(file: file.path, message: "cannot run \(ffmpeg.path): \(message)")
        }
    }
}
