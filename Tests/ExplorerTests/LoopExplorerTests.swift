import Explorer
import GraphCore
import GraphLanguage
import Screen
import Testing
import TestSupport

/// The BPTT exercise (`Graphs/bptt-rnn.grad`, a loop over t = 0…3) in the explorer: each
/// iteration is a folded box `▸ t=k`, the reverse sweep steps through every node of every
/// iteration and lights the box of the step it is in, latest step first, and ends with the
/// same gradients as with every iteration open.
@Suite("Explorer: a loop's iterations as folded groups")
struct LoopExplorerTests {
    static func graph() throws -> Graph {
        try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/bptt-rnn.grad").path).get()
    }

    @Test func eachIterationIsAFoldedBox() throws {
        let graph = try Self.graph()
        let s = ExplorerState(graph: graph, size: (160, 44))
        expectEqual(graph.groups.map(\.name), ["t=0", "t=1", "t=2", "t=3"])
        let drawn = Set(s.layout.boxes.filter { $0.width > 0 }.map(\.node))
        for g in graph.groups {
            // One box stands for the whole iteration.
            expectEqual(g.members.filter(drawn.contains).count, 1, "\(g.name): members drawn")
            expectContains(s.screen, "▸ \(g.name)", "no box for \(g.name)")
        }
    }

    @Test func theReverseSweepStepsThroughTimeLastStepFirst() throws {
        let graph = try Self.graph()
        var s = ExplorerState(graph: graph, size: (160, 44))
        s.press("r")
        var visited: [String] = []
        while s.stepper.position < s.stepper.count {
            s.press("n")
            guard let current = s.stepper.current, let g = s.foldedGroup(of: current) else { continue }
            let name = g.name
            if visited.last != name { visited.append(name) }
        }
        // Backpropagation through time: t=3 first, then back to t=0; a step's nodes are
        // visited together, except where an earlier step's loss sum L@t=k waits for its turn.
        expectEqual(visited.first, "t=3", "\(visited)")
        expectEqual(visited.last, "t=0", "\(visited)")
        expectEqual(Set(visited), ["t=0", "t=1", "t=2", "t=3"])
        var open = ExplorerState(graph: graph, size: (160, 44))
        open.press("*", "r", "G")
        s.press("G")
        expectEqual(s.stepper.shownAdjoints, open.stepper.shownAdjoints)
    }
}
