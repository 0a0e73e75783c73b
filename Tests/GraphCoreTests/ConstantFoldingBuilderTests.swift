@testable import GraphCore
import Testing
import TestSupport

// `TapeBuilder.foldsConstants` (issue 24): an op of constants becomes one constant, computed
// by the op's own kernel; the literals it read leave the tape; a swappable constant (a data
// table) and a builder with folding off keep every op.
@Suite("TapeBuilder folds ops of constants")
struct ConstantFoldingBuilderTests {
    func builder(folding: Bool = true) -> TapeBuilder {
        var b = TapeBuilder()
        b.foldsConstants = folding
        return b
    }

    @Test func aFoldIsOneConstantWithTheKernelsValue() throws {
        var b = builder()
        let x = b.leaf(.input, .scalar, [3], name: "x")
        let four = b.leaf(.constant, .scalar, [4])
        let root = try b.apply(.sqrt, four)
        expectTrue(b.isFolded(root) && b.op(of: root) == .constant)
        let y = try b.apply(.mul, x, root)
        let (tape, order) = b.finish(output: y)
        // x, the constant 2 and x·2: the literal 4 is gone, and stands for the constant 2.
        expectEqual(tape.count, 3)
        expectEqual(order[four.raw], order[root.raw])
        expectEqual(Array(tape.leafValues(order[root.raw])), [2])
        expectEqual(tape.foldedFormulas[order[root.raw]], "sqrt 4")
        expectEqual(tape.evaluate()[Int(tape.entries[tape.output].offset)], 6)
    }

    @Test func matrixProductsOfConstantsFold() throws {
        var b = builder()
        let a = b.leaf(.constant, .matrix(2, 2), [1, 2, 3, 4])
        let v = b.leaf(.constant, .vector(2), [1, 1])
        let p = try b.apply(.matmul, a, v)
        let (tape, order) = b.finish(output: p)
        // [[1, 2], [3, 4]]·[1, 1] = [3, 7].
        expectTrue(tape.count == 1 && Array(tape.leafValues(order[p.raw])) == [3, 7])
    }

    @Test func aSwappableConstantIsNeverFolded() throws {
        var b = builder()
        let data = b.leaf(.constant, .vector(2), [1, 2], name: "D")
        b.markSwappable(data)
        let two = b.leaf(.constant, .scalar, [2])
        let y = try b.apply(.mul, data, two)
        expectEqual(b.op(of: y), .mul)
    }

    @Test func foldingIsOffUnlessAsked() throws {
        var b = builder(folding: false)
        let y = try b.apply(.sqrt, b.leaf(.constant, .scalar, [4]))
        expectEqual(b.op(of: y), .unary(.sqrt))
        expectEqual(b.finish(output: y).tape.count, 2)
    }

    @Test func aShapesOnlyBuilderHasNoNumbersToFold() throws {
        var b = builder()
        b.shapesOnly = true
        let w = b.leaf(.constant, .matrix(2, 2), [])
        let y = try b.apply(.transpose, w)
        expectEqual(b.op(of: y), .transpose)
    }

    @Test func aShapesOnlyBuilderFoldsLiteralsThatHaveNumbers() throws {
        var b = builder()
        b.shapesOnly = true
        let y = try b.apply(.sqrt, b.leaf(.constant, .scalar, [9]))
        expectEqual(b.op(of: y), .constant)
        expectEqual(Array(b.finish(output: y).tape.leafValues(0)), [3])
    }

    @Test func aKeptLiteralStaysThoughAFoldUsedIt() throws {
        var b = builder()
        let four = b.leaf(.constant, .scalar, [4])
        b.keep(four)
        let root = try b.apply(.sqrt, four)
        let (tape, order) = b.finish(output: root)
        expectTrue(tape.count == 2 && Array(tape.leafValues(order[four.raw])) == [4])
    }
}
