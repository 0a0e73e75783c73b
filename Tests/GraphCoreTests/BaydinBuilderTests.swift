import GraphCore
import Testing
import TestSupport

/// The Baydin et al. running example built directly with `TapeBuilder` (no parser), so the
/// engine's numbering and traces are checked on their own.
func baydinTape() throws -> Tape {
    var b = TapeBuilder()
    let x1 = b.leaf(.input, .scalar, [2], name: "x1")
    let x2 = b.leaf(.input, .scalar, [5], name: "x2")
    let v1 = try b.apply(.ln, [x1])
    let v2 = try b.apply(.mul, [x1, x2])
    let v4 = try b.apply(.add, [v1, v2])
    let v3 = try b.apply(.sin, [x2])
    let y = try b.apply(.sub, [v4, v3], name: "y")
    return b.finish(output: y).tape
}

@Test func baydinTapeIsNumberedLikeThePaper() throws {
    let tape = try baydinTape()
    expectEqual((0..<tape.count).map(tape.label), ["v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅"])
    expectEqual((0..<tape.count).map(tape.formula), ["x1", "x2", "ln v₋₁", "v₋₁ · v₀", "sin v₀", "v₁ + v₂", "v₄ − v₃"])
    let v = tape.evaluate()
    expectEqual(v, [2, 5, 0.6931471805599453, 10, -0.9589242746631385, 10.693147180559945, 11.652071455223084])
}

@Test func baydinAdjointsAndTangentsMatchThePaper() throws {
    let tape = try baydinTape()
    let v = tape.evaluate()
    let g = tape.adjoints(values: v)
    expectEqual(g, [5.5, 1.7163378145367738, 1, 1, -1, 1, 1])
    let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: 0))
    expectEqual(t, [1, 0, 0.5, 5, 0, 5.5, 5.5])
}

/// A tape built for its shapes only keeps no leaf numbers and takes tensors past the
/// evaluation limit, still refusing past its own.
@Test func aShapesOnlyTapeKeepsNoNumbers() throws {
    var b = TapeBuilder()
    b.shapesOnly = true
    let big = Shape.tensor([1, 64, 224, 224])
    try b.checkSize(of: big)
    let x = b.leaf(.input, big, [])
    let y = try b.apply(.relu, [x])
    let tape = b.finish(output: y).tape
    expectTrue(tape.isShapesOnly && tape.leafData.isEmpty && tape[0].b == -1)
    expectTrue(tape[tape.output].shape == big && tape.valueCount == 2 * big.count)
    #expect(throws: ShapeError.self) { try b.checkSize(of: .tensor([1, 64, 1024, 1024])) }
    var normal = TapeBuilder()
    #expect(throws: ShapeError.self) { try normal.checkSize(of: big) }
    let one = normal.leaf(.input, .scalar, [1])
    expectTrue(!normal.finish(output: one).tape.isShapesOnly)
}
