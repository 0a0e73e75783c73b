import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// The diagnostics of loading `text` as a file; empty when it loads.
private func loadDiagnostics(_ text: String) -> [Diagnostic] {
    switch GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file) {
    case .success: []
    case .failure(let f): f.diagnostics
    }
}

/// Tensor and input sizes past `Limits` are clear errors that name the limit, found before
/// anything of that size is allocated.
@Suite("Limits: tensor and input sizes")
struct SizeLimitTests {
    @Test func anOuterProductTooLargeToAllocateIsADiagnosticAtTheOperator() throws {
        // The issue's case: [40000×1] @ [1×40000] would need 12.8 GB.
        let column = "[" + Array(repeating: "[1]", count: 40_000).joined(separator: ",") + "]"
        let row = "[[" + Array(repeating: "1", count: 40_000).joined(separator: ",") + "]]"
        let text = "input u = \(column)\ninput v = \(row)\ny = sum(u @ v)"
        let diagnostics = loadDiagnostics(text)
        expectEqual(diagnostics.count, 1)
        let d = try #require(diagnostics.first)
        expectEqual(d.message, "a [40000×40000] tensor would have 1,600,000,000 elements; a tensor may have at most 1,000,000 (8 MB)")
        expectEqual(d.hint, "shapes: [40000×1] and [1×40000]")
        expectTrue(d.range.start.line == 3 && d.range.start.column == 11)
        let file = SourceFile(name: "test.grad", text: text)
        expectHasSuffix(d.rendered(in: file), " 3 | y = sum(u @ v)\n   |           ^\n   = hint: shapes: [40000×1] and [1×40000]\n")
    }

    @Test func aLiteralPastTheElementLimitIsRefusedAtItsOutermostBracket() throws {
        // 1001 rows of 1000: each row is small, the matrix is 1,000 elements over the limit.
        let row = "[" + Array(repeating: "0", count: 1_000).joined(separator: ",") + "]"
        let text = "y = 1\nconst M = [" + Array(repeating: row, count: 1_001).joined(separator: ",") + "]\nz = 2"
        let (_, program, diagnostics) = parse(text)
        expectEqual(diagnostics.count, 1)
        let d = try #require(diagnostics.first)
        expectEqual(d.message, "tensor literal has more than 1,000,000 elements")
        expectEqual(d.hint, "a tensor may have at most 1,000,000 elements (8 MB)")
        expectTrue(d.range.start.line == 2 && d.range.start.column == 11)
        // The statements around it are still read.
        expectEqual(program.statements.map(\.name), ["y", "z"])
    }

    @Test func theBuilderChecksEachResultBeforeAddingIt() throws {
        var b = TapeBuilder()
        let u = b.leaf(.input, .matrix(2_000, 1), [Double](repeating: 1, count: 2_000))
        let v = b.leaf(.input, .matrix(1, 2_000), [Double](repeating: 1, count: 2_000))
        #expect(throws: ShapeError.self) { try b.apply(.matmul, u, v) }
        #expect(throws: ShapeError.self) { try b.apply(.matmul, [u, v]) }
        expectEqual(b.count, 2)
        // 1000 × 1000 is exactly the limit.
        let w = b.leaf(.input, .matrix(1_000, 1), [Double](repeating: 1, count: 1_000))
        let x = b.leaf(.input, .matrix(1, 1_000), [Double](repeating: 1, count: 1_000))
        let outer = try b.apply(.matmul, w, x)
        expectEqual(b.shape(of: outer), .matrix(1_000, 1_000))
    }

    @Test func theWholeGraphHasAValueLimit() throws {
        // Shapes cost nothing until the tape is laid out, so this allocates one tensor only.
        var b = TapeBuilder()
        var node = b.leaf(.input, .vector(Limits.maximumTensorElements), [Double](repeating: 0, count: Limits.maximumTensorElements))
        let nodesThatFit = Limits.maximumGraphValues / Limits.maximumTensorElements - 1
        for _ in 0..<nodesThatFit { node = try b.apply(.neg, node) }
        expectEqual(b.valueCount, Limits.maximumGraphValues)
        do {
            _ = try b.apply(.neg, node)
            Issue.record("the graph passed its value limit")
        } catch {
            expectEqual(error.description, "the graph would hold 17,000,000 values; a graph may hold at most 16,000,000 (128 MB)")
        }
    }

    @Test func aLongSetValueIsNotEchoedWhole() throws {
        let long = "[" + Array(repeating: "1", count: 500).joined(separator: ",") + ", $]"
        guard case .failure(let f) = GraphLoader.load(expression: "sum(x)", values: [("x", long)]) else {
            Issue.record("a --set value with a '$' loaded")
            return
        }
        // The lexer's own reason is the message (as for "number '1e400' is out of range").
        expectEqual(f.rendered(), "error: --set x=\(long.prefix(40))…: unexpected character '$'\n")
    }

    @Test func aFileOverTheSourceLimitIsRefusedBeforeItIsRead() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gradstep-huge-\(UUID().uuidString).grad")
        expectTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        // A sparse file: its size is past the limit, its disk use nothing.
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(Limits.maximumSourceBytes + 1))
        try handle.close()
        guard case .failure(let f) = GraphLoader.load(path: url.path) else {
            Issue.record("a file over the limit loaded")
            return
        }
        expectEqual(f.rendered(), "error: \(url.path) is 64 MB (64,000,001 bytes); gradstep reads graphs of at most 64 MB\n")
    }
}
