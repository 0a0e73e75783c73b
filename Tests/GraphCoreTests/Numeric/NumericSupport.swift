import Foundation
@testable import GraphCore
import TestSupport

/// A one-input scalar tape y = f(x) built with `TapeBuilder`, for the numeric tests.
func scalarTape(_ x: Double, _ body: (inout TapeBuilder, NodeID) throws -> NodeID) rethrows -> Tape {
    var b = TapeBuilder()
    let leaf = b.leaf(.input, .scalar, [x], name: "x")
    let y = try body(&b, leaf)
    return b.finish(output: y).tape
}

/// A constant leaf.
func constant(_ b: inout TapeBuilder, _ c: Double) -> NodeID { b.leaf(.constant, .scalar, [c]) }

/// Random smooth scalar expressions of one input, built straight on a tape: every op is
/// analytic on the whole real line (division by 1 + u², exp of a tanh), so derivatives of
/// every order exist everywhere and finite differences have nothing to trip on.
struct SmoothExpressions {
    var rng: SplitMix64

    mutating func node(_ b: inout TapeBuilder, _ x: NodeID, depth: Int) throws -> NodeID {
        if depth == 0 || rng.next() % 6 == 0 {
            return rng.next() % 3 == 0 ? constant(&b, Double(rng.next() % 5) / 2 - 1) : x
        }
        let a = try node(&b, x, depth: depth - 1)
        switch rng.next() % 11 {
        case 0: return try b.apply(.add, a, node(&b, x, depth: depth - 1))
        case 1: return try b.apply(.sub, a, node(&b, x, depth: depth - 1))
        case 2: return try b.apply(.mul, a, node(&b, x, depth: depth - 1))
        case 3:
            let d = try node(&b, x, depth: depth - 1)
            return try b.apply(.div, a, b.apply(.add, constant(&b, 1), b.apply(.mul, d, d)))
        case 4: return try b.apply(.sin, a)
        case 5: return try b.apply(.cos, a)
        case 6: return try b.apply(.tanh, a)
        case 7: return try b.apply(.exp, b.apply(.tanh, a))
        case 8: return try b.apply(.sigmoid, a)
        case 9: return try b.apply(.softplus, a)
        default: return try b.apply(.pow, a, constant(&b, 2))
        }
    }

    /// A tape y = f(x) at `x`, at least one op deep.
    mutating func tape(at x: Double) throws -> Tape {
        var b = TapeBuilder()
        let leaf = b.leaf(.input, .scalar, [x], name: "x")
        var y = try node(&b, leaf, depth: 4)
        if b.op(of: y).kind == .leaf { y = try b.apply(.sin, y) }
        return b.finish(output: y).tape
    }
}

/// The output of a one-input tape at `x`.
func value(_ tape: Tape, at x: Double) -> Double {
    var t = tape
    t.setLeafValues(0, [x])
    return t.evaluate()[Int(t.entries[t.output].offset)]
}
