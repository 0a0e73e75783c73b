import Codegen
import GraphCore
import GraphLanguage

/// The backward pass as code, step by step: the NumPy statements `gradstep codegen` writes for
/// each tape entry (`Codegen.steps`), computed once per graph structure, so the inspector can
/// show the line of the current step (`numpy: dh = dz * (z > 0)`).
public struct CodeLines: Sendable {
    /// `forward[i]`: the statement computing entry i; `reverse[i]`: the statements of the
    /// reverse sweep when entry i is visited.
    public let forward: [[String]]
    public let reverse: [[String]]
    /// The language the lines are in.
    public static let language = CodeLanguage.numpy

    /// Graphs larger than this get no code lines (building them costs about as much as a layout).
    public static let limit = 3_000

    public init(_ graph: Graph) {
        guard graph.tape.count <= Self.limit, graph.tape.count > 0 else {
            forward = []
            reverse = []
            return
        }
        (forward, reverse) = Codegen.steps(tape: graph.tape, outputName: graph.outputName, language: Self.language)
    }

    /// The lines of node `i`'s step in `phase` (none in forward mode: codegen writes the
    /// forward pass and the reverse sweep, not tangents).
    public func lines(_ i: Int, _ phase: Phase) -> [String] {
        switch phase {
        case .primal: i < forward.count ? forward[i] : []
        case .reverse: i < reverse.count ? reverse[i] : []
        case .forward: []
        }
    }
}
