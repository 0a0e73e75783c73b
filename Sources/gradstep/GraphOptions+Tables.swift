import Foundation
import GraphCore
import GraphLanguage

extension GraphOptions {
    /// `--input-from NAME=FILE.csv` as `--set` values: the table's numbers, read row by row
    /// as a `data` declaration reads a CSV file, written as a literal of the input's shape
    /// (found by reading the graph for its shapes first), so an image input of a model takes
    /// one row of a table. The count must be the input's.
    func tablePairs() throws -> [(name: String, text: String)] {
        guard !tables.isEmpty else { return [] }
        let shapes = try load(Self.assignments(values), shapesOnly: true, of: nil)
        return try tables.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw Failure(text: "error: --input-from \(spec): give NAME=FILE.csv, such as x=batch.csv\n", status: 2)
            }
            let (name, path) = (parts[0].trimmingCharacters(in: .whitespaces), parts[1])
            guard let node = shapes.node(named: name), shapes.tape.entries[node].op == .input else {
                let inputs = (0..<shapes.tape.count).filter { shapes.tape.entries[$0].op == .input }.compactMap { shapes.tape.names[$0] }
                throw Failure(text: "error: --input-from \(name): no input of that name (inputs: \(inputs.isEmpty ? "none" : inputs.joined(separator: ", ")))\n")
            }
            try InputFile.check(path)
            let table: DataSet
            do throws(DataSet.ReadError) {
                table = try DataSet.read(file: path)
            } catch {
                // Not the data declaration's hint: this path is the working directory's.
                throw Failure(text: "error: --input-from \(name)=\(path): \(error.message)\n")
            }
            let shape = shapes.tape.entries[node].shape
            guard table.values.count == shape.count else {
                throw Failure(text: "error: --input-from \(name)=\(path): the table has \(table.rows) rows × \(table.columns.count) columns = \(table.values.count) numbers, but \(name) is \(shape) (\(shape.count) numbers)\n")
            }
            return (name, Self.literal(table.values[...], shape.dims[...]))
        }
    }

    /// Numbers in row-major order as a literal nested by `dims`.
    static func literal(_ values: ArraySlice<Double>, _ dims: ArraySlice<Int>) -> String {
        guard let first = dims.first else { return "\(values.first ?? 0)" }
        let stride = dims.dropFirst().reduce(1, *)
        let parts = (0..<first).map { k in
            literal(values.dropFirst(k * stride).prefix(stride), dims.dropFirst())
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
