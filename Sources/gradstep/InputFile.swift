import Foundation

/// Checks on a graph path before anything opens it: opening a FIFO for reading waits for a
/// writer that may never come, and a device such as /dev/null is no graph file.
enum InputFile {
    /// Throws a `Failure` naming what `path` is when it exists but is not a regular file or
    /// a folder; a missing path is left to the loader, which says so.
    /// `allowingPipes`: a FIFO or character device is read as a stream (`--answers
    /// /dev/stdin`), by a reader that bounds what it reads.
    static func check(_ path: String, allowingPipes: Bool = false) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return
        case S_IFIFO where allowingPipes: return
        case S_IFCHR where allowingPipes: return
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "a special file"
        }
        throw Failure(text: "error: \(path) is \(kind), not a graph file; give a .grad file, or -e EXPR\n")
    }
}
