import Foundation

extension DataSet {
    /// Why a CSV file given on the command line (not through a `data` declaration) cannot
    /// be used: the same checks and messages as a declared data file.
    public struct ReadError: Error, Sendable {
        public var message: String
        public var hint: String?
    }

    /// Reads the CSV file at `path` (relative to the working directory) as a `data`
    /// declaration would, named after the file: `gradstep plot --data FILE` uses it.
    public static func read(file path: String) throws(ReadError) -> DataSet {
        let url = URL(fileURLWithPath: path)
        do {
            return try read(url, name: url.deletingPathExtension().lastPathComponent, path: path)
        } catch {
            throw ReadError(message: error.message, hint: error.hint)
        }
    }

    /// Column `name`'s values, top to bottom; nil if the header has no such column.
    public func column(_ name: String) -> [Double]? {
        guard let k = columns.firstIndex(of: name) else { return nil }
        return (0..<rows).map { values[$0 * columns.count + k] }
    }
}
