import Explorer
import Foundation
import GraphCore
import Testing
import TestSupport

/// `:mode forward W[2,1]` reads the reference with the parser every `--wrt` uses: the same
/// element, the same messages.
@Suite("Explorer: element references")
struct ElementReferenceModeTests {
    @Test func modeForwardSeedsTheElementTheCommandLineWould() async throws {
        var s = ExplorerState(graph: try graphFile("mlp-relu-softmax.grad"), size: (120, 40))
        await s.command("mode forward W[2,1]")
        let w = try #require(s.graph.node(named: "W"))
        // Row-major in a 3×2 matrix: 2·2 + 1.
        expectTrue(s.phase == .forward && s.tangentSeed == TangentSeed(leaf: w, element: 5))
        await s.command("mode forward W")
        expectEqual(s.tangentSeed, TangentSeed(leaf: w))
    }

    /// `:export` draws the forward sweep seeded on the element, as `export --wrt W[2,1]` does.
    @Test func exportDrawsTheSeededElement() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-element-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = ExplorerState(graph: try graphFile("mlp-relu-softmax.grad"), size: (120, 40))
        await s.command("mode forward W[2,1]")
        await s.command("export dot \(dir.path)/picture")
        let dot = try String(contentsOfFile: dir.appendingPathComponent("picture.dot").path, encoding: .utf8)
        expectContains(dot, "forward mode, seed Ẇ[2,1] = 1")
        // ∂L/∂W[2,1] = −0.275994… (exercise 9; the CLI's test works it out by hand), in L's box.
        expectContains(dot, "v̇₆ = −0.276")
    }

    @Test(arguments: [
        ("W[3,1]", "W[3,1]: index 3 on axis 0 is out of range 0..<3: W is of shape [3×2]"),
        ("Wl", "Wl: no input or param of that name; did you mean 'W1'?"),
        ("W[1]", "W[1]: W is of shape [3×2], so it takes 2 indices (as W[0,0]), not 1"),
    ])
    func wrongReferencesSayWhy(reference: String, message: String) async throws {
        var s = ExplorerState(graph: try graphFile("mlp-relu-softmax.grad"), size: (120, 40))
        await s.command("mode forward " + reference)
        expectEqual(s.message?.kind, .error)
        expectEqual(s.message?.text.hasSuffix(message), true, "\(s.message?.text ?? "")")
    }
}
