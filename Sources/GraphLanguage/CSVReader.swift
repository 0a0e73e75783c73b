import Foundation
import GraphCore

/// Reads a data file's CSV bytes line by line as they arrive (`feed`), checking as it goes:
/// the header must name the columns, every row must be as wide as the header and hold finite
/// numbers, and the table may hold at most `Limits.maximumTensorElements` numbers.
///
/// A data file may be anything a graph names (a private key, `/proc/self/maps`), and an
/// error reaches whoever reads gradstep's output (an autograder passes stderr on): so a
/// message quotes the column names of a header that is valid, and nothing else of the file.
/// It says what is wrong instead ("column 2 of the first line is a number").
struct CSVReader {
    let path: String
    private var pending: [UInt8] = []
    private var line = 0
    private var columns: [String]?
    private var values: [Double] = []
    private var rows = 0

    /// The longest column name (in characters).
    static let maximumNameLength = 64

    init(path: String) { self.path = path }

    typealias Problem = DataSet.Problem

    /// Takes the next bytes of the file; each complete line is checked at once.
    mutating func feed(_ bytes: ArraySlice<UInt8>) throws(Problem) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                try take(bytes[start..<newline])
            } else {
                pending += bytes[start..<newline]
                let whole = pending
                pending = []
                try take(whole[...])
            }
            start = newline + 1
        }
        pending += bytes[start...]
    }

    /// The table, once the whole file has been fed.
    mutating func finish(name: String) throws(Problem) -> DataSet {
        if !pending.isEmpty {
            let last = pending
            pending = []
            try take(last[...])
        }
        guard let columns else {
            throw Problem(message: "data file '\(path)' is empty", hint: "the first line names the columns, e.g. 'x1,x2,y'")
        }
        guard rows > 0 else {
            throw Problem(message: "data file '\(path)' has a header but no rows of numbers")
        }
        return DataSet(name: name, path: path, columns: columns, rows: rows, values: values)
    }

    private mutating func take(_ raw: ArraySlice<UInt8>) throws(Problem) {
        line += 1
        // A UTF-8 byte order mark (a spreadsheet's "CSV UTF-8") is no part of the first name.
        let text = Self.trimmed(line == 1 && raw.starts(with: [0xEF, 0xBB, 0xBF]) ? raw.dropFirst(3) : raw)
        guard !text.isEmpty else { return }
        let fields = Self.fields(text)
        guard let columns else {
            columns = try header(fields)
            return
        }
        guard fields.count == columns.count else {
            throw Problem(message: "\(path):\(line): \(fields.count) value\(fields.count == 1 ? "" : "s"), but the header names \(columns.count) columns")
        }
        guard values.count + fields.count <= Limits.maximumTensorElements else {
            let limit = Limits.grouped(Limits.maximumTensorElements)
            throw Problem(message: "data file '\(path)' has more than \(limit) numbers, the most one tensor may hold (stopped at line \(Limits.grouped(line)))",
                          hint: "use fewer rows: a table is read whole into one constant matrix")
        }
        for (k, field) in fields.enumerated() {
            let spelling = String(decoding: field, as: UTF8.self)
            guard let x = Double(spelling) else {
                throw Problem(message: "\(path):\(line): the value in column '\(columns[k])' (column \(k + 1)) is \(field.isEmpty ? "empty" : "not a number")",
                              hint: "every row after the header holds numbers, such as 1.5 or -2e3")
            }
            guard x.isFinite else {
                throw Problem(message: "\(path):\(line): the value in column '\(columns[k])' (column \(k + 1)) is not finite (NaN or infinity)")
            }
            values.append(x)
        }
        rows += 1
    }

    /// The column names of the first line, or why it is not a header (without quoting it).
    private func header(_ fields: [ArraySlice<UInt8>]) throws(Problem) -> [String] {
        let rule = "a column name starts with a letter or _ and has letters, digits, spaces and _ . - ( ) only, at most \(Self.maximumNameLength) characters"
        var names: [String] = []
        for (k, field) in fields.enumerated() {
            let which = fields.count == 1 ? "it" : "its column \(k + 1)"
            guard let name = String(validating: field, as: UTF8.self) else {
                throw Problem(message: "\(path):\(line): the first line must name the columns, but \(which) is not UTF-8 text; is this a CSV file?",
                              hint: "add a header row such as 'x1,x2,y'")
            }
            let problem: String?
            var hint = "add a header row such as 'x1,x2,y'"
            if name.isEmpty {
                problem = "is empty"
            } else if Double(name) != nil {
                problem = "is a number"
            } else if !Self.isColumnName(name) {
                problem = "is not a column name"
                hint = rule + "; is this a CSV file?"
            } else {
                problem = nil
            }
            if let problem {
                throw Problem(message: "\(path):\(line): the first line must name the columns, but \(which) \(problem)", hint: hint)
            }
            names.append(name)
        }
        return names
    }

    static func isColumnName(_ name: String) -> Bool {
        guard name.count <= maximumNameLength, let first = name.unicodeScalars.first,
              first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { u in
            u.properties.isAlphabetic || u.properties.numericType != nil || "_.-() ".unicodeScalars.contains(u)
                || u.properties.generalCategory == .nonspacingMark
        }
    }

    /// The line without its `\r` and the blanks around it.
    static func trimmed(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var text = raw
        while let last = text.last, last == UInt8(ascii: "\r") || isBlank(last) { text = text.dropLast() }
        while let first = text.first, isBlank(first) { text = text.dropFirst() }
        return text
    }

    static func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }

    /// The comma-separated fields, each trimmed and without the double quotes a spreadsheet
    /// puts around it (`"x"` is x; a field holding a comma is not supported).
    static func fields(_ text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { field in
            let f = trimmed(field)
            let quote = UInt8(ascii: "\"")
            if f.count >= 2, f.first == quote, f.last == quote { return trimmed(f.dropFirst().dropLast()) }
            return f
        }
    }
}
