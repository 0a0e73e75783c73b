import Explorer
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// Groups in the explorer (`Graphs/mlp-groups.grad`: loss, dense#1…#3): folded at first, one
/// box each; `o` opens and folds the group of the selection, `*` all of them; the layout
/// follows, selecting a folded box selects the group's output, and stepping goes on.
@Suite("Explorer: folded groups")
struct GroupKeyTests {
    static func graph() throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/mlp-groups.grad").path).get()
    }

    /// The boxes the layout draws (non-empty), by node.
    static func drawn(_ s: ExplorerState) -> Set<Int> {
        Set(s.layout.boxes.filter { $0.width > 0 }.map(\.node))
    }

    @Test func groupsStartFoldedAsOneBoxAtTheirOutput() throws {
        let graph = try Self.graph()
        let s = ExplorerState(graph: graph, size: (140, 40))
        let drawn = Self.drawn(s)
        for g in graph.groups {
            let output = try #require(g.outputs.last)
            expectContains(drawn, output, "\(g.name) has no box")
            expectTrue(drawn.isDisjoint(with: g.members.filter { $0 != output }), "\(g.name): members drawn")
        }
        // Seven leaves and t outside the groups, and four groups.
        expectEqual(drawn.count, 8 + 4)
        expectContains(s.screen, "▸ dense#1")
        // Edges run between drawn boxes only.
        for e in s.layout.edges { expectTrue(drawn.contains(e.from) && drawn.contains(e.to)) }
    }

    @Test func oOpensAndFoldsTheGroupOfTheSelection() throws {
        let graph = try Self.graph()
        var s = ExplorerState(graph: graph, size: (140, 40))
        let dense2 = try #require(graph.groups.first { $0.name == "dense#2" })
        let h2 = try #require(graph.node(named: "h2"))
        s.press("/")
        s.enter("h2")
        expectEqual(s.selection, h2)
        s.press("o")
        expectTrue(s.folding.isOpen("dense#2"))
        expectTrue(Self.drawn(s).isSuperset(of: dense2.members))
        expectEqual(s.message?.text.contains("opened dense#2"), true)
        expectTrue(s.screen.contains("v₆ h2") && !s.screen.contains("▸ dense#2"))
        // Inside the open group, select its first node, then fold: the box's output is selected.
        s.press("/")
        s.enter("v4")
        s.press("o")
        expectTrue(!s.folding.isOpen("dense#2"))
        expectEqual(s.selection, h2)
        expectNotContains(Self.drawn(s), dense2.members[0])
        expectContains(s.screen, "▸ dense#2")
    }

    @Test func starOpensEveryGroupThenFoldsThemAll() throws {
        let graph = try Self.graph()
        var s = ExplorerState(graph: graph, size: (140, 40))
        s.press("*")
        expectTrue(s.folding.isFlat)
        expectEqual(Self.drawn(s), Set(0 ..< graph.tape.count))
        expectEqual(s.layout, GraphView.layout(graph.tape, compact: false))
        s.press("*")
        expectTrue(!s.folding.isFlat && s.folding.open.isEmpty)
    }

    @Test func steppingThroughAFoldedGroupLightsItsBox() throws {
        let graph = try Self.graph()
        var s = ExplorerState(graph: graph, size: (140, 40))
        s.press("r")
        var lit = 0
        while s.stepper.position < s.stepper.count {
            s.press("n")
            guard let current = s.stepper.current, let g = s.foldedGroup(of: current) else { continue }
            let box = s.layout.boxes[FoldedLayout.representative(g)]
            let view = ScreenLayout(width: 140, height: 40).graph.inset(by: 1)
            let x = view.x - s.pan.x + box.x, y = view.y - s.pan.y + box.y
            let roles = s.render().roleLines { $0.role == .current ? "#" : "." }
            guard y >= 0, y < roles.count, x >= 0 else { continue }
            let corner = roles[y].index(roles[y].startIndex, offsetBy: x)
            expectEqual(roles[y][corner], "#", "step \(s.stepper.position): \(g.name)'s box not marked current")
            lit += 1
        }
        expectTrue(lit >= 9)
        // The sweep ends with every gradient, as with the groups open.
        var open = ExplorerState(graph: graph, size: (140, 40))
        open.press("*", "r", "G")
        s.press("G")
        expectEqual(s.stepper.shownAdjoints, open.stepper.shownAdjoints)
    }

    @Test func hAndLFromAFoldedBoxGoToTheBoxesItIsWiredTo() throws {
        let graph = try Self.graph()
        var s = ExplorerState(graph: graph, size: (140, 40))
        s.press("/")
        s.enter("h2")
        // dense#2 reads h1 (dense#1's output, a folded box), W2 and b2; h3's call reads h2.
        s.press("h")
        expectEqual(s.selection, graph.node(named: "W2"))
        s.press("/")
        s.enter("h2")
        s.press("l")
        let dense3 = try #require(graph.groups.first { $0.name == "dense#3" })
        expectEqual(s.selection.map(dense3.members.contains), true)
        expectEqual(s.shownNode(s.selection!), graph.node(named: "h3"))
    }

    @Test func theFitLayoutFoldsGroupsToo() throws {
        var s = ExplorerState(graph: try Self.graph(), size: (100, 30))
        s.press("z")
        let view = ScreenLayout(width: 100, height: 30).graph.inset(by: 1)
        expectTrue(s.layout.width <= view.width && s.layout.height <= view.height)
        expectEqual(Self.drawn(s).count, 8 + 4)
        expectContains(s.screen, "[▸ dense#2]")
    }

    @Test func aGraphWithoutGroupsSaysSo() {
        var s = ExplorerState(graph: baydin(), size: (80, 24))
        s.press("o")
        expectEqual(s.message?.text.contains("no groups"), true)
        s.press("*")
        expectEqual(s.message?.text.contains("no groups"), true)
    }

    @Test func foldedScreen() throws {
        var s = ExplorerState(graph: try Self.graph(), phase: .reverse, size: (120, 40))
        s.press("n", "n", "n", "n", "n", "n")
        assertSnapshot(s.screen, named: "groups-folded-reverse-120x40")
    }
}
