import Foundation
@testable import GraphCore
import Testing
import TestSupport

@Suite("f and f′ samples for plots")
struct FunctionSamplesTests {
    @Test func valuesAndDerivativesAtEvenlySpacedPoints() throws {
        let tape = try scalarTape(0) { b, x in try b.apply(.sin, x) }
        let s = FunctionSamples(tape, slot: 0, from: -1, to: 1, count: 5)
        expectEqual(s.xs, [-1, -0.5, 0, 0.5, 1])
        expectEqual(s.values, s.xs.map { sin($0) })
        expectEqual(s.derivatives, s.xs.map { cos($0) })
        expectTrue(s.kinks.isEmpty && s.undefined.isEmpty)
    }

    @Test func aKinkBetweenSamplesIsLocatedByBisection() throws {
        // relu(x − 0.3): the kink is at 0.3, between samples 0.25 and 0.5.
        let tape = try scalarTape(0) { b, x in try b.apply(.relu, b.apply(.sub, x, constant(&b, 0.3))) }
        let s = FunctionSamples(tape, slot: 0, from: -1, to: 1, count: 9)
        expectEqual(s.kinks.count, 1)
        expectTrue(abs(s.kinks[0] - 0.3) < 1e-9)
        expectTrue(abs(s.kinkValues[0]) < 1e-9)
    }

    @Test func aKinkOnASampleIsFound() throws {
        let tape = try scalarTape(0) { b, x in try b.apply(.abs, x) }
        let s = FunctionSamples(tape, slot: 0, from: -1, to: 1, count: 3)
        expectEqual(s.kinks, [0])
    }

    @Test func undefinedPointsAreListedAndTheirDerivativeIsNaN() throws {
        let tape = try scalarTape(1) { b, x in try b.apply(.ln, x) }
        let s = FunctionSamples(tape, slot: 0, from: -1, to: 1, count: 5)
        expectEqual(s.undefined, [-1, -0.5, 0])
        expectTrue(s.derivatives[0].isNaN)
        expectEqual(s.derivatives[4], 1)
    }
}

@Suite("Samples over the widest ranges")
struct WideRangeSampleTests {
    /// −1e308 … 1e308 is 2e308 wide, more than the largest Double: x = a + (b − a)·t would be
    /// NaN everywhere. a·(1 − t) + b·t stays finite, ends exactly at both ends and is even.
    @Test func samplesOfARangeWiderThanTheLargestDoubleAreFinite() throws {
        let tape = try scalarTape(0) { b, x in try b.apply(.neg, x) }
        let s = FunctionSamples(tape, slot: 0, from: -1e308, to: 1e308, count: 5)
        expectEqual(s.xs, [-1e308, -5e307, 0, 5e307, 1e308])
        expectEqual(s.values, s.xs.map { -$0 })
        expectTrue(s.undefined.isEmpty)
    }
}
