import Foundation
@testable import GraphCore
import Testing
import TestSupport

// Issue 21: Taylor mode follows the NaN rule of max and min that eval, forward and reverse mode
// follow: torch.maximum's backward gives both operands the whole adjoint when a NaN leaves
// them unordered, so d/dx max(f(x), NaN) = f′(x), in either order (min likewise).
@Suite("Taylor mode: a NaN operand of max or min passes the other's series")
struct NaNMaxJetTests {
    func series(_ op: Op, nanFirst: Bool, _ inner: (inout TapeBuilder, NodeID) throws -> NodeID) throws -> [Double] {
        let tape = try scalarTape(2) { b, x in
            let f = try inner(&b, x), nan = constant(&b, .nan)
            return try nanFirst ? b.apply(op, nan, f) : b.apply(op, f, nan)
        }
        return try TaylorMode(tape, slot: 0, order: 3).coefficients
    }

    @Test func maxAndMinWithANaNGiveTheWholeDerivativeInEitherOrder() throws {
        // x² around 2 is 4 + 4h + h²: the coefficients past the value are 4, 1, 0.
        for op in [Op.max, .min] {
            for nanFirst in [false, true] {
                let c = try series(op, nanFirst: nanFirst) { b, x in try b.apply(.mul, x, x) }
                expectTrue(c[0].isNaN, "\(op.name), NaN first: \(nanFirst)")
                expectEqual(Array(c[1...]), [4, 1, 0], "\(op.name), NaN first: \(nanFirst)")
            }
        }
    }

    @Test func theJetAgreesWithReverseMode() throws {
        // The same graph's gradient by the engine's reverse sweep: ∂/∂x max(x, NaN) = 1.
        let tape = try scalarTape(2) { b, x in try b.apply(.max, x, constant(&b, .nan)) }
        let v = tape.evaluate()
        expectEqual(tape.adjoints(values: v)[0], 1)
        try expectEqual(TaylorMode(tape, slot: 0, order: 1).coefficients[1], 1)
    }
}
