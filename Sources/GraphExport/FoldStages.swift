import GraphCore

/// The coarsest folding of `FoldToFit`: a graph cut into stages, runs of about equal size in
/// the order it computes (by depth, then tape order), as torchview draws a network as its
/// modules. Each stage is one box that shows its outputs' values and adjoints and the
/// gradients of the params it holds.
///
/// - The graph's own folded groups are units that a cut never splits; its open groups (asked
///   for with `--open`) and the output stay drawn as they are.
/// - A param or constant that only one stage reads goes into that stage's box; in the
///   coarsest foldings an input too (a big input tensor would not fit otherwise).
/// - When more than four leaves are left outside (the eight inputs of a `gradstep generate`
///   graph, each read all along it), they become one box, `inputs`.
enum Stages {
    /// The nodes that may be folded, in units a cut keeps together: each of the graph's
    /// folded groups that does not hold the output, and every other computed node before the
    /// output outside open groups; in the order the stages take them.
    static func units(_ tape: Tape, existing: GroupFolding?) -> [(members: [Int], group: String?)] {
        ordered(tape, existing: existing).filter { !$0.barrier }.map { ($0.members, $0.group) }
    }

    /// The units in order with, as barriers, the members of open groups: a stage never runs
    /// across a group the reader opened (it would go round it, before and after at once).
    static func ordered(_ tape: Tape, existing: GroupFolding?) -> [(members: [Int], group: String?, barrier: Bool)] {
        let n = tape.count
        var depth = Array(repeating: 0, count: n)
        for i in tape.firstComputed ..< n {
            depth[i] = (tape.entries[i].operands.map { depth[$0] }.max() ?? -1) + 1
        }
        var taken = Array(repeating: false, count: n)
        var units: [(members: [Int], group: String?, barrier: Bool, depth: Int, first: Int)] = []
        for g in existing?.groups ?? [] {
            for m in g.members { taken[m] = true }
            if existing?.isOpen(g.name) == true {
                units += g.members.map { ([$0], nil, true, depth[$0], $0) }
                continue
            }
            guard !g.members.contains(tape.output), let first = g.members.first else { continue }
            units.append((g.members, g.name, false, g.members.map { depth[$0] }.max() ?? 0, first))
        }
        // (A graph whose output is a leaf, `-e x`, has nothing to fold.)
        for i in tape.firstComputed ..< Swift.max(tape.firstComputed, Swift.min(n, tape.output)) where !taken[i] {
            units.append(([i], nil, false, depth[i], i))
        }
        return units.sorted { ($0.depth, $0.first) < ($1.depth, $1.first) }.map { ($0.members, $0.group, $0.barrier) }
    }

    /// The groups of `existing` that stay (open ones, the one holding the output) followed by
    /// `count` stages (fewer when there are fewer units) and the leaves' box when there is one;
    /// with the names of the boxes made here.
    static func fold(_ tape: Tape, existing: GroupFolding?, count: Int, inputs: Bool = false) -> ([NodeGroup], Set<String>) {
        let ordered = ordered(tape, existing: existing)
        let units = ordered.filter { !$0.barrier }.map { (members: $0.members, group: $0.group) }
        let total = units.reduce(0) { $0 + $1.members.count }
        guard total > 0, count > 0 else { return ([], []) }
        // Cut where the running size passes each k/count of the whole, at the end of a group
        // or a value the program named (a layer, a block) when one comes within half a stage.
        var stages: [[(members: [Int], group: String?)]] = [[]]
        var size = 0
        let share = Double(total) / Double(count)
        var crossed = false
        for item in ordered {
            if item.barrier {
                crossed = true
                continue
            }
            let unit = (members: item.members, group: item.group)
            // A stage ends where an open group comes between.
            if crossed && !stages[stages.count - 1].isEmpty { stages.append([]) }
            crossed = false
            let due = Double(size) - share * Double(stages.count)
            let named = stages[stages.count - 1].last.map { $0.group != nil || tape.names[$0.members[0]] != nil } ?? false
            if !stages[stages.count - 1].isEmpty && stages.count < count && (due >= 0 && named || due >= share / 2) {
                stages.append([])
            }
            stages[stages.count - 1].append(unit)
            size += unit.members.count
        }
        let n = tape.count
        var stageOf = Array(repeating: -1, count: n)
        for (s, stage) in stages.enumerated() {
            for unit in stage { for m in unit.members { stageOf[m] = s } }
        }
        // Leaves read by one stage only go into it; the others stay boxes of their own.
        var readers = Array(repeating: Set<Int>(), count: tape.firstComputed)
        var outside = Array(repeating: false, count: tape.firstComputed)
        for i in tape.firstComputed ..< n {
            for a in tape.entries[i].operands where a < tape.firstComputed {
                if stageOf[i] >= 0 { readers[a].insert(stageOf[i]) } else { outside[a] = true }
            }
        }
        var members = stages.map { $0.flatMap(\.members) }
        var loose: [Int] = []
        for leaf in 0 ..< tape.firstComputed {
            let op = tape.entries[leaf].op
            if readers[leaf].count == 1, !outside[leaf], inputs || op != .input, stageOf[leaf] < 0 {
                members[readers[leaf].first!].append(leaf)
            } else if op != .constant {
                loose.append(leaf)
            }
        }
        let kept = (existing?.groups ?? []).filter { g in !units.contains { $0.group == g.name } }
        var taken = Set(kept.map(\.name))
        var specs: [(name: String, origin: NodeGroup.Origin, members: [Int])] = []
        for (s, stage) in stages.enumerated() {
            specs.append((FoldToFit.unique(name(stage, tape), &taken), .block, members[s]))
        }
        // (An input nothing reads is loose too: it is part of the graph's inputs.)
        if loose.count > 4 {
            specs.append((FoldToFit.unique("inputs", &taken), .block, loose))
        }
        let made = NodeGroup.groups(specs, tape: tape)
        return (kept + made, Set(made.map(\.name)))
    }

    /// A stage's name: its first and last group or named node (`dense#1 … dense#3`,
    /// `h1 … h2`), else its first and last node's labels.
    static func name(_ stage: [(members: [Int], group: String?)], _ tape: Tape) -> String {
        let groups = stage.compactMap(\.group)
        let named = stage.flatMap(\.members).compactMap { tape.names[$0] }
        let labels = groups.isEmpty ? (named.isEmpty ? stage.flatMap(\.members).sorted().map { tape.label($0) } : named) : groups
        guard let first = labels.first, let last = labels.last else { return "stage" }
        return first == last ? first : "\(first) … \(last)"
    }
}
