import GraphCore
import Testing
import TestSupport

/// x feeds a chain of 100 nodes, z a chain of 3; both meet in the last node. Changing z must
/// recompute only z's chain and the meeting node.
func twoChains() throws -> (Tape, x: Int, z: Int) {
    var b = TapeBuilder()
    let x = b.leaf(.input, .scalar, [0.3], name: "x")
    let z = b.leaf(.input, .scalar, [0.9], name: "z")
    var long = x
    for _ in 0..<100 { long = try b.apply(.sin, [long]) }
    var short = z
    for _ in 0..<3 { short = try b.apply(.tanh, [short]) }
    let y = try b.apply(.mul, [long, short], name: "y")
    let (tape, order) = b.finish(output: y)
    return (tape, order[x.raw], order[z.raw])
}

@Test func changingOneInputRecomputesOnlyItsCone() throws {
    let (tape, x, z) = try twoChains()
    var e = Evaluation(tape)
    expectEqual(e.lastRecomputed, 104)
    expectEqual(e.set([(leaf: z, values: [0.1])]), 4)
    var moved = tape
    moved.setLeafValues(z, [0.1])
    expectEqual(e.values, moved.evaluate())
    expectEqual(e.set([(leaf: x, values: [0.5])]), 101)
    expectEqual(e.set([(leaf: x, values: [0.2]), (leaf: z, values: [0.2])]), 104)
    moved.setLeafValues(x, [0.2])
    moved.setLeafValues(z, [0.2])
    expectEqual(e.values, moved.evaluate())
    expectEqual(e.adjoints(), moved.adjoints(values: moved.evaluate()))
}

@Test func stepperRewindsReverseModeExactly() throws {
    let tape = try baydinTape()
    var s = Stepper(tape: tape, values: tape.evaluate(), phase: .reverse)
    // Five computed nodes, then the two inputs' own steps (their gradients complete).
    expectEqual(s.count, 7)
    expectEqual(Array(s.order.suffix(2)), [1, 0])
    var history = [s.shownAdjoints]
    while s.next() { history.append(s.shownAdjoints) }
    expectEqual(s.shownAdjoints, tape.adjoints(values: tape.evaluate()))
    expectEqual(s.current, 0)
    // v₃ = sin v₀ is visited second: v̄₀ receives v̄₃·cos v₀ first, then v̄₂·v₋₁.
    expectTrue(history[2][1] == 0 && history[3][1] == -Foundation.cos(5.0))
    while s.previous() { expectEqual(s.shownAdjoints, history[s.position]) }
    s.go(to: 3)
    expectTrue(s.shownAdjoints == history[3] && s.current == 4)
    expectTrue(s.isDone(6) && s.isDone(4) && !s.isDone(3))
}

@Test func stepperForwardPhaseRevealsNodesInTapeOrder() throws {
    let tape = try baydinTape()
    var s = Stepper(tape: tape, values: tape.evaluate(), phase: .forward, seedLeaf: 0)
    expectTrue(s.count == 5 && s.current == nil && s.isDone(0) && !s.isDone(2))
    s.next()
    expectTrue(s.current == 2 && s.isDone(2) && !s.isDone(3))
    expectEqual(s.tangents, [1, 0, 0.5, 5, 0, 5.5, 5.5])
}

import Foundation
