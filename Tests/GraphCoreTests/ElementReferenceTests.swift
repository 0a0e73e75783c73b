import GraphCore
import Testing
import TestSupport

/// `x`, `v[1]`, `W[2,0]`, `K[1,0,1,1]`: one parser and one printer for every `--wrt`, `:mode
/// forward` and label, with an error for each way a reference can be wrong.
@Suite("Element references")
struct ElementReferenceTests {
    /// x scalar input, W [3×2] param, v [4] input, K [2×1×2×2] param; output their sum.
    static func tape() throws -> Tape {
        var b = TapeBuilder()
        let x = b.leaf(.input, .scalar, [2], name: "x")
        let w = b.leaf(.param, .matrix(3, 2), [1, 2, 3, 4, 5, 6], name: "W")
        let v = b.leaf(.input, .vector(4), [1, 2, 3, 4], name: "v")
        let k = b.leaf(.param, .tensor([2, 1, 2, 2]), (0..<8).map(Double.init), name: "K")
        let c = b.leaf(.constant, .scalar, [3], name: "c")
        var y = try b.apply(.add, x, try b.apply(.sum, w))
        y = try b.apply(.add, y, try b.apply(.sum, v))
        y = try b.apply(.add, y, try b.apply(.sum, k))
        y = try b.apply(.mul, y, c)
        return b.finish(output: y).tape
    }

    @Test(arguments: [
        ("x", "x", nil),
        (" W[2,0] ", "W", [2, 0]),
        ("W[ 2 , 0 ]", "W", [2, 0]),
        ("v[3]", "v", [3]),
        ("K[1,0,1,1]", "K", [1, 0, 1, 1]),
        ("W[-1,0]", "W", [-1, 0]),
    ] as [(String, String, [Int]?)])
    func parsesTheForm(text: String, name: String, index: [Int]?) throws {
        let r = try ElementReference.parse(text).get()
        expectTrue(r.name == name && r.index == index)
    }

    @Test(arguments: [
        ("W[2,0", "W[2,0: missing ']'; write NAME[i] or NAME[i,j]"),
        ("[1]", "[1]: no name before '['; write NAME[i] or NAME[i,j]"),
        ("W[1]x", "W[1]x: 'x' after ']'; write NAME[i] or NAME[i,j]"),
        ("W[2][0]", "W[2][0]: one pair of brackets, indices separated by commas: NAME[i,j], not NAME[i][j]"),
        ("W[1.5,0]", "W[1.5,0]: index '1.5' is not a whole number"),
        ("W[a,0]", "W[a,0]: index 'a' is not a whole number"),
        ("W[99999999999999999999,0]", "W[99999999999999999999,0]: index 99999999999999999999 is out of range"),
        ("W[,0]", "W[,0]: an empty index; write NAME[i] or NAME[i,j]"),
        ("W[]", "W[]: an empty index; write NAME[i] or NAME[i,j]"),
        ("W]", "W]: a ']' without its '['; write NAME[i] or NAME[i,j]"),
        ("  ", "no name; write NAME, NAME[i] or NAME[i,j]"),
    ])
    func malformedReferencesSayWhatIsWrong(text: String, message: String) {
        expectEqual(ElementReference.parse(text).failure?.description, message)
    }

    /// Row-major element numbers worked out by hand: W[2,0] of a 3×2 is 2·2 + 0 = 4; K[1,0,1,1]
    /// of 2×1×2×2 is ((1·1 + 0)·2 + 1)·2 + 1 = 7.
    @Test(arguments: [
        ("x", 0, nil), ("W", 1, nil), ("W[2,0]", 1, 4), ("W[0,1]", 1, 1), ("v[3]", 2, 3), ("K[1,0,1,1]", 3, 7), ("K[0,0,1,0]", 3, 2),
    ] as [(String, Int, Int?)])
    func resolvesToTheRowMajorElement(text: String, leaf: Int, element: Int?) throws {
        let tape = try Self.tape()
        let seed = try ElementReference.seed(text, in: tape).get()
        expectTrue(seed.leaf == leaf && seed.element == element)
        // Printed back, the reference reads as written (without blanks).
        expectEqual(ElementReference(tape, leaf: seed.leaf, element: seed.element).description, text)
        expectEqual(seed.reference(tape), text)
    }

    @Test(arguments: [
        ("W1", "W1: no input or param of that name; did you mean 'W'?"),
        ("q", "q: no input or param of that name (inputs and params: x, W, v, K)"),
        ("c", "c: no input or param of that name (inputs and params: x, W, v, K)"),
        ("W[3,0]", "W[3,0]: index 3 on axis 0 is out of range 0..<3: W is of shape [3×2]"),
        ("W[0,2]", "W[0,2]: index 2 on axis 1 is out of range 0..<2: W is of shape [3×2]"),
        ("W[-1,0]", "W[-1,0]: index -1 on axis 0 is out of range 0..<3: W is of shape [3×2]"),
        ("v[4]", "v[4]: index 4 is out of range 0..<4: v is of shape [4]"),
        ("W[1]", "W[1]: W is of shape [3×2], so it takes 2 indices (as W[0,0]), not 1"),
        ("v[1,0]", "v[1,0]: v is of shape [4], so it takes 1 index (as v[0]), not 2"),
        ("x[0]", "x[0]: x is a scalar, so it takes no index (as x), not 1"),
        ("K[1,0,1]", "K[1,0,1]: K is of shape [2×1×2×2], so it takes 4 indices (as K[0,0,0,0]), not 3"),
    ])
    func wrongReferencesNameTheShapeOrTheNearestName(text: String, message: String) throws {
        expectEqual(ElementReference.seed(text, in: try Self.tape()).failure?.description, message)
    }

    @Test func oneElementIsRequiredWhereOneNumberIsMeant() throws {
        let tape = try Self.tape()
        let w = try ElementReference.parse("W").get().resolveElement(in: tape)
        expectEqual(w.failure?.description, "W: W is of shape [3×2]; name one element, as W[0,0]")
        let x = try ElementReference.parse("x").get().resolveElement(in: tape).get()
        expectTrue(x.leaf == 0 && x.element == 0)
        let k = try ElementReference.parse("K[0,0,1,1]").get().resolveElement(in: tape).get()
        expectTrue(k.leaf == 3 && k.element == 3)
    }

    @Test func listsKeepCommasInsideBrackets() throws {
        let refs = try ElementReference.parseList("x, W[2,0],v").get()
        expectEqual(refs.map(\.description), ["x", "W[2,0]", "v"])
        let tape = try Self.tape()
        try expectEqual(ElementReference.leaves("v, x, v", in: tape).get(), [2, 0])
        expectEqual(ElementReference.leaves("x, W[2,0]", in: tape).failure?.description, "W[2,0]: name whole inputs and params here (W), not one element")
        expectEqual(ElementReference.leaves("x, z", in: tape).failure?.description, "z: no input or param of that name (inputs and params: x, W, v, K)")
    }

    @Test func theScalarViewNamesItsNodesTheSameWay() {
        expectEqual(Shape.matrix(3, 2).subscriptText(4), "[2,0]")
        expectEqual(Shape.vector(4).subscriptText(3), "[3]")
        expectEqual(Shape.scalar.subscriptText(0), "")
        expectEqual(Shape.tensor([2, 1, 2, 2]).subscriptText(7), "[1,0,1,1]")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
