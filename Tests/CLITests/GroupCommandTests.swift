import Foundation
import Testing
import TestSupport

/// `group` and `def` through the binary: the README's error example, `export --open` and its
/// error for a name that is no group.
@Suite("CLI: groups and functions")
struct GroupCommandTests {
    @Test func readmeGroupErrorExampleIsTrue() async throws {
        let readme = try manualText()
        let r = try await gradstep("eval", "-e", "def f(a, b) = a * b; y = f(x)", "--set", "x=2")
        expectEqual(r.status, 1)
        expectContains(readme, "$ gradstep eval -e 'def f(a, b) = a * b; y = f(x)' --set x=2\n" + r.stderr + "```", "\(r.stderr)")
    }

    @Test func exportDrawsGroupsFoldedUnlessOpened() async throws {
        let folder = try temporaryFolder()
        let folded = try await gradstep("export", graph("mlp-groups.grad"), "--format", "dot", "--out", folder.path)
        expectEqual(folded.status, 0, "\(folded.stderr)")
        let dot = try String(contentsOf: folder.appendingPathComponent("mlp-groups.dot"), encoding: .utf8)
        expectTrue(dot.contains("shape=box3d") && dot.contains("dense#3"))
        let opened = try await gradstep("export", graph("mlp-groups.grad"), "--format", "dot", "--out", folder.path,
                                        "--open", "all", "--force")
        expectEqual(opened.status, 0, "\(opened.stderr)")
        let all = try String(contentsOf: folder.appendingPathComponent("mlp-groups.dot"), encoding: .utf8)
        expectTrue(!all.contains("shape=box3d") && all.contains("subgraph cluster_g"))
    }

    @Test func exportOpenOfAnUnknownGroupNamesTheGroups() async throws {
        let folder = try temporaryFolder()
        let r = try await gradstep("export", graph("mlp-groups.grad"), "--format", "dot", "--out", folder.path, "--open", "dense#9")
        expectEqual(r.status, 2)
        expectContains(r.stderr, "--open dense#9: no group of that name; did you mean 'dense#1'?", "\(r.stderr)")
        expectTrue(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("mlp-groups.dot").path))
    }
}
