import GraphCore
@testable import GraphExport
import Testing
import TestSupport

/// A tooltip's tensor text stops formatting once it passes its limit; the text must still be
/// the whole tensor's text (`Format.tensor`) cut after `limit` characters with " …".
@Suite("Tooltip tensor text")
struct TooltipTextTests {
    /// The definition: every element formatted, then cut.
    static func reference(_ v: ArraySlice<Double>, _ shape: Shape, digits: Int, limit: Int) -> String {
        let text = Format.tensor(v, shape) { Format.short($0, digits: digits) }
        return text.count > limit ? String(text.prefix(limit)) + " …" : text
    }

    @Test(arguments: [0, 1, 5, 17, 60, 400, 4000])
    func wholeIsTheFullTextCutAtTheLimit(limit: Int) {
        var rng = SplitMix64(seed: UInt64(limit) + 7)
        let specials: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1e-300, -2.5e17, 123456789]
        for _ in 0..<150 {
            let rank = Int.random(in: 0...4, using: &rng)
            var dims = (0..<rank).map { _ in Int.random(in: 1...5, using: &rng) }
            // An empty vector or matrix (the ranks whose extents may be 0).
            if rank == 1 || rank == 2, Int.random(in: 0..<6, using: &rng) == 0 { dims[rank - 1] = 0 }
            let shape = Shape.tensor(dims)
            let buffer = (0..<shape.count + 3).map { _ in
                Int.random(in: 0..<5, using: &rng) == 0 ? specials.randomElement(using: &rng)!
                    : Double.random(in: -1000...1000, using: &rng) / Double(Int.random(in: 1...10_000, using: &rng))
            }
            // A slice that does not start at 0, as a node's value inside a tape's buffer.
            let v = buffer[2 ..< 2 + shape.count]
            let digits = Int.random(in: 1...8, using: &rng)
            expectEqual(Scene.whole(v, shape, digits: digits, limit: limit), Self.reference(v, shape, digits: digits, limit: limit), "\(dims), digits \(digits)")
        }
    }

    @Test func aLargeTensorIsCutAfterTheLimit() {
        let shape = Shape.tensor([1, 3, 32, 32])
        let v = (0..<shape.count).map { Double($0) / 7 }[...]
        let text = Scene.whole(v, shape, digits: 6, limit: 4000)
        expectEqual(text, Self.reference(v, shape, digits: 6, limit: 4000))
        expectTrue(text.count == 4002 && text.hasPrefix("[[[[0, 0.142857, 0.285714, ") && text.hasSuffix(" …"))
    }
}
