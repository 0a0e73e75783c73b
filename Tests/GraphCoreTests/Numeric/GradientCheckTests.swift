import Foundation
@testable import GraphCore
import Testing
import TestSupport

@Suite("Gradient check: relative error, verdicts, kinks (exercise 15)")
struct GradientCheckTests {
    @Test func relativeErrorIsTheMaxOfMagnitudesNotTheCoursesSum() {
        // The course (003) divides by |g_n + g_{n+1}|: for 1 and −1 that is 2/0 = ∞, and for
        // 1 and −1.0001 it is about 2e4, though the pair is merely of opposite sign.
        // |a − n| / max(|a|, |n|, tiny) gives 2 for both: wrong, and boundedly so.
        expectEqual(GradientCheck.relativeError(1, -1), 2)
        expectTrue(abs(GradientCheck.relativeError(1, -1.0001) - 2.0001 / 1.0001) < 1e-15)
        expectTrue(isClose(GradientCheck.relativeError(2, 2.002), 0.002 / 2.002, rel: 1e-12))
        expectEqual(GradientCheck.relativeError(2.002, 2), GradientCheck.relativeError(2, 2.002), "symmetric")
        expectEqual(GradientCheck.relativeError(0, 0), 0, "tiny keeps 0/0 away")
        expectEqual(GradientCheck.relativeError(0, 1e-13), 1e-13 / 1e-12)
    }

    @Test func smoothFunctionsPass() throws {
        let tape = try scalarTape(0.7) { b, x in try b.apply(.mul, b.apply(.sin, x), b.apply(.exp, x)) }
        let r = try #require(GradientCheck.check(tape).first)
        let exact = cos(0.7) * exp(0.7) + sin(0.7) * exp(0.7)
        expectEqual(r.analytic, tape.adjoints(values: tape.evaluate())[0])
        expectTrue(abs(r.numeric - exact) < 1e-8)
        expectTrue(r.relativeError < 1e-9)
        expectTrue(!r.nearKink)
        expectEqual(GradientCheck.Verdict(r), .pass)
    }

    @Test(arguments: [(Op.relu, 0.0), (.abs, 0), (.step, 0), (.leakyRelu, 0)])
    func unaryKinkAtZeroIsFlaggedNotFailed(op: Op, at x: Double) throws {
        let tape = try scalarTape(x) { b, x in
            op == .leakyRelu ? try b.apply(op, x, constant(&b, 0.1)) : try b.apply(op, x)
        }
        let r = try #require(GradientCheck.check(tape).first)
        expectTrue(r.nearKink, "\(op.name) at 0: x ± h straddles the kink")
        expectEqual(GradientCheck.Verdict(r), .kink)
        expectTrue(GradientCheck.Verdict(r).isOK)
    }

    @Test func reluAtZeroDisagreesWithItsCentralDifference() throws {
        // relu′(0) = 0 by PyTorch's convention; the central difference averages the slopes 0
        // and 1 on either side: 0.5. Without the kink flag this would be a failure.
        let tape = try scalarTape(0) { b, x in try b.apply(.relu, x) }
        let r = try #require(GradientCheck.check(tape).first)
        expectEqual(r.analytic, 0)
        expectTrue(abs(r.numeric - 0.5) < 1e-12)
        expectEqual(r.relativeError, 1)
    }

    @Test func reluAwayFromZeroIsNoKink() throws {
        for x in [-1.0, 1e-3, 2] {
            let tape = try scalarTape(x) { b, x in try b.apply(.relu, x) }
            let r = try #require(GradientCheck.check(tape).first)
            expectTrue(!r.nearKink && GradientCheck.Verdict(r) == .pass, "relu at \(x)")
        }
    }

    @Test func aMaxTieIsAKinkForBothOperands() throws {
        var b = TapeBuilder()
        let x = b.leaf(.input, .scalar, [1.5], name: "x"), y = b.leaf(.input, .scalar, [1.5], name: "y")
        let output = try b.apply(.max, x, y)
        let tape = b.finish(output: output).tape
        let results = GradientCheck.check(tape)
        expectEqual(results.count, 2)
        expectTrue(results.allSatisfy { $0.nearKink })
    }

    @Test func aKinkOnlyFlagsTheEntriesThatMoveIt() throws {
        // y = relu(a) + b·b at a = 0: a's entry straddles the kink, b's does not.
        var b = TapeBuilder()
        let a = b.leaf(.input, .scalar, [0], name: "a"), c = b.leaf(.input, .scalar, [3], name: "b")
        let output = try b.apply(.add, b.apply(.relu, a), b.apply(.mul, c, c))
        let tape = b.finish(output: output).tape
        let results = GradientCheck.check(tape)
        expectEqual(results.map(\.nearKink), [true, false])
        expectEqual(GradientCheck.Verdict(results[1]), .pass)
    }

    @Test func aWrongDerivativeFails() {
        let r = GradientCheck.Result(leaf: 0, element: 0, analytic: 1, numeric: 1.1,
                                     relativeError: GradientCheck.relativeError(1, 1.1), nearKink: false,
                                     roundoff: 1e-10)
        expectEqual(GradientCheck.Verdict(r), .fail)
        expectTrue(!GradientCheck.Verdict(r).isOK)
        expectEqual(GradientCheck.Verdict(r, threshold: 0.1), .pass)
    }

    @Test func aDifferenceWithinRoundOffPasses() {
        // An analytic 0 against a numeric 1e-11 from rounding: relative error 1, but no
        // difference of f values at h = 1e-6 can resolve it.
        let r = GradientCheck.Result(leaf: 0, element: 0, analytic: 0, numeric: 1e-11,
                                     relativeError: 1, nearKink: false, roundoff: 1.8e-9)
        expectEqual(GradientCheck.Verdict(r), .pass)
    }

    @Test func everyTensorElementIsChecked() throws {
        var b = TapeBuilder()
        let w = b.leaf(.param, .matrix(2, 3), [0.1, -0.2, 0.3, 0.4, 0.5, -0.6], name: "W")
        let x = b.leaf(.input, .vector(3), [1, 2, 3], name: "x")
        let output = try b.apply(.sum, b.apply(.tanh, b.apply(.matmul, w, x)))
        let tape = b.finish(output: output).tape
        let results = GradientCheck.check(tape)
        expectEqual(results.map(\.element), [0, 1, 2, 3, 4, 5, 0, 1, 2])
        expectTrue(results.allSatisfy { GradientCheck.Verdict($0) == .pass })
    }

    @Test func kinkSidesCoverTheKinkedOps() {
        let kinked = Op.allCases.filter { $0.kinkSide != nil }
        // A comparison jumps where its operands tie, as max and min have their kink there.
        expectEqual(Set(kinked), Set([.relu, .abs, .step, .leakyRelu, .max, .min, .maxpool2d] + Comparison.allCases.map(Op.compare)))
        // Every op the trace marks as a kink somewhere has a kink side for the check.
        for op in Op.allCases where op.kind == .unary || op.kind == .binary {
            expectEqual(op.isKink(0, 0), (op.kinkSide != nil), "\(op.name)")
        }
    }
}
