import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing

/// `:mode forward x=[1, -2, 0.5]`: the explorer seeds forward mode along a direction, as
/// `gradstep trace --mode forward --seed` does. y = a·Σ x⊙x at a = 2, x = [0.5, −1, 2]: by
/// hand ∇ₓy = 2a·x = [2, −4, 8], so along v = [1, −2, 0.5] D_v y = 2 + 8 + 4 = 14.
@Suite("Explorer: forward mode along a direction")
struct DirectionSeedTests {
    static let program = "input a = 2; input x = [0.5, -1, 2]; y = a * sum(x * x)"

    @Test func modeForwardTakesADirection() async throws {
        var s = ExplorerState(graph: try GraphLoader.load(expression: Self.program).get(), size: (140, 40))
        await s.command("mode forward x=[1, -2, 0.5]")
        let x = try #require(s.graph.node(named: "x"))
        #expect(s.phase == .forward && s.tangentSeed == TangentSeed(leaf: x, direction: [1, -2, 0.5]), "\(s.message?.text ?? "")")
        s.press("G")
        let y = s.tape.output
        #expect(Array(s.stepper.explanation.slice(s.stepper.tangents, y)) == [14])
        #expect(Array(s.stepper.explanation.slice(s.stepper.tangents, x)) == [1, -2, 0.5])
        #expect(s.screen.contains("v = [1, −2, 0.5]"), "\(s.screen)")
        // A bare tensor seeds the input seeded now; the same direction gives the same 14.
        await s.command("mode forward [1, -2, 0.5]")
        #expect(s.tangentSeed == TangentSeed(leaf: x, direction: [1, -2, 0.5]))
        // Back to one element: ∂y/∂x[2] = 2a·x[2] = 8.
        await s.command("mode forward x[2]")
        s.press("G")
        #expect(s.tangentSeed == TangentSeed(leaf: x, element: 2))
        #expect(Array(s.stepper.explanation.slice(s.stepper.tangents, y)) == [8])
    }

    @Test(arguments: [
        ("x=[1, 2]", "the direction has 2 numbers; x is [3], so it needs 3"),
        ("z=[1, 2, 3]", "no input named 'z' to seed along a direction (inputs: a, x)"),
        ("x=[1, oops, 3]", "a direction is 3 numbers for x, e.g. :mode forward x=[1, 1, 1]"),
    ])
    func wrongDirectionsSayWhy(text: String, message: String) async throws {
        var s = ExplorerState(graph: try GraphLoader.load(expression: Self.program).get(), size: (140, 40))
        await s.command("mode forward " + text)
        #expect(s.message?.kind == .error)
        #expect(s.message?.text == message, "\(s.message?.text ?? "")")
    }

    /// `:export` draws the sweep along the direction: the title says v, and y's box holds 14.
    @Test func exportDrawsTheDirection() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gradstep-direction-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = ExplorerState(graph: try GraphLoader.load(expression: Self.program).get(), size: (140, 40))
        await s.command("mode forward x=[1, -2, 0.5]")
        await s.command("export dot \(dir.path)/picture")
        let dot = try String(contentsOfFile: dir.appendingPathComponent("picture.dot").path, encoding: .utf8)
        #expect(dot.contains("forward mode, seed ẋ = v, v = [1, −2, 0.5]"), "\(dot)")
        #expect(dot.contains("= 14"), "\(dot)")
    }
}
