import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// A `FrameDrawer` draws a sweep's frames reusing the boxes and edges that did not change
/// since a frame it drew before: every frame must still be, byte for byte, the frame drawn
/// afresh (`DotWriter.dot(frame:)` draws one frame with a new scene and no memory), in every
/// phase, in step order and in any other order.
@Suite("Frames drawn in turn are the frames drawn afresh")
struct FrameDrawerTests {
    /// Scalars, tensors drawn as tables and previews, broadcast sums, partial adjoints, a
    /// max-pool's zero adjoints, a stop-gradient's cut edge and constants written in labels;
    /// and a scalar and a vector read by three ops each, whose adjoints so far change at two
    /// steps while they stay partial (the box must be drawn again though its marks are not).
    static let graphs = ["baydin.grad", "mlp-relu-softmax.grad", "batchnorm-backward.grad", "maxpool-twice.grad",
                         "detach-and-clip.grad", "attention.grad", "xor-network.grad",
                         "input x = 0.5; input w = [1, -2, 3]; y = sin(x) + exp(x) + 3*x + sum(sin(w) + exp(w)*w)"]

    /// An example graph by its file name, or an expression.
    static func load(_ graph: String) throws -> Graph {
        guard graph.hasSuffix(".grad") else { return try GraphLoader.load(expression: graph).get() }
        return try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(graph)").path).get()
    }

    @Test(arguments: graphs)
    func everyFrameInStepOrder(file: String) throws {
        let graph = try Self.load(file)
        let options = DotOptions(rankdir: .LR, digits: 6, showConstants: file == "detach-and-clip.grad")
        for phase in Phase.allCases {
            let frames = DotWriter.frames(tape: graph.tape, name: graph.name, phase: phase, options: options)
            var stepper = Stepper(tape: graph.tape, values: graph.tape.evaluate(), phase: phase)
            expectEqual(frames.count, stepper.count + 1, "\(file) \(phase)")
            for frame in frames {
                stepper.go(to: frame.position)
                expectTrue(frame.dot == DotWriter.dot(frame: stepper, name: graph.name, options: options),
                           "\(file) \(phase) step \(frame.position)")
            }
        }
    }

    /// Back and forth over the reverse sweep (as a page's frames may be drawn): a box drawn
    /// for a later step must not stand in for an earlier one.
    @Test func framesInAShuffledOrder() throws {
        let graph = try Self.load("mlp-relu-softmax.grad")
        let explanation = Explanation(tape: graph.tape, values: graph.tape.evaluate(), phase: .reverse)
        let options = DotOptions()
        let drawer = FrameDrawer(explanation: explanation, name: graph.name, options: options, pinned: nil)
        var rng = SplitMix64(seed: 21)
        var positions = Array(0 ... explanation.stepCount)
        positions += positions.reversed()
        positions.shuffle(using: &rng)
        for position in positions {
            let source = FrameSource(explanation: explanation, position: position, name: graph.name, options: options, captioned: true)
            var stepper = Stepper(explanation: explanation)
            stepper.go(to: position)
            expectTrue(source.dot(drawnBy: drawer) == DotWriter.dot(frame: stepper, name: graph.name, options: options),
                       "step \(position)")
        }
    }
}
