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
    /// The output's adjoint seed the reverse sweep's first line sets, element by element; nil
    /// seeds every element with 1.
    public let seed: [Double]?
    /// The language the lines are in.
    public static let language = CodeLanguage.numpy

    /// Graphs larger than this get no code lines (building them costs about as much as a layout).
    public static let limit = 3_000

    /// The code of `graph`, its reverse sweep seeded with `seed` (the explorer's `:seed`; a
    /// seed that is not one number per output element is left out).
    public init(_ graph: Graph, seed: [Double]? = nil) {
        let tape = graph.tape
        guard tape.count <= Self.limit, tape.count > 0 else {
            (forward, reverse, self.seed) = ([], [], nil)
            return
        }
        self.seed = seed?.count == tape.entries[tape.output].count ? seed : nil
        (forward, reverse) = Codegen.steps(tape: tape, outputName: graph.outputName, language: Self.language, seed: self.seed)
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
