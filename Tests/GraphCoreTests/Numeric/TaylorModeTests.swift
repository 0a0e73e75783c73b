import Foundation
@testable import GraphCore
import Testing
import TestSupport

@Suite("Taylor mode: jets through the op table")
struct TaylorModeTests {
    func series(_ x: Double, order: Int, _ body: (inout TapeBuilder, NodeID) throws -> NodeID) throws -> [Double] {
        try TaylorMode(scalarTape(x, body), slot: 0, order: order).coefficients
    }

    func factorial(_ k: Int) -> Double { (1...max(1, k)).reduce(1.0) { $0 * Double($1) } }

    @Test func expAtZeroIsOneOverKFactorial() throws {
        let c = try series(0, order: 10) { b, x in try b.apply(.exp, x) }
        for k in 0...10 { expectTrue(isClose(c[k], 1 / factorial(k), rel: 1e-14), "k = \(k)") }
    }

    @Test func sinAndCosAtZeroAlternate() throws {
        let s = try series(0, order: 9) { b, x in try b.apply(.sin, x) }
        let c = try series(0, order: 9) { b, x in try b.apply(.cos, x) }
        for k in 0...9 {
            let sinK: Double = k % 2 == 0 ? 0 : (k % 4 == 1 ? 1 : -1) / factorial(k)
            let cosK: Double = k % 2 == 1 ? 0 : (k % 4 == 0 ? 1 : -1) / factorial(k)
            expectTrue(isClose(s[k], sinK, rel: 1e-14), "sin k = \(k)")
            expectTrue(isClose(c[k], cosK, rel: 1e-14), "cos k = \(k)")
        }
    }

    @Test func geometricSeriesOfOneOverOneMinusX() throws {
        let c = try series(0, order: 8) { b, x in try b.apply(.div, constant(&b, 1), b.apply(.sub, constant(&b, 1), x)) }
        expectEqual(c, [Double](repeating: 1, count: 9))
        // Around a = 0.5: 1/(1 − x) = Σ 2^{k+1} (x − 0.5)^k.
        let d = try series(0.5, order: 6) { b, x in try b.apply(.div, constant(&b, 1), b.apply(.sub, constant(&b, 1), x)) }
        for k in 0...6 { expectTrue(isClose(d[k], pow(2, Double(k + 1)), rel: 1e-13)) }
    }

    @Test func integerPowersAreExactAtZero() throws {
        let c = try series(0, order: 4) { b, x in try b.apply(.pow, x, constant(&b, 3)) }
        expectEqual(c, [0, 0, 0, 1, 0])
        let d = try series(2, order: 3) { b, x in try b.apply(.pow, x, constant(&b, 0.5)) }
        // √x around 2: √2, 1/(2√2), −1/(8·2√2), 1/(16·4√2).
        let r = 2.0.squareRoot()
        for (k, expected) in [r, 1 / (2 * r), -1 / (16 * r), 1 / (64 * r)].enumerated() {
            expectTrue(isClose(d[k], expected, rel: 1e-13), "k = \(k)")
        }
    }

    @Test func theOrderOneCoefficientIsTheTangent() throws {
        // Dual numbers are jets of order 1: 2 + 1ε times 5 + 0ε is 10 + 5ε.
        let (jet, kink) = try Op.mul.jet(Jet([2, 1]), Jet([5, 0]))
        expectTrue(jet == Jet([10, 5]) && !kink)
    }

    /// Every elementwise op: coefficient 1 is the AD derivative and coefficient 2 is half a
    /// central second difference, at random points of its domain (x in the first operand,
    /// the second a constant).
    @Test(arguments: Op.allCases.filter { $0.kind == .unary || $0.kind == .binary })
    func everyElementwiseOpMatchesADAndSecondDifferences(op: Op) throws {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<6 {
            let domain: ClosedRange<Double> = switch op {
            case .ln, .sqrt, .pow: 0.4...3
            case .atanh: -0.8...0.8
            case .tan: -1...1
            case .lgamma, .digamma: 0.3...4
            default: -2...2
            }
            var x = Double.random(in: domain, using: &rng)
            if op.kinkSide != nil && abs(x) < 0.05 { x += 0.1 }
            let second = op == .leakyRelu ? 0.1 : Double.random(in: 0.5...2, using: &rng)
            let tape = try scalarTape(x) { b, v in
                op.kind == .unary ? try b.apply(op, v) : try b.apply(op, v, constant(&b, second))
            }
            let t = try TaylorMode(tape, slot: 0, order: 2)
            let ad = tape.adjoints(values: tape.evaluate())[0]
            let h = 1e-4
            let fd2 = (value(tape, at: x + h) - 2 * value(tape, at: x) + value(tape, at: x - h)) / (h * h)
            expectEqual(t.coefficients[0], value(tape, at: x))
            expectTrue(isClose(t.coefficients[1], ad, rel: 1e-12, abs: 1e-14), "\(op.name) at \(x)")
            expectTrue(isClose(t.coefficients[2], fd2 / 2, rel: 1e-4, abs: 1e-6), "\(op.name) at \(x): c₂ \(t.coefficients[2]), f″/2 \(fd2 / 2)")
            expectTrue(t.kinks.isEmpty)
        }
    }

    @Test func theExponentCanMoveToo() throws {
        // x^x = exp(x ln x): d/dx = x^x (ln x + 1).
        let c = try series(1.5, order: 2) { b, x in try b.apply(.pow, x, x) }
        expectTrue(isClose(c[1], pow(1.5, 1.5) * (log(1.5) + 1), rel: 1e-13))
    }

    @Test(arguments: 0..<60)
    func randomSmoothExpressionsAgreeWithADAndFiniteDifferences(seed: Int) throws {
        var gen = SmoothExpressions(rng: SplitMix64(seed: UInt64(seed)))
        var rng = SplitMix64(seed: UInt64(seed) &+ 77)
        let x = Double(rng.next() % 2001) / 1000 - 1
        let tape = try gen.tape(at: x)
        let t = try TaylorMode(tape, slot: 0, order: 3)
        let ad = tape.adjoints(values: tape.evaluate())[0]
        let h = 1e-4
        let f = { value(tape, at: $0) }
        let fd2 = (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)
        let scale = max(1, abs(f(x)))
        expectTrue(isClose(t.coefficients[1], ad, rel: 1e-11, abs: 1e-13), "seed \(seed)")
        expectTrue(abs(t.coefficients[2] - fd2 / 2) <= 1e-5 * scale + 1e-4 * abs(fd2), "seed \(seed): c₂ \(t.coefficients[2]) vs \(fd2 / 2)")
        // c₃ against the derivative of c₂·2 by a central difference of second differences.
        let g = { (y: Double) in try TaylorMode(tape.moved(to: y), slot: 0, order: 2).coefficients[2] * 2 }
        let fd3 = (try g(x + h) - (try g(x - h))) / (2 * h)
        expectTrue(abs(t.coefficients[3] - fd3 / 6) <= 1e-6 * max(1, abs(fd3)), "seed \(seed): c₃")
    }

    @Test func kinksAreReported() throws {
        let t = try TaylorMode(scalarTape(0) { b, x in try b.apply(.relu, x) }, slot: 0, order: 2)
        expectEqual(t.coefficients, [0, 0, 0], "PyTorch's relu′(0) = 0")
        expectEqual(t.kinks, [1])
    }

    @Test func tensorOpsAreAClearError() throws {
        var b = TapeBuilder()
        let x = b.leaf(.input, .vector(2), [1, 2], name: "x")
        let output = try b.apply(.sum, x)
        let tape = b.finish(output: output).tape
        #expect(throws: TaylorError.unsupported(.sum)) { try TaylorMode(tape, slot: 0, order: 2) }
        expectContains(TaylorError.unsupported(.sum).description, "'sum' is not supported for taylor")
    }

    @Test func elementwiseOpsOnTensorsBroadcast() throws {
        // y = x · [1, 2] + x, a vector: its first element is 2x.
        var b = TapeBuilder()
        let x = b.leaf(.input, .scalar, [3], name: "x")
        let v = b.leaf(.constant, .vector(2), [1, 2])
        let output = try b.apply(.add, b.apply(.mul, x, v), x)
        let tape = b.finish(output: output).tape
        try expectEqual(TaylorMode(tape, slot: 0, order: 2).coefficients, [6, 2, 0])
    }

    @Test func polynomialText() {
        expectEqual(TaylorMode.polynomial([1, 1, 0.5], variable: "x", at: 0), "1 + x + 0.5*x^2")
        expectEqual(TaylorMode.polynomial([0, -1, 0, 2], variable: "x", at: 0), "-x + 2*x^3")
        expectEqual(TaylorMode.polynomial([2, 3], variable: "t", at: 1.5), "2 + 3*(t - 1.5)")
        expectEqual(TaylorMode.polynomial([2, -3], variable: "t", at: -1), "2 - 3*(t + 1)")
        expectEqual(TaylorMode.polynomial([0, 0], variable: "x", at: 0), "0")
        expectEqual(TaylorMode.polynomial([2, .infinity, 1], variable: "x", at: 0), "2", "stops at ∞")
    }
}

extension Tape {
    /// The tape with its first leaf (a scalar) moved to `x`.
    func moved(to x: Double) -> Tape {
        var t = self
        t.setLeafValues(0, [x])
        return t
    }
}
