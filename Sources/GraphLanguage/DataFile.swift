import Foundation

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

    /// Reads and checks `url`'s CSV text.
    static func read(_ url: URL, name: String, path: String) throws(Problem) -> DataSet {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw Problem(message: "cannot read data file '\(path)': no such file (looked for \(url.path))",
                          hint: "a data file's name is relative to the graph file's folder")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw Problem(message: "data file '\(path)' is too large (\(size) bytes, at most \(maximumBytes))")
        }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw Problem(message: "cannot read data file '\(path)' as UTF-8 text")
        }
        return try parse(text, name: name, path: path)
    }

    /// Parses CSV text: a header, then rows of finite numbers, all as wide as the header.
    /// Blank lines are skipped; `path:LINE` in a message is the file's line.
    static func parse(_ text: String, name: String, path: String) throws(Problem) -> DataSet {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty }
        guard !lines.isEmpty else {
            throw Problem(message: "data file '\(path)' is empty", hint: "the first line names the columns, e.g. 'x1,x2,y'")
        }
        let header = lines.removeFirst()
        let columns = header.text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if columns.contains(where: { Double($0) != nil || $0.isEmpty }) {
            throw Problem(message: "\(path):\(header.number): the first line must name the columns, found '\(header.text)'",
                          hint: "add a header row such as 'x1,x2,y'")
        }
        guard !lines.isEmpty else {
            throw Problem(message: "data file '\(path)' has a header but no rows of numbers")
        }
        var values: [Double] = []
        values.reserveCapacity(lines.count * columns.count)
        for line in lines {
            let fields = line.text.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw Problem(message: "\(path):\(line.number): \(fields.count) value\(fields.count == 1 ? "" : "s"), but the header names \(columns.count) columns")
            }
            for (k, field) in fields.enumerated() {
                let spelling = field.trimmingCharacters(in: .whitespaces)
                guard let x = Double(spelling), x.isFinite else {
                    throw Problem(message: "\(path):\(line.number): '\(spelling)' in column '\(columns[k])' is not a finite number")
                }
                values.append(x)
            }
        }
        return DataSet(name: name, path: path, columns: columns, rows: lines.count, values: values)
    }
}
