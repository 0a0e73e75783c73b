/// A named set of tape nodes that pictures may draw as one box: the statements of a
/// `group NAME { … }` block, or one call of a `def` function (`dense#2`).
///
/// ```swift
/// // def dense(x, W, b) = relu(W @ x + b);  h1 = dense(x, W1, b1)
/// let g = NodeGroup(name: "dense#1", members: [5, 6, 7], tape: tape)
/// g.inputs    // [0, 1, 2]: x, W1, b1, the operands read from outside
/// g.outputs   // [7]: the relu, used outside (or the graph's output)
/// ```
/// Plain data in tape indices, like the tape itself, so export and the explorer read the same
/// facts; where a group is folded is `GroupFolding`'s business.
public struct NodeGroup: Sendable, Hashable {
    /// How the group came to be.
    public enum Origin: Sendable, Hashable {
        /// `group NAME { … }`.
        case block
        /// A call of `def NAME(…)`; the group's name is `NAME#k`, k counting calls in source order.
        case call(function: String)
        /// The neuron-level view's scalar nodes of one tensor node (`h`: its products, sums and
        /// elements); folded, it is drawn as the tensor node was.
        case tensor(shape: Shape)
    }

    public var name: String
    public var origin: Origin
    /// Tape indices of the nodes inside, ascending.
    public var members: [Int]
    /// Nodes outside the group that members read, ascending.
    public var inputs: [Int]
    /// Members read by a node outside the group, or the tape's output, ascending.
    public var outputs: [Int]

    /// The group of `members` (any order, duplicates ignored), its inputs and outputs read
    /// from `tape`.
    public init(name: String, origin: Origin = .block, members: [Int], tape: Tape) {
        self = Self.groups([(name, origin, members)], tape: tape)[0]
    }

    private init(name: String, origin: Origin, members: [Int], inputs: [Int], outputs: [Int]) {
        (self.name, self.origin, self.members, self.inputs, self.outputs) = (name, origin, members, inputs, outputs)
    }

    /// Disjoint groups of one tape, with their inputs and outputs, in one pass over the tape
    /// (a graph of a thousand calls costs one sweep, not a thousand). A node listed in two
    /// groups belongs to the first.
    public static func groups(_ specs: [(name: String, origin: Origin, members: [Int])], tape: Tape) -> [NodeGroup] {
        var owner = [Int32](repeating: -1, count: tape.count)
        var members = [[Int]](repeating: [], count: specs.count)
        for (k, spec) in specs.enumerated() {
            for i in spec.members where owner[i] < 0 {
                owner[i] = Int32(k)
                members[k].append(i)
            }
        }
        var inputs = [Set<Int>](repeating: [], count: specs.count)
        var outputs = [Set<Int>](repeating: [], count: specs.count)
        for i in tape.firstComputed ..< tape.count {
            let o = owner[i]
            for a in tape.entries[i].operands where owner[a] != o {
                if o >= 0 { inputs[Int(o)].insert(a) }
                if owner[a] >= 0 { outputs[Int(owner[a])].insert(a) }
            }
        }
        if owner[tape.output] >= 0 { outputs[Int(owner[tape.output])].insert(tape.output) }
        return specs.indices.map { k in
            NodeGroup(name: specs[k].name, origin: specs[k].origin, members: members[k].sorted(),
                      inputs: inputs[k].sorted(), outputs: outputs[k].sorted())
        }
    }
}

/// Which groups are drawn folded, and so which box each tape node appears in.
///
/// ```swift
/// let folding = GroupFolding(groups: graph.groups, open: ["loss"])
/// folding.box(of: 6)        // .group(0): node 6 is inside the folded dense#1
/// folding.box(of: 0)        // .node(0)
/// ```
/// Groups are folded unless opened by name (or all at once): a group is written to be read
/// as one step, and opening is one key or `--open NAME` away.
public struct GroupFolding: Sendable, Hashable {
    /// Where a node is drawn: as itself, or inside the folded group of that index.
    public enum Box: Sendable, Hashable {
        case node(Int)
        case group(Int)
    }

    public let groups: [NodeGroup]
    /// Names of the groups drawn open.
    public private(set) var open: Set<String>
    /// The folded group each node lies in, by tape index (-1 for none).
    private var folded: [Int32]

    /// `open` holds group names; `"all"` opens every group.
    public init(groups: [NodeGroup], open: Set<String> = [], nodeCount: Int? = nil) {
        self.groups = groups
        self.open = open.contains("all") ? Set(groups.map(\.name)) : open
        let count = nodeCount ?? ((groups.flatMap(\.members).max() ?? -1) + 1)
        folded = Self.fold(groups, open: self.open, count: count)
    }

    private static func fold(_ groups: [NodeGroup], open: Set<String>, count: Int) -> [Int32] {
        var folded = [Int32](repeating: -1, count: count)
        for (k, g) in groups.enumerated() where !open.contains(g.name) {
            for i in g.members where i < count { folded[i] = Int32(k) }
        }
        return folded
    }

    /// The number of tape nodes this folding was made for.
    public var nodeCount: Int { folded.count }

    /// True when no group is folded: every node is drawn as itself.
    public var isFlat: Bool { !folded.contains { $0 >= 0 } }

    /// The index of the folded group node `i` lies in, if any.
    public func foldedGroup(of i: Int) -> Int? {
        i < folded.count && folded[i] >= 0 ? Int(folded[i]) : nil
    }

    public func box(of i: Int) -> Box {
        foldedGroup(of: i).map(Box.group) ?? .node(i)
    }

    /// The group (open or folded) whose members include node `i`.
    public func group(containing i: Int) -> Int? {
        groups.firstIndex { $0.members.contains(i) }
    }

    /// Whether the group named `name` is drawn open.
    public func isOpen(_ name: String) -> Bool { open.contains(name) }

    /// The same groups with `name` opened or folded; `count` is the tape's node count.
    public func toggling(_ name: String, count: Int) -> GroupFolding {
        var names = open
        if names.contains(name) { names.remove(name) } else { names.insert(name) }
        return GroupFolding(groups: groups, open: names, nodeCount: count)
    }

    /// Every group open, or (when all are open already) every group folded.
    public func togglingAll(count: Int) -> GroupFolding {
        let allOpen = groups.allSatisfy { open.contains($0.name) }
        return GroupFolding(groups: groups, open: allOpen ? [] : Set(groups.map(\.name)), nodeCount: count)
    }
}
