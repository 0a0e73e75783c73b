import Foundation
import GraphCore
import GraphLanguage
import Symbolic
import Testing
import TestSupport

/// The symbolic derivative must give, at every point where the function is defined, the
/// number reverse mode gives on the tape: over random expressions from the generator the
/// language's own property tests use, and over every elementwise op of the op table.
@Suite("Property: symbolic derivative = reverse mode")
struct DerivativePropertyTests {
    /// Random expressions, three random points each, every input: symbolic = AD, and the
    /// printed derivative, parsed back, evaluates to the same number.
    @Test(arguments: 0..<200)
    func symbolicAgreesWithReverseMode(seed: Int) throws {
        var generator = ExpressionGenerator(rng: SplitMix64(seed: UInt64(seed)))
        var text = generator.expression(depth: 4, allowLeaf: false)
        while generator.used.isEmpty { text = generator.expression(depth: 4, allowLeaf: false) }
        var rng = SplitMix64(seed: UInt64(seed) &+ 7_000_003)
        for _ in 0..<3 {
            var point: [String: Double] = [:]
            for name in generator.used { point[name] = Double(rng.next() % 3001) / 1000 - 1.5 }
            let tape = try loadExpression(text, values: point).tape
            let primal = tape.evaluate()
            guard primal[Int(tape.entries[tape.output].offset)].isFinite else { continue }
            let adjoints = tape.adjoints(values: primal)
            var f = try SymbolicFunction(tape: tape)
            for leaf in tape.differentiableLeaves {
                let name = tape.displayName(leaf), ad = adjoints[Int(tape.entries[leaf].offset)]
                guard ad.isFinite else { continue }
                let d = f.derivative(wrt: name)
                let symbolic = f.terms.evaluate(d, point)
                expectTrue(close(symbolic, ad, rel: 1e-9, abs: 1e-11), "seed \(seed): ∂/∂\(name) of \(text) at \(point): symbolic \(symbolic), AD \(ad)")

                let printed = try f.terms.source(d)
                let used = SymbolicFunction.freeNames(of: printed)
                let reread = try loadExpression(printed, values: point.filter { used.contains($0.key) }).tape
                let value = reread.evaluate()[Int(reread.entries[reread.output].offset)]
                expectTrue(close(value, symbolic, rel: 1e-12, abs: 1e-14), "seed \(seed): \(printed) read back gives \(value), not \(symbolic)")
            }
        }
    }

    /// Every elementwise op, applied to operands that move with both inputs (so the chain
    /// rule's inner tangents are not 1), at random points in the op's domain.
    /// lgamma and digamma have no term rules (their derivatives are the polygamma family, with
    /// no last member): they are refused with that reason instead.
    @Test(arguments: Op.allCases.filter { ($0.kind == .unary || $0.kind == .binary) && $0 != .lgamma && $0 != .digamma })
    func everyOpsRuleAgreesWithReverseMode(op: Op) throws {
        var rng = SplitMix64(seed: UInt64(Op.allCases.firstIndex(of: op)!) &+ 99)
        // ln, sqrt, atanh and a non-integer power need a first operand in (0, 1).
        let positive: Set<Op> = [.ln, .sqrt, .atanh, .pow]
        for _ in 0..<20 {
            let x = Double.random(in: -1.5...1.5, using: &rng), y = Double.random(in: -1.5...1.5, using: &rng)
            var b = TapeBuilder()
            let xs = b.leaf(.input, .scalar, [x], name: "x"), ys = b.leaf(.input, .scalar, [y], name: "y")
            let inner = try b.apply(.sin, b.apply(.mul, xs, ys))
            var a = try b.apply(.mul, inner, b.leaf(.constant, .scalar, [0.4]))
            if positive.contains(op) { a = try b.apply(.add, a, b.leaf(.constant, .scalar, [0.5])) }
            let second = try b.apply(.mul, b.apply(.cos, b.apply(.add, xs, ys)), b.leaf(.constant, .scalar, [0.9]))
            let out = try b.apply(op, a, op.arity == 2 ? second : nil)
            let tape = b.finish(output: out).tape
            let primal = tape.evaluate()
            let adjoints = tape.adjoints(values: primal)
            var f = try SymbolicFunction(tape: tape)
            for leaf in tape.differentiableLeaves {
                let name = tape.displayName(leaf), ad = adjoints[Int(tape.entries[leaf].offset)]
                let d = f.derivative(wrt: name)
                let symbolic = f.terms.evaluate(d, ["x": x, "y": y])
                expectTrue(close(symbolic, ad, rel: 1e-10, abs: 1e-12), "\(op.name): ∂/∂\(name) at x = \(x), y = \(y): symbolic \(symbolic), AD \(ad)")
            }
        }
    }

    /// At a kink the symbolic rules follow the engine's (PyTorch's) conventions exactly.
    @Test(arguments: ["relu(x)", "abs(x)", "step(x)", "max(x, 0)", "min(x, 0)", "leaky_relu(x, 0.1)", "max(x, x)"])
    func kinksFollowTheEnginesConventions(text: String) throws {
        let tape = try loadExpression(text, values: ["x": 0]).tape
        let ad = tape.adjoints(values: tape.evaluate())[Int(tape.entries[tape.differentiableLeaves[0]].offset)]
        var f = try SymbolicFunction(tape: tape)
        let d = f.derivative(wrt: "x")
        expectEqual(f.terms.evaluate(d, ["x": 0]), ad, "\(text) at 0")
    }

    @Test(arguments: [Op.lgamma, .digamma])
    func polygammaFamilyIsRefusedWithItsReason(op: Op) throws {
        var b = TapeBuilder()
        let x = b.leaf(.input, .scalar, [1.5], name: "x")
        let y = try b.apply(op, x)
        do {
            _ = try SymbolicFunction(tape: b.finish(output: y).tape)
            Issue.record("\(op.name) was not refused")
        } catch {
            guard case .polygammaFamily(let refused, _) = error else { Issue.record("\(error)"); return }
            expectEqual(refused, op)
            expectContains(error.description, "polygamma")
        }
    }
}
