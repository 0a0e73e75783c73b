/// How finely a graph is drawn and stepped: one node per tensor (as the program is written,
/// layer by layer) or one node per scalar (the neuron-level view textbooks draw, one node per
/// element and per multiply-add).
public enum Granularity: String, CaseIterable, Sendable {
    case tensor, scalar
}

/// One element of one node of a tensor tape: `element` counts row-major, so element 5 of a
/// [2×3] matrix is `[1,2]`.
public struct ElementRef: Hashable, Sendable {
    public var node: Int
    public var element: Int

    public init(node: Int, element: Int) {
        self.node = node
        self.element = element
    }
}

extension Shape {
    /// How element `k` (row-major) is written after a tensor's name: `` for a scalar, `[2]`
    /// for a vector, `[2,0]` for a matrix. The scalar view names its nodes with it (`W[2,0]`).
    public func subscriptText(_ k: Int) -> String {
        ElementReference.subscriptText(rank == 0 ? [] : index(of: k))
    }
}

/// A tensor tape expanded to scalars (`Tape.scalarExpansion()`), with the way back.
///
/// The scalar tape is a tape like any other: every evaluator, the stepper, the trace and
/// export work on it unchanged. Its values, tangents and leaf adjoints are the tensor tape's,
/// element by element.
public struct ScalarExpansion: Sendable {
    /// One scalar node per element and per multiply-add.
    public var tape: Tape
    /// For each scalar node, the tensor node and element it belongs to: a product
    /// `W[2,0]·x[0]` and the partial sums after it belong to element 2 of `W @ x`.
    public var owner: [ElementRef]
    /// For each tensor node, the scalar node that holds each of its elements' values. A
    /// transpose only renames: its elements are its operand's scalar nodes.
    public var elementNodes: [[Int]]

    /// The scalar nodes that belong to tensor node `node`, in tape order.
    public func scalarNodes(of node: Int) -> [Int] {
        owner.indices.filter { owner[$0].node == node }
    }
}

/// Why a tape was not expanded: the scalar graph would pass `Limits.maximumScalarNodes`.
public struct ExpansionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
}
