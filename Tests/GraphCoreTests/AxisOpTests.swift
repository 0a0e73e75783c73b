import GraphCore
import Testing
import TestSupport

// The axis ops (`slice`, `concat`, `sum_axis`) against hand loops over explicit indices: on a
// [2×3×4×5] tensor along each axis, the values, and the gradient of Σ w ⊙ y (w random), which
// for a linear op is the transpose of the hand loop applied to w.

/// Element (i₀, i₁, i₂, i₃) of a row-major tensor of extents `dims`.
private func at(_ index: [Int], _ dims: [Int]) -> Int {
    zip(index, dims).reduce(0) { $0 * $1.1 + $1.0 }
}

/// Every index of a tensor of extents `dims`, in row-major order.
private func indices(_ dims: [Int]) -> [[Int]] {
    dims.reduce([[]]) { partial, d in partial.flatMap { i in (0..<d).map { i + [$0] } } }
}

private struct Weighted {
    var tape: Tape
    var values: [Double]
    var gradient: [[Double]]
    var output: [Double]

    /// `sum(op(leaves) * w)`: the op's values and each leaf's gradient (w itself for the sum).
    init(_ op: Op, _ leaves: [(Shape, [Double])], window: Window, shape: Shape, w: [Double]) throws {
        var b = TapeBuilder()
        let ids = leaves.map { b.leaf(.input, $0.0, $0.1) }
        let y = try b.apply(op, ids[0], ids.count > 1 ? ids[1] : nil, window: window, shape: shape)
        let weights = b.leaf(.constant, shape, w)
        let loss = try b.apply(.sum, [b.apply(.mul, [y, weights])])
        let (tape, order) = b.finish(output: loss)
        self.tape = tape
        values = tape.evaluate()
        let g = tape.adjoints(values: values)
        let ye = tape.entries[order[y.raw]]
        output = Array(values[Int(ye.offset) ..< Int(ye.offset) + ye.count])
        gradient = ids.map { id in
            let e = tape.entries[order[id.raw]]
            return Array(g[Int(e.offset) ..< Int(e.offset) + e.count])
        }
    }
}

@Suite("Axis ops against hand loops")
struct AxisOpTests {
    static let dims = [2, 3, 4, 5]

    static func random(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
        (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
    }

    @Test(arguments: 0..<4)
    func sliceKeepsAndDropsAnAxis(axis: Int) throws {
        var rng = SplitMix64(seed: UInt64(axis))
        let x = Self.random(120, &rng), d = Self.dims
        for (start, count, drop) in [(1, 1, true), (1, d[axis] - 1, false), (0, 1, false)] {
            var outDims = d
            if drop { outDims.remove(at: axis) } else { outDims[axis] = count }
            let shape = Shape.tensor(outDims), w = Self.random(shape.count, &rng)
            let r = try Weighted(.slice, [(.tensor(d), x)], window: .along(axis: axis, start: start), shape: shape, w: w)
            var expected = [Double](), gradient = [Double](repeating: 0, count: 120)
            for (k, index) in indices(outDims).enumerated() {
                var source = index
                if drop { source.insert(start, at: axis) } else { source[axis] += start }
                expected.append(x[at(source, d)])
                gradient[at(source, d)] += w[k]
            }
            expectEqual(r.output, expected)
            expectEqual(r.gradient[0], gradient)
        }
    }

    @Test(arguments: 0..<4)
    func concatJoinsAndSplits(axis: Int) throws {
        var rng = SplitMix64(seed: 10 + UInt64(axis))
        var db = Self.dims
        db[axis] = 2
        let da = Self.dims, a = Self.random(120, &rng), b = Self.random(db.reduce(1, *), &rng)
        var outDims = da
        outDims[axis] += 2
        let shape = Shape.tensor(outDims), w = Self.random(shape.count, &rng)
        let r = try Weighted(.concat, [(.tensor(da), a), (.tensor(db), b)], window: .along(axis: axis), shape: shape, w: w)
        var expected = [Double](), ga = [Double](repeating: 0, count: a.count), gb = [Double](repeating: 0, count: b.count)
        for (k, index) in indices(outDims).enumerated() {
            if index[axis] < da[axis] {
                expected.append(a[at(index, da)])
                ga[at(index, da)] += w[k]
            } else {
                var j = index
                j[axis] -= da[axis]
                expected.append(b[at(j, db)])
                gb[at(j, db)] += w[k]
            }
        }
        expectEqual(r.output, expected)
        expectEqual(r.gradient, [ga, gb])
    }

    @Test(arguments: 0..<4)
    func sumAlongAnAxisWithAndWithoutKeepdim(axis: Int) throws {
        var rng = SplitMix64(seed: 20 + UInt64(axis))
        let x = Self.random(120, &rng), d = Self.dims
        for keep in [false, true] {
            var outDims = d
            if keep { outDims[axis] = 1 } else { outDims.remove(at: axis) }
            let shape = Shape.tensor(outDims), w = Self.random(shape.count, &rng)
            let r = try Weighted(.sumAxis, [(.tensor(d), x)], window: .along(axis: axis), shape: shape, w: w)
            var expected = [Double](repeating: 0, count: shape.count), gradient = [Double](repeating: 0, count: 120)
            for index in indices(d) {
                var target = index
                if keep { target[axis] = 0 } else { target.remove(at: axis) }
                let k = at(target, outDims)
                expected[k] += x[at(index, d)]
                gradient[at(index, d)] = w[k]
            }
            // The kernel adds along the axis from the first position on, as this loop does.
            expectTrue(zip(r.output, expected).allSatisfy { Swift.abs($0 - $1) <= 1e-12 })
            expectEqual(r.gradient[0], gradient)
        }
    }

    /// The neuron view rewrites each axis op element by element: its values and gradients
    /// are the tensor tape's.
    @Test func scalarExpansionAgrees() throws {
        var rng = SplitMix64(seed: 99)
        var b = TapeBuilder()
        let x = b.leaf(.input, .tensor([2, 3, 2]), Self.random(12, &rng), name: "x")
        let y = b.leaf(.input, .tensor([2, 1, 2]), Self.random(4, &rng), name: "y")
        let joined = try b.apply(.concat, x, y, window: .along(axis: 1), shape: .tensor([2, 4, 2]))
        let part = try b.apply(.slice, joined, window: .along(axis: 1, start: 1), shape: .tensor([2, 2, 2]))
        let total = try b.apply(.sumAxis, try b.apply(.mul, part, part), window: .along(axis: 2), shape: .tensor([2, 2, 1]))
        let picked = try b.apply(.slice, total, window: .along(axis: 0, start: 1), shape: .tensor([2, 1]))
        let loss = try b.apply(.sum, [b.apply(.sin, [picked])])
        let tape = b.finish(output: loss).tape
        let neurons = try tape.scalarExpansion()
        let v = tape.evaluate(), sv = neurons.tape.evaluate()
        expectEqual(v[Int(tape.entries[tape.output].offset)], sv[Int(neurons.tape.entries[neurons.tape.output].offset)])
        let g = tape.adjoints(values: v), sg = neurons.tape.adjoints(values: sv)
        // The scalar tape's leaves are the tensor leaves' elements, in order.
        let leafGradients = tape.differentiableLeaves.flatMap { i in
            g[Int(tape.entries[i].offset) ..< Int(tape.entries[i].offset) + tape.entries[i].count]
        }
        let scalarGradients = neurons.tape.differentiableLeaves.map { sg[Int(neurons.tape.entries[$0].offset)] }
        expectEqual(leafGradients, scalarGradients)
    }
}
