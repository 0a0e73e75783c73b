import GraphCore
import GraphLayout
import Screen

// Folding and opening groups (`group NAME { … }` blocks and `def` calls) in the graph pane.
// Every group starts folded, as in `gradstep export`; `o` opens or folds the group of the
// selection, `*` opens every group (or folds them all when all are open). A folded group is
// one box standing at its representative node (the group's output), so selecting the box
// selects that node, and a step inside the group lights the box up.

extension ExplorerState {
    /// `h` from a folded box: to the group's first input (one that is not a constant, if any),
    /// the box the picture shows before it. False when the selection is not in a folded group.
    mutating func selectGroupInput() -> Bool {
        guard let g = foldedGroup(of: inspected ?? tape.output) else { return false }
        if let input = g.inputs.first(where: { tape.entries[$0].op != .constant }) ?? g.inputs.first { select(input) }
        return true
    }

    /// `l` from a folded box: to the first node outside the group that reads one of its members.
    mutating func selectGroupConsumer() -> Bool {
        guard let g = foldedGroup(of: inspected ?? tape.output) else { return false }
        let inside = Set(g.members)
        if let consumer = (g.members.last! + 1 ..< tape.count).first(where: { i in
            !inside.contains(i) && tape.entries[i].operands.contains(where: inside.contains)
        }) { select(consumer) }
        return true
    }

    /// The graph's groups and which are open; folded ones are drawn as one box. No group
    /// when the tape on screen is not the one the groups were read from (a view that
    /// rebuilds the tape), so a node index never reaches a group it does not belong to.
    public var folding: GroupFolding {
        groupFolding.nodeCount == tape.count ? groupFolding : GroupFolding(groups: [], nodeCount: tape.count)
    }

    /// The node whose box shows node `i`: its folded group's representative, or itself.
    public func shownNode(_ i: Int) -> Int {
        foldedGroup(of: i).map(FoldedLayout.representative) ?? i
    }

    /// The folded group node `i` is drawn in, if any.
    public func foldedGroup(of i: Int) -> NodeGroup? {
        folding.foldedGroup(of: i).map { folding.groups[$0] }
    }

    mutating func toggleGroupOfSelection() {
        guard !folding.groups.isEmpty else {
            message = .info("this graph has no groups (write 'group NAME { … }' or 'def f(x) = …')")
            return
        }
        let node = inspected ?? tape.output
        guard let k = folding.group(containing: node) else {
            message = .info("\(tape.displayName(node)) is in no group; select a node of one (groups: "
                + folding.groups.map(\.name).joined(separator: ", ") + ")")
            return
        }
        let g = folding.groups[k]
        groupFolding = folding.toggling(g.name, count: tape.count)
        refold()
        let opened = folding.isOpen(g.name)
        select(opened ? node : FoldedLayout.representative(g))
        message = .info(opened ? "opened \(g.name): \(g.members.count) nodes (o folds it again)"
            : "folded \(g.name) into one box (o opens it)")
    }

    mutating func toggleAllGroups() {
        guard !folding.groups.isEmpty else {
            message = .info("this graph has no groups (write 'group NAME { … }' or 'def f(x) = …')")
            return
        }
        groupFolding = folding.togglingAll(count: tape.count)
        refold()
        if let node = inspected { reveal(node) }
        let count = folding.groups.count
        message = .info(folding.isFlat ? "opened all \(count) groups" : "folded all \(count) groups")
    }

    /// A new layout for the new folding: what is drawn changed, as if the graph had, so a
    /// layout still on its way for the old folding is dropped.
    mutating func refold() {
        generation += 1
        layouts = [:]
        relayout()
    }

    /// A layout of the graph for the pane (the `z` fit one when compact), folded groups as
    /// one box each.
    func freshLayout(_ view: Rect) -> GraphLayout {
        if compact { return FoldedLayout.fitLayout(tape, folding: folding, width: view.width, height: view.height) }
        return FoldedLayout.layout(tape, folding: folding, compact: false) { LayeredLayout.layout($0) }
    }
}
