import Foundation
import GraphCore

/// A numeric table read from a CSV file by a `data NAME = "file.csv"` declaration: a header
/// row of column names, then one row of numbers per line. It becomes a const matrix
/// [rows × columns] in the graph, and `Graph.dataSets` keeps its column names so that
/// mini-batches can be drawn from it.
///
/// ```
/// x1,x2,label
/// 0,0,0
/// 0,1,1
/// ```
public struct DataSet: Sendable, Hashable {
    /// The name the graph declares it as.
    public var name: String
    /// The file name as written in the declaration.
    public var path: String
    public var columns: [String]
    public var rows: Int
    /// Row-major, `rows × columns.count` numbers.
    public var values: [Double]

    public init(name: String, path: String, columns: [String], rows: Int, values: [Double]) {
        (self.name, self.path, self.columns, self.rows, self.values) = (name, path, columns, rows, values)
    }

    /// The largest file read (64 MiB): a larger table is not something to step through.
    public static let maximumBytes = 64 << 20

    /// Why a data file cannot be used: a message, and the file's line when it is about one.
    struct Problem: Error {
        var message: String
        var hint: String?
    }

    /// Reads and checks the CSV file at `url`, a regular file only (a folder, a device or a
    /// FIFO is named as such and never opened), a chunk at a time: the byte limit and the
    /// element limit are checked as the file is read, so a huge file is refused after at most
    /// `Limits.maximumTensorElements` numbers, not after all of it.
    static func read(_ url: URL, name: String, path: String) throws(Problem) -> DataSet {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                throw Problem(message: "cannot read data file '\(path)': no such file (looked for \(url.path))",
                              hint: "a data file's name is relative to the graph file's folder")
            }
            throw Problem(message: "cannot read data file '\(path)': \(String(cString: strerror(errno)))")
        }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: what = ""
        case S_IFDIR: what = "a folder"
        case S_IFCHR, S_IFBLK: what = "a device"
        case S_IFIFO: what = "a FIFO (named pipe)"
        default: what = "a socket"
        }
        guard what.isEmpty else {
            throw Problem(message: "data file '\(path)' is \(what), not a CSV file", hint: "give a CSV file: a header row of column names, then rows of numbers")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw Problem(message: "data file '\(path)' is too large (\(info.st_size) bytes, at most \(maximumBytes))")
        }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Problem(message: "cannot read data file '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var parser = CSVReader(path: path)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Problem(message: "cannot read data file '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            // A file that grows as it is read (or a /proc file whose size says 0).
            total += n
            guard total <= maximumBytes else {
                throw Problem(message: "data file '\(path)' is too large (more than \(maximumBytes) bytes)")
            }
            try parser.feed(chunk[0..<n])
        }
        return try parser.finish(name: name)
    }

    /// Parses CSV text: a header, then rows of finite numbers, all as wide as the header.
    /// Blank lines are skipped; `path:LINE` in a message is the file's line.
    static func parse(_ text: String, name: String, path: String) throws(Problem) -> DataSet {
        var parser = CSVReader(path: path)
        try parser.feed(Array(text.utf8)[...])
        return try parser.finish(name: name)
    }
}
