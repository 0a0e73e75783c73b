import GraphCore
import GraphLayout

/// The graph pane's layout when some groups are folded: each folded group is laid out as one
/// box, which then stands at its representative node (the group's last output: selecting the
/// box selects it), while the other members get empty boxes at the same place (never drawn,
/// never hit by a click). Every layout keeps one box per tape node, so the rest of the
/// explorer (selection, reveal, stepping) goes on indexing boxes by node.
///
/// ```swift
/// let layout = FoldedLayout.layout(tape, folding: folding, compact: false) { LayeredLayout.layout($0) }
/// layout.boxes[rep].width > 0     // the group's box
/// layout.boxes[member].width == 0 // folded away
/// ```
public enum FoldedLayout {
    /// The representative node of group `g`: its last output (the node the box stands for).
    public static func representative(_ g: NodeGroup) -> Int {
        g.outputs.last ?? g.members.last ?? 0
    }

    /// The box's header: `▸ dense#2` (a folded group's mark, then its name).
    static func header(_ g: NodeGroup) -> String { "▸ " + g.name }

    /// The layout of `tape` with `folding`'s folded groups as one box each; `engine` lays out
    /// a request (the layered layout, or the same with a progress line).
    public static func layout(_ tape: Tape, folding: GroupFolding, compact: Bool,
                              engine: (LayoutRequest) -> GraphLayout) -> GraphLayout {
        let base = GraphView.request(tape, compact: compact)
        guard !folding.isFlat else { return engine(base) }
        let contraction = Contraction(tape, folding: folding, widths: base.widths)
        let request = LayoutRequest(operands: contraction.operands, widths: contraction.widths, height: base.height,
                                    leftToRight: base.leftToRight)
        return contraction.expand(engine(request), folding: folding, nodeCount: tape.count)
    }

    /// The `z` fit layout (`GraphView.fitLayout`) with folded groups as one box each.
    public static func fitLayout(_ tape: Tape, folding: GroupFolding, width: Int, height: Int) -> GraphLayout {
        guard !folding.isFlat else { return GraphView.fitLayout(tape, width: width, height: height) }
        let c = Contraction(tape, folding: folding, widths: GraphView.request(tape, compact: true).widths)
        let oneLine = c.node.indices.map { k in
            (c.group[k].map { header(folding.groups[$0]) } ?? GraphView.shortHeader(tape, c.node[k])).displayWidth + 2
        }
        let layout = GraphView.fitLayout(operands: LayoutRequest.Operands(c.operands), compactWidths: c.widths, oneLineWidths: oneLine,
                                         width: width, height: height)
        return c.expand(layout, folding: folding, nodeCount: tape.count)
    }

    /// The nodes as drawn: one item per node outside folded groups and per folded group, in
    /// an order where each item's operands come first.
    struct Contraction {
        /// The node each item is drawn at (a folded group's representative).
        var node: [Int] = []
        var operands: [[Int]] = []
        var widths: [Int] = []
        /// For each item that is a folded group, the group's index.
        var group: [Int?] = []

        init(_ tape: Tape, folding: GroupFolding, widths nodeWidths: [Int]) {
            // Items in tape order of their representatives; a group whose members are
            // self-contained (the lowering checks it) keeps the order topological once sorted.
            var itemOf = [Int](repeating: -1, count: tape.count)
            var groupItem: [Int: Int] = [:]
            var shown: [(node: Int, group: Int?)] = []
            for i in 0 ..< tape.count {
                if let k = folding.foldedGroup(of: i) {
                    if i == FoldedLayout.representative(folding.groups[k]) { shown.append((i, k)) }
                } else {
                    shown.append((i, nil))
                }
            }
            let order = Self.topological(shown, tape: tape, folding: folding)
            for (item, entry) in order.enumerated() {
                node.append(entry.node)
                group.append(entry.group)
                if let k = entry.group {
                    groupItem[k] = item
                    widths.append(max(FoldedLayout.header(folding.groups[k]).displayWidth + 2, nodeWidths[entry.node]))
                } else {
                    itemOf[entry.node] = item
                    widths.append(nodeWidths[entry.node])
                }
            }
            func item(_ i: Int) -> Int { folding.foldedGroup(of: i).map { groupItem[$0]! } ?? itemOf[i] }
            for (k, entry) in order.enumerated() {
                let reads = entry.group.map { folding.groups[$0].members } ?? [entry.node]
                var list: [Int] = []
                for r in reads {
                    for a in tape.entries[r].operands {
                        let j = item(a)
                        if j != k && !list.contains(j) { list.append(j) }
                    }
                }
                operands.append(list)
            }
        }

        /// Items sorted so that every operand comes before its consumer (Kahn's algorithm,
        /// ties by tape order of the item's node).
        static func topological(_ shown: [(node: Int, group: Int?)], tape: Tape, folding: GroupFolding) -> [(node: Int, group: Int?)] {
            var index = [Int](repeating: -1, count: tape.count)
            var groupIndex: [Int: Int] = [:]
            for (k, s) in shown.enumerated() {
                if let g = s.group { groupIndex[g] = k } else { index[s.node] = k }
            }
            func item(_ i: Int) -> Int { folding.foldedGroup(of: i).map { groupIndex[$0]! } ?? index[i] }
            var waiting = [Int](repeating: 0, count: shown.count)
            var consumers = [[Int]](repeating: [], count: shown.count)
            for (k, s) in shown.enumerated() {
                let reads = s.group.map { folding.groups[$0].members } ?? [s.node]
                var from = Set<Int>()
                for r in reads { for a in tape.entries[r].operands where item(a) != k { from.insert(item(a)) } }
                waiting[k] = from.count
                for f in from { consumers[f].append(k) }
            }
            var ready = (0 ..< shown.count).filter { waiting[$0] == 0 }
            var result: [(node: Int, group: Int?)] = []
            var head = 0
            while head < ready.count {
                let k = ready[head]
                head += 1
                result.append(shown[k])
                for c in consumers[k].sorted() {
                    waiting[c] -= 1
                    if waiting[c] == 0 { ready.append(c) }
                }
            }
            // A cycle cannot happen for self-contained groups; should one, keep every item.
            if result.count < shown.count {
                let placed = Set(result.map(\.node))
                result += shown.filter { !placed.contains($0.node) }
            }
            return result
        }

        /// The items' layout as one box per tape node: a folded group's members other than
        /// its representative get an empty box where the group's box is.
        func expand(_ layout: GraphLayout, folding: GroupFolding, nodeCount: Int) -> GraphLayout {
            var boxes = [GraphLayout.Box?](repeating: nil, count: nodeCount)
            for (item, box) in layout.boxes.enumerated() where item < node.count {
                var b = box
                b.node = node[item]
                boxes[node[item]] = b
            }
            let filled = boxes.enumerated().map { i, box in
                if let box { return box }
                let at = folding.foldedGroup(of: i).flatMap { boxes[FoldedLayout.representative(folding.groups[$0])] }
                return GraphLayout.Box(node: i, x: at?.x ?? 0, y: at?.y ?? 0, width: 0, height: 0)
            }
            let edges = layout.edges.renamingEnds { node[$0] }
            return GraphLayout(boxes: filled, edges: edges, width: layout.width, height: layout.height, engine: layout.engine)
        }
    }
}
