import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: a partial adjoint (some of its terms still to come) never looks final in a frame:
/// dashed box, grey numbers marked "(so far)", and a legend saying so.
@Suite("Export: partial adjoints look partial")
struct PartialAdjointTests {
    /// The lines of node `i` in a DOT picture.
    static func node(_ i: Int, in dot: String) -> String? {
        dot.split(separator: "\n").first { $0.hasPrefix("  n\(i) [") }.map(String.init)
    }

    /// Baydin: x̄₁ = 1/x₁ + x₂ = 5.5 in the end; after the term through x₁·x₂ (x₂ = 5) and before
    /// the one through ln x₁ (1/2) it reads 5, and must say it is a sum so far.
    @Test func baydinsX1ReadsFiveSoFarThenFivePointFive() throws {
        let tape = try baydinTape()
        let x1 = 0
        let frames = DotWriter.frames(tape: tape, name: "baydin", phase: .reverse, captions: false)
        let partialFrames = frames.filter { Self.node(x1, in: $0.dot)?.contains("(so far) = 5<") == true }
        expectTrue(!partialFrames.isEmpty, "no frame shows x̄₁ = 5 so far")
        for frame in partialFrames {
            let line = try #require(Self.node(x1, in: frame.dot))
            expectContains(line, "dashed")
            expectContains(line, "<FONT COLOR=\"\(DotPalette.light.muted)\">v̄₋₁ (so far) = 5</FONT>")
            expectContains(frame.dot, Scene.partialLegend)
        }
        let last = try #require(Self.node(x1, in: frames.last!.dot))
        expectTrue(last.contains("v̄₋₁ = 5.5") && !last.contains("so far") && !last.contains("dashed"))
    }

    /// In every reverse frame of three graphs, a node is marked partial exactly when some but
    /// not all of its consumers (counted from the tape's edges) have been visited.
    @Test(arguments: ["baydin.grad", "mlp-relu-softmax.grad", "rosenbrock.grad"])
    func thePartialMarkFollowsTheConsumersVisited(file: String) throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
        let tape = graph.tape
        var consumers = Array(repeating: [Int](), count: tape.count)
        for j in tape.firstComputed ..< tape.count { for a in tape.entries[j].operands { consumers[a].append(j) } }
        var stepper = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
        var seen = 0
        repeat {
            let dot = DotWriter.dot(frame: stepper, name: "g")
            for i in 0 ..< tape.output where tape.entries[i].op != .constant {
                let users = consumers[i].filter { $0 <= tape.output }
                let visited = users.filter { stepper.isDone($0) }.count
                let partial = visited > 0 && visited < users.count
                guard let line = Self.node(i, in: dot) else { continue }
                expectEqual(line.contains("(so far)"), partial, "\(file) step \(stepper.position): node \(i)")
                if partial { seen += 1 }
            }
        } while stepper.next()
        // Baydin's x₁ and x₂ each feed two nodes; the others' leaves feed one node each.
        if file == "baydin.grad" { expectTrue(seen > 0) }
    }
}
