import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way gradstep writes a file a command was asked for (`codegen --out`, `plot --out`,
/// `optimize --plot`, and every file of `export` through `ExportFolder`): what is at the path
/// is looked at first, and the content goes to a temporary file in the same folder that is then
/// renamed over the path (`AtomicFile`), so an interrupted write never leaves half a file.
///
/// Refused unless `force`: a symbolic link (writing through it changes a file elsewhere), a
/// device or FIFO, and the file the command reads (`codegen g.grad --out g.grad`). Always
/// refused: a folder (with a message saying so, not a system error number), and a socket.
/// With `force`, a device or FIFO is written into directly, and a link is written through to
/// what it points to, by the same rules (`--out /dev/stdout --force`): renaming over either
/// would replace the device node or the link (/dev/stdout is a link).
///
/// ```swift
/// try OutputFile.write(Data(program.utf8), to: "prog.py", force: false, inputs: ["g.grad"])
/// ```
public enum OutputFile {
    /// What is at a path, as far as writing it is concerned.
    enum Kind {
        case missing, regular, folder, link, device, fifo, socket
    }

    static func kind(_ path: String) -> (kind: Kind, info: stat) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return (.missing, info) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return (.regular, info)
        case S_IFDIR: return (.folder, info)
        case S_IFLNK: return (.link, info)
        case S_IFCHR, S_IFBLK: return (.device, info)
        case S_IFIFO: return (.fifo, info)
        default: return (.socket, info)
        }
    }

    /// Why `file` may not be written, or nil. `special` says whether a device or FIFO may be
    /// written into with `force` (a single output file) or never (a batch export's pictures).
    /// `shown` is the path as the user gave it, for the message.
    static func refusal(_ file: URL, force: Bool, inputs: [String], special: Bool, shown: String? = nil) -> ExportError? {
        let path = shown ?? file.path
        let (kind, info) = kind(path)
        let forceHint = "; use --force to write it anyway"
        switch kind {
        case .missing:
            var folder = stat()
            let parent = file.deletingLastPathComponent().path
            // The folder as the user wrote it (`no/such`), not made absolute.
            let written = (path as NSString).deletingLastPathComponent
            let shownParent = written.isEmpty ? "." : written
            if stat(parent, &folder) != 0 {
                return .io(file: path, message: "cannot write: the folder \(shownParent) does not exist")
            }
            if folder.st_mode & S_IFMT != S_IFDIR {
                return .io(file: path, message: "cannot write: \(shownParent) is not a folder")
            }
            return nil
        case .folder:
            if !special { return .io(file: path, message: "is a folder where this file would go; move it away or give another --out") }
            return .io(file: path, message: "is a folder; give the name of a file to write (such as \(path.hasSuffix("/") ? path : path + "/")out)")
        case .link:
            if !special { return force ? nil : .io(file: path, message: "is a symbolic link; gradstep does not write through links" + forceHint) }
            return force ? nil : .io(file: path, message: "is a symbolic link; gradstep does not write through links" + forceHint + " (through the link)")
        case .socket:
            return .io(file: path, message: "is a socket, not a file; nothing was written")
        case .device, .fifo:
            let what = kind == .device ? "a device" : "a FIFO (named pipe)"
            if !special { return .io(file: path, message: "is \(what), not a file; nothing was written") }
            return force ? nil : .io(file: path, message: "is \(what), not a file" + forceHint + " (written into directly)")
        case .regular:
            guard !force else { return nil }
            for input in inputs {
                var other = stat()
                if stat(input, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino {
                    return .io(file: path, message: "is the file this command reads (\(input)); give another file to write"
                               + forceHint)
                }
            }
            return nil
        }
    }

    /// Throws what `write` would refuse, before the work that makes the content (a long
    /// optimisation run) is done.
    public static func check(_ path: String, force: Bool = false, inputs: [String] = []) throws(ExportError) {
        if let refusal = refusal(URL(fileURLWithPath: path).standardizedFileURL, force: force, inputs: inputs, special: true, shown: path) { throw refusal }
    }

    /// Writes `data` to `path` by the rules above. Returns the URL written.
    @discardableResult
    public static func write(_ data: Data, to path: String, force: Bool = false, inputs: [String] = []) throws(ExportError) -> URL {
        let file = URL(fileURLWithPath: path).standardizedFileURL
        if let refusal = refusal(file, force: force, inputs: inputs, special: true, shown: path) { throw refusal }
        switch kind(file.path).kind {
        case .device, .fifo: try writeInto(data, file)
        case .link: return try writeThrough(data, link: file, shown: path)
        case .missing, .regular, .folder, .socket: try AtomicFile.write(data, to: file)
        }
        return file
    }

    /// `data` written to what `link` points to (only with `force`): into a device or FIFO
    /// (`open` follows the link, /proc/self/fd/1 included), or atomically over a regular file
    /// at its real path, so the link stays a link.
    private static func writeThrough(_ data: Data, link: URL, shown: String) throws(ExportError) -> URL {
        var target = stat()
        guard stat(link.path, &target) == 0 else {
            throw .io(file: shown, message: "is a link to a file that does not exist; nothing was written")
        }
        switch target.st_mode & S_IFMT {
        case S_IFCHR, S_IFBLK, S_IFIFO:
            try writeInto(data, link)
            return link
        case S_IFREG:
            guard let resolved = realpath(link.path, nil) else {
                throw .io(file: shown, message: "cannot follow the link: \(String(cString: strerror(errno)))")
            }
            defer { free(resolved) }
            let file = URL(fileURLWithPath: String(cString: resolved))
            try AtomicFile.write(data, to: file)
            return file
        case S_IFDIR:
            throw .io(file: shown, message: "is a link to a folder; give the name of a file to write")
        default:
            throw .io(file: shown, message: "is a link to a socket, not a file; nothing was written")
        }
    }

    /// `data` written into an existing device or FIFO, as `>` in a shell would (no rename).
    /// A FIFO nobody reads is reported, not waited on.
    private static func writeInto(_ data: Data, _ file: URL) throws(ExportError) {
        let fd = open(file.path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENXIO ? "no program is reading this FIFO" : String(cString: strerror(errno))
            throw .io(file: file.path, message: "cannot write: \(reason)")
        }
        defer { close(fd) }
        // Blocking again for the data itself: a slow reader is waited for, as with `>`.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let failure = AtomicFile.writeAll(data, to: fd)
        if let failure { throw .io(file: file.path, message: "cannot write: \(String(cString: strerror(failure)))") }
    }
}
