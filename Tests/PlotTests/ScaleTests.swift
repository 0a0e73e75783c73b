import Foundation
import Plot
import Testing

@Suite("Plot scales: fitting, positions, ticks")
struct ScaleTests {
    @Test func linearFitCoversTheDataAndMapsEndsToZeroAndOne() {
        let s = Scale(fitting: [-2, 0.5, 3, .nan, .infinity], log: false)
        #expect(s.lower == -2 && s.upper == 3)
        #expect(s.position(-2) == 0)
        #expect(s.position(3) == 1)
        #expect(s.position(0.5) == 0.5)
        #expect(s.position(.nan) == nil)
    }

    @Test func logFitRoundsOutToWholeDecades() {
        let s = Scale(fitting: [3e-7, 0.02, 0, -1], log: true)
        #expect(s.lower == -7 && s.upper == -1, "non-positive values cannot sit on a log axis")
        #expect(s.position(1e-4)! == 0.5)
        #expect(s.position(0) == nil)
        let ticks = s.ticks(6)
        #expect(ticks.count == 7, "one tick per decade from 1e-7 to 1e-1")
        #expect(zip(ticks, [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
        #expect(s.label(1e-5) == "1e-5")
    }

    @Test func linearTicksAreRoundNumbersInsideTheAxis() {
        let s = Scale(lower: -2, upper: 2, log: false)
        #expect(s.ticks(4) == [-2, -1, 0, 1, 2])
        let t = Scale(lower: 0, upper: 7.3, log: false).ticks(3)
        #expect(t == [0, 5], "steps of 1, 2 or 5 × 10ᵏ, at least as wide as the range / count")
    }

    @Test func aSingleValueGetsAUnitEitherSide() {
        let s = Scale(fitting: [4, 4], log: false)
        #expect(s.lower == 3 && s.upper == 5)
    }

    @Test func robustRangeLeavesOutAPole() throws {
        // 1/(1 − x) over [0, 2): one huge spike near 1 must not flatten the rest.
        let xs: [Double] = (0..<201).map { (k: Int) -> Double in Double(k) / 100 }.filter { (x: Double) -> Bool in x != 1 }
        let ys: [Double] = xs.map { (x: Double) -> Double in 1 / (1 - x) }
        let range = try #require(Plot.robustRange(ys))
        #expect(range.upperBound < 100 && range.lowerBound > -100)
        let inside: Int = ys.filter { (y: Double) -> Bool in range.contains(y) }.count
        #expect(inside > ys.count * 9 / 10)
    }

    @Test func numbersHaveThreeSignificantDigitsAndATrueMinus() {
        #expect(Plot.number(0.5) == "0.5")
        #expect(Plot.number(-2) == "−2")
        #expect(Plot.number(3.14159) == "3.14")
        #expect(Plot.number(0) == "0")
    }
}
