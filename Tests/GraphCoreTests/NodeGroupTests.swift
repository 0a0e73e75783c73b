import GraphCore
import Testing
import TestSupport

/// `NodeGroup` (members, inputs, outputs of disjoint groups, read off a tape) and
/// `GroupFolding` (which box each node is drawn in, opening and folding by name or all).
@Suite("Node groups and folding")
struct NodeGroupTests {
    /// a = x·w, b = sin a, c = a + w, y = b·c; groups {a, b} and {c}.
    static func tape() throws -> (tape: Tape, x: Int, w: Int, a: Int, b: Int, c: Int, y: Int) {
        var builder = TapeBuilder()
        let x = builder.leaf(.input, .scalar, [2], name: "x")
        let w = builder.leaf(.param, .scalar, [3], name: "w")
        let a = try builder.apply(.mul, [x, w], name: "a")
        let b = try builder.apply(.sin, [a], name: "b")
        let c = try builder.apply(.add, [a, w], name: "c")
        let y = try builder.apply(.mul, [b, c], name: "y")
        let (tape, order) = builder.finish(output: y)
        return (tape, order[x.raw], order[w.raw], order[a.raw], order[b.raw], order[c.raw], order[y.raw])
    }

    @Test func inputsAreWhatMembersReadFromOutsideAndOutputsWhatOthersReadOfThem() throws {
        let t = try Self.tape()
        let groups = NodeGroup.groups([("first", .block, [t.b, t.a]), ("second", .call(function: "f"), [t.c])], tape: t.tape)
        expectEqual(groups[0].members, [t.a, t.b].sorted())
        expectEqual(groups[0].inputs, [t.x, t.w].sorted())
        // a is read by c (in the other group) and b by y: both are outputs.
        expectEqual(groups[0].outputs, [t.a, t.b].sorted())
        expectEqual(groups[1].inputs, [t.w, t.a].sorted())
        expectEqual(groups[1].outputs, [t.c])
        // The one-group initialiser agrees with the batch.
        expectEqual(NodeGroup(name: "second", origin: .call(function: "f"), members: [t.c], tape: t.tape), groups[1])
    }

    @Test func theTapesOutputIsAnOutputOfItsGroup() throws {
        let t = try Self.tape()
        let g = NodeGroup(name: "all", members: [t.a, t.b, t.c, t.y], tape: t.tape)
        expectEqual(g.outputs, [t.y])
        expectEqual(g.inputs, [t.x, t.w].sorted())
    }

    @Test func foldingPutsFoldedMembersInTheirGroupsBox() throws {
        let t = try Self.tape()
        let groups = NodeGroup.groups([("first", .block, [t.a, t.b]), ("second", .block, [t.c])], tape: t.tape)
        var folding = GroupFolding(groups: groups, nodeCount: t.tape.count)
        expectTrue(!folding.isFlat)
        expectTrue(folding.box(of: t.a) == .group(0) && folding.box(of: t.c) == .group(1) && folding.box(of: t.y) == .node(t.y))
        folding = folding.toggling("first", count: t.tape.count)
        expectTrue(folding.isOpen("first") && folding.box(of: t.a) == .node(t.a))
        expectEqual(folding.group(containing: t.a), 0)
        folding = folding.togglingAll(count: t.tape.count)
        expectTrue(folding.isFlat)
        folding = folding.togglingAll(count: t.tape.count)
        expectTrue(folding.open.isEmpty)
        expectTrue(GroupFolding(groups: groups, open: ["all"], nodeCount: t.tape.count).isFlat)
    }
}
