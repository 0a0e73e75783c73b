import GraphCore

/// A handle to one node of a `TermGraph`: its index in the graph's node list.
///
/// Terms are hash-consed, so two handles are equal exactly when the expressions they name are
/// the same tree: `x * sin(x)` built twice is one node, and comparing two terms costs one
/// integer comparison.
public struct Term: Hashable, Sendable, Comparable {
    public let id: Int32

    public static func < (lhs: Term, rhs: Term) -> Bool { lhs.id < rhs.id }
}

/// Symbolic expressions over scalar variables, stored as a DAG in which every distinct
/// subexpression exists once (hash-consing).
///
/// Operators are GraphCore's own `Op`s, so a term evaluates with the very primal functions the
/// tape uses. Nodes are only ever appended and always after their operands, so the node list
/// is in topological order: every walk below is a loop over indices, never a recursion, and a
/// derivative as deep as the tape that made it cannot exhaust the stack.
///
/// ```swift
/// var g = TermGraph()
/// let x = g.variable("x")
/// let y = g.apply(.sigmoid, x)
/// let dy = g.derivative(of: y, wrt: "x")   // sigmoid(x) * (1 - sigmoid(x))
/// ```
/// Build terms with `constant`, `variable` and `apply`, which simplify as they go (see
/// `TermGraph+Simplify.swift`); the raw, unsimplified node is never exposed.
public struct TermGraph: Sendable {
    /// One node: a number, a variable, or an elementwise op applied to earlier nodes.
    public enum Node: Hashable, Sendable {
        case constant(Double)
        case variable(String)
        case unary(Op, Term)
        case binary(Op, Term, Term)

        /// The operands, in order (none for a leaf).
        public var operands: [Term] {
            switch self {
            case .constant, .variable: []
            case let .unary(_, a): [a]
            case let .binary(_, a, b): [a, b]
            }
        }
    }

    public private(set) var nodes: [Node] = []
    private var index: [Node: Term] = [:]

    public init() {}

    public subscript(term: Term) -> Node { nodes[Int(term.id)] }

    /// The number `term` stands for, when it is a constant.
    public func number(_ term: Term) -> Double? {
        if case let .constant(x) = self[term] { return x }
        return nil
    }

    /// A numeric constant. Zero is stored as +0 so that `-0` and `0` are one node.
    public mutating func constant(_ value: Double) -> Term {
        intern(.constant(value == 0 ? 0 : value))
    }

    /// A named scalar variable (an input or param of the tape).
    public mutating func variable(_ name: String) -> Term {
        intern(.variable(name))
    }

    /// The node for `node`, made once: an equal node returns the existing handle.
    mutating func intern(_ node: Node) -> Term {
        if let existing = index[node] { return existing }
        let term = Term(id: Int32(nodes.count))
        nodes.append(node)
        index[node] = term
        return term
    }
}

// MARK: - Walks in topological order

extension TermGraph {
    /// `reachable[i]` is true when node `i` is `root` or one of its (transitive) operands.
    /// Indices above `root` are never operands of it, so the array stops at `root`.
    func reachable(from root: Term) -> [Bool] {
        var marked = [Bool](repeating: false, count: Int(root.id) + 1)
        marked[Int(root.id)] = true
        for i in stride(from: Int(root.id), through: 0, by: -1) where marked[i] {
            for operand in nodes[i].operands { marked[Int(operand.id)] = true }
        }
        return marked
    }

    /// Nodes in the DAG under `root`: every distinct subexpression counted once.
    public func dagSize(_ root: Term) -> Int {
        reachable(from: root).lazy.filter { $0 }.count
    }

    /// Nodes in `root` written out as a tree, a shared subexpression counted every time it
    /// appears: the size of the printed expression. Saturates at `Int.max` (a composed
    /// derivative can be astronomically large as a tree while small as a DAG).
    public func treeSize(_ root: Term) -> Int {
        var size = [Int](repeating: 0, count: Int(root.id) + 1)
        for (i, isUsed) in reachable(from: root).enumerated() where isUsed {
            var total = 1
            for operand in nodes[i].operands {
                let (sum, overflow) = total.addingReportingOverflow(size[Int(operand.id)])
                total = overflow ? Int.max : sum
            }
            size[i] = total
        }
        return size[Int(root.id)]
    }

    /// The number of nodes on the longest path from `root` to a leaf (1 for a leaf).
    public func height(_ root: Term) -> Int {
        var height = [Int](repeating: 0, count: Int(root.id) + 1)
        for (i, isUsed) in reachable(from: root).enumerated() where isUsed {
            height[i] = 1 + (nodes[i].operands.map { height[Int($0.id)] }.max() ?? 0)
        }
        return height[Int(root.id)]
    }

    /// The variables `root` depends on, in the order they were first made.
    public func variables(in root: Term) -> [String] {
        reachable(from: root).enumerated().compactMap { i, isUsed in
            if isUsed, case let .variable(name) = nodes[i] { return name }
            return nil
        }
    }

    /// The value of `root` with each variable set from `values` (a missing variable is NaN),
    /// computed with the same primal functions as the tape's `forward`.
    public func evaluate(_ root: Term, _ values: [String: Double]) -> Double {
        subtermValues(root, values)[Int(root.id)]
    }

    /// The value of every node under `root` (indexed by term id; NaN for nodes not under it).
    func subtermValues(_ root: Term, _ values: [String: Double]) -> [Double] {
        var v = [Double](repeating: .nan, count: Int(root.id) + 1)
        for (i, isUsed) in reachable(from: root).enumerated() where isUsed {
            switch nodes[i] {
            case let .constant(x): v[i] = x
            case let .variable(name): v[i] = values[name] ?? .nan
            case let .unary(op, a): v[i] = op.primal(v[Int(a.id)], v[Int(a.id)])
            case let .binary(op, a, b): v[i] = op.primal(v[Int(a.id)], v[Int(b.id)])
            }
        }
        return v
    }
}
