import Foundation
import Testing
import TestSupport

/// The layers' ops in `trace`: one `batch_norm` or `dropout` row, its VJP with N and σ (or the
/// mask) in numbers, and what the step means in words under the table (markdown as a list,
/// JSON as each row's "remarks").
@Suite("Traces of the layers")
struct LayerTraceTests {
    @Test(arguments: [("dropout-op.grad", "reverse", "text"), ("dropout-op.grad", "forward", "text"),
                      ("batchnorm-backward.grad", "reverse", "markdown"), ("batchnorm-backward.grad", "primal", "text")])
    func traceOfALayerGraph(file: String, mode: String, format: String) async throws {
        let r = try await gradstep("trace", graph(file), "--mode", mode, "--format", format)
        expectEqual(r.status, 0)
        assertSnapshot(r.stdout, named: "\(file.replacingOccurrences(of: ".grad", with: ""))-\(mode)-\(format)")
    }

    @Test func theJSONRowsCarryTheRemarks() async throws {
        let r = try await gradstep("trace", graph("batchnorm-backward.grad"), "--mode", "reverse", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        let h = try #require(rows.first { $0["name"] as? String == "h" })
        let remarks = try #require(h["remarks"] as? [String])
        expectTrue(remarks.count == 1 && remarks[0].contains("three ways"))
        // Rows of ops that are not layers have none.
        expectTrue(rows.first { $0["name"] as? String == "a" }?["remarks"] == nil)
    }
}
