import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// `data NAME = "file.csv"`: a numeric CSV (header row of column names) as a const matrix,
/// relative to the graph file, with located errors for a missing or malformed file.
@Suite("data declarations")
struct DataDeclarationTests {
    /// Writes `files` into a fresh folder and loads `graph` from `main.grad` there.
    static func load(_ graph: String, files: [String: String]) throws -> (Result<Graph, LoadFailure>, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let path = folder.appendingPathComponent("main.grad").path
        try graph.write(toFile: path, atomically: true, encoding: .utf8)
        return (GraphLoader.load(path: path), folder)
    }

    @Test func theShippedXORPointsLoadAsAConstMatrix() throws {
        let graph = try loadGraph("xor-descent.grad")
        let d = try #require(graph.dataSets.first)
        expectTrue(d.name == "D" && d.path == "xor-points.csv" && d.columns == ["x1", "x2", "label"] && d.rows == 40)
        let node = try #require(graph.node(named: "D"))
        expectEqual(graph.tape.entries[node].op, .constant)
        expectEqual(graph.tape.entries[node].shape, .matrix(40, 3))
        expectEqual(Array(graph.tape.leafValues(node).prefix(6)), [0.047, -0.059, 0, 0.052, 0.882, 1])
        // The labels are x1 XOR x2 of the nearest corner.
        for r in 0..<40 {
            let row = Array(d.values[3 * r ..< 3 * r + 3])
            expectTrue(row[2] == ((row[0] > 0.5) != (row[1] > 0.5) ? 1 : 0))
        }
    }

    @Test func pathsAreRelativeToTheGraphFile() throws {
        let (result, folder) = try Self.load("data T = \"t.csv\"\ny = sum(T)", files: ["t.csv": "a, b\n1, 2\n3,4\n\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let g = try result.get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 10)
        expectEqual(g.dataSets, [DataSet(name: "T", path: "t.csv", columns: ["a", "b"], rows: 2, values: [1, 2, 3, 4])])
        expectEqual(Statement(kind: .data, name: "T", nameRange: nil, expression: nil, range: SourceRange(at: .start)).kind.keyword, "data")
    }

    @Test func dataIsStillAnOrdinaryNameElsewhere() throws {
        let g = try GraphLoader.load(SourceFile(name: "t.grad", text: "input data = 2\ny = data * 3"), graphName: "t", mode: .file).get()
        expectEqual(g.tape.evaluate()[Int(g.tape.entries[g.tape.output].offset)], 6)
        let h = try GraphLoader.load(SourceFile(name: "t.grad", text: "data = 4\ny = data + 1"), graphName: "t", mode: .file).get()
        expectEqual(h.tape.evaluate()[Int(h.tape.entries[h.tape.output].offset)], 5)
    }

    static let errors: [(name: String, graph: String, files: [String: String], expected: String)] = [
        ("missing file", "data D = \"nope.csv\"\ny = sum(D)", [:],
         "main.grad:1:10: error: cannot read data file 'nope.csv': no such file"),
        ("ragged row", "data D = \"d.csv\"\ny = sum(D)", ["d.csv": "a,b\n1,2\n3\n"],
         "main.grad:1:10: error: d.csv:3: 1 value, but the header names 2 columns"),
        ("not a number", "input w = 1\ndata D = \"d.csv\"\ny = sum(D) * w", ["d.csv": "a,b\n1,x\n"],
         "main.grad:2:10: error: d.csv:2: the value in column 'b' (column 2) is not a number"),
        ("no header", "data D = \"d.csv\"\ny = sum(D)", ["d.csv": "1,2\n3,4\n"],
         "main.grad:1:10: error: d.csv:1: the first line must name the columns, but its column 1 is a number"),
        ("empty file", "data D = \"d.csv\"\ny = sum(D)", ["d.csv": "\n"],
         "main.grad:1:10: error: data file 'd.csv' is empty"),
        ("header only", "data D = \"d.csv\"\ny = sum(D)", ["d.csv": "a,b\n"],
         "main.grad:1:10: error: data file 'd.csv' has a header but no rows of numbers"),
        ("no quotes", "data D = d.csv\ny = sum(D)", [:],
         "main.grad:1:10: error: expected a file name in quotes after 'data D =', found 'd'"),
        ("no equals", "data D\ny = 1", [:],
         "main.grad:1:7: error: expected '=' after 'data D', found end of line"),
        ("unterminated", "data D = \"d.csv\ny = 1", [:],
         "main.grad:1:10: error: unterminated string"),
        ("string elsewhere", "y = \"d.csv\"", [:],
         "main.grad:1:5: error: expected an expression, found '\"d.csv\"'"),
    ]

    @Test(arguments: errors)
    func badDataIsALocatedError(name: String, graph: String, files: [String: String], expected: String) throws {
        let (result, folder) = try Self.load(graph, files: files)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let failure) = result else {
            Issue.record("\(name): loaded")
            return
        }
        let text = failure.rendered()
        expectTrue(text.hasPrefix(folder.appendingPathComponent(expected).path) || text.contains(expected), "\(name):\n\(text)")
        expectContains(text, "^", "\(name): a caret under the file name\n\(text)")
    }
}
