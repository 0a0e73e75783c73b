import GraphCore
import Testing
import TestSupport

/// Operand shapes and the domain to draw values from, for one op.
struct OpCase: CustomTestStringConvertible, Sendable {
    var op: Op
    var shapes: [Shape]
    var domains: [ClosedRange<Double>]
    /// Kernel size, stride, padding or channel axis of a convolution or pooling op.
    var window: Window = .none
    /// The shape `reshape` or an axis op gives.
    var target: Shape?
    var testDescription: String {
        "\(op.name)\(shapes)" + (window == .none ? "" : " k\(window.kernel) s\(window.stride) p\(window.padding) axis \(window.axis)")
            + (target.map { " to \($0)" } ?? "")
    }
}

/// Every non-leaf op, on each operand shape it accepts, with values from its domain.
let opCases: [OpCase] = Op.allCases.flatMap { op -> [OpCase] in
    let wide: ClosedRange<Double> = -3...3, positive: ClosedRange<Double> = 0.2...3
    switch op.kind {
    case .leaf: return []
    case .unary:
        let d: ClosedRange<Double> = switch op {
        case .ln, .sqrt: positive
        case .atanh: -0.9...0.9
        // Left of 0 too, between the poles at −1 and 0 (ln|Γ| and ψ are smooth there).
        case .lgamma, .digamma: -0.8...4
        case .tan: -1.2...1.2
        default: wide
        }
        return [[.scalar], [.vector(3)], [.matrix(2, 2)]].map { OpCase(op: op, shapes: $0, domains: [d]) }
    case .binary:
        let d: [ClosedRange<Double>] = switch op {
        case .div: [wide, 0.5...3]
        case .pow: [positive, -2...2]
        case .leakyRelu: [wide, 0.01...0.3]
        default: [wide, wide]
        }
        return [[.scalar, .scalar], [.vector(3), .scalar], [.scalar, .vector(3)], [.vector(3), .vector(3)],
                [.matrix(2, 3), .vector(3)]].map { OpCase(op: op, shapes: $0, domains: d) }
    case .tensor:
        switch op {
        case .matmul:
            return [[.matrix(2, 3), .matrix(3, 2)], [.matrix(2, 3), .vector(3)], [.vector(2), .matrix(2, 3)],
                    [.vector(3), .vector(3)]].map { OpCase(op: op, shapes: $0, domains: [wide, wide]) }
        case .crossEntropy:
            return [OpCase(op: op, shapes: [.vector(3), .vector(3)], domains: [0.1...1, 0...1])]
        case .mse:
            return [[.vector(3), .vector(3)], [.vector(3), .scalar]].map { OpCase(op: op, shapes: $0, domains: [wide, wide]) }
        // Convolution and pooling: with and without a batch, strides and padding.
        case .conv1d:
            return [([[2, 5], [3, 2, 2]], Window()), ([[2, 2, 5], [3, 2, 3]], Window(stride: 2, padding: 1))].map {
                OpCase(op: op, shapes: $0.0.map(Shape.tensor), domains: [wide, wide], window: $0.1)
            }
        case .conv2d:
            return [([[2, 4, 4], [3, 2, 2, 2]], Window()), ([[2, 2, 5, 4], [2, 2, 3, 3]], Window(stride: 2, padding: 1)),
                    ([[1, 3, 3], [2, 1, 3, 2]], Window(stride: 1, padding: 2))].map {
                OpCase(op: op, shapes: $0.0.map(Shape.tensor), domains: [wide, wide], window: $0.1)
            }
        case .maxpool2d, .avgpool2d:
            return [([2, 4, 4], Window(kernel: 2, stride: 2)), ([2, 1, 5, 5], Window(kernel: 3, stride: 1)),
                    ([1, 4, 5], Window(kernel: 2, stride: 1))].map {
                OpCase(op: op, shapes: [.tensor($0.0)], domains: [wide], window: $0.1)
            }
        case .biasAdd:
            return [([3, 2, 2], 0), ([2, 3, 2, 2], 1), ([3, 4], 0), ([2, 3, 4], 1)].map {
                OpCase(op: op, shapes: [.tensor($0.0), .vector(3)], domains: [wide, wide], window: Window(axis: $0.1))
            }
        case .reshape:
            return [([2, 3, 2, 2], [6, 4]), ([24], [2, 3, 4]), ([2, 12], [2, 3, 2, 2]), ([3, 2, 2], [12])].map {
                OpCase(op: op, shapes: [.tensor($0.0)], domains: [wide], target: .tensor($0.1))
            }
        // Layers: ĥ of batches of 2…4 rows (a batch of one is refused, as PyTorch refuses it)
        // and of 1…4 rows or a vector for layer norm, 1…5 features; ε, the second operand, > 0.
        case .batchNorm:
            return (2...4).flatMap { n in (1...5).map { c in
                OpCase(op: op, shapes: [.matrix(n, c), .scalar], domains: [wide, 0.01...0.5])
            } }
        case .layerNorm:
            let shapes = (1...5).map { Shape.vector($0) } + (1...4).flatMap { n in (1...5).map { Shape.matrix(n, $0) } }
            return shapes.map { OpCase(op: op, shapes: [$0, .scalar], domains: [wide, 0.01...0.5]) }
        // Indexing: the index tensor a constant of whole numbers (all the same row, so the
        // VJP adds every copy's share into it), from a vector, a matrix and a rank-3 tensor.
        case .gather:
            return [([Shape.vector(4), .vector(3)], 2...2), ([.matrix(3, 2), .vector(4)], 1...1),
                    ([.matrix(3, 2), .matrix(2, 2)], 0...0), ([.tensor([2, 2, 3]), .scalar], 1...1)].map {
                OpCase(op: op, shapes: $0.0, domains: [wide, $0.1])
            }
        // Along an axis: slices that keep the axis and that drop it, at every rank; concat
        // along each axis; sums with the axis dropped and kept. Targets worked out by hand.
        case .along(.slice):
            return [([4], 0, 1, [2]), ([3, 4], 1, 1, [3, 2]), ([3, 4], 0, 2, [4]), ([2, 3, 2, 2], 1, 1, [2, 2, 2, 2]),
                    ([2, 3, 4], 2, 3, [2, 3])].map {
                OpCase(op: op, shapes: [.tensor($0.0)], domains: [wide], window: .along(axis: $0.1, start: $0.2), target: .tensor($0.3))
            }
        case .along(.concat):
            return [([4], [2], 0, [6]), ([2, 3], [2, 2], 1, [2, 5]), ([2, 3], [1, 3], 0, [3, 3]),
                    ([2, 1, 3, 2], [2, 2, 3, 2], 1, [2, 3, 3, 2])].map {
                OpCase(op: op, shapes: [.tensor($0.0), .tensor($0.1)], domains: [wide, wide], window: .along(axis: $0.2), target: .tensor($0.3))
            }
        case .along(.sum):
            return [([4], 0, []), ([3, 4], 0, [4]), ([3, 4], 1, [3, 1]), ([2, 3, 2, 2], 2, [2, 3, 2]), ([2, 3, 4], 1, [2, 1, 4])].map {
                OpCase(op: op, shapes: [.tensor($0.0)], domains: [wide], window: .along(axis: $0.1), target: .tensor($0.2))
            }
        default:
            return [[.vector(4)], [.matrix(2, 3)], [.scalar]].map { OpCase(op: op, shapes: $0, domains: [wide]) }
        }
    }
}

/// `sum(op(leaves) * w)` with random constant weights `w`, so every element of a tensor
/// result is weighted differently and the check covers the whole Jacobian.
func scalarised(_ c: OpCase, _ rng: inout SplitMix64) throws -> Tape {
    var b = TapeBuilder()
    let leaves = zip(c.shapes, c.domains).enumerated().map { k, sd in
        // A gather's positions are constants, not values the output varies smoothly with.
        b.leaf(c.op == .gather && k == 1 ? .constant : .input, sd.0, (0..<sd.0.count).map { _ in Double.random(in: sd.1, using: &rng) }, name: "x\(k)")
    }
    let y = if let target = c.target {
        try b.apply(c.op, leaves[0], leaves.count > 1 ? leaves[1] : nil, window: c.window, shape: target)
    } else {
        try b.apply(c.op, leaves[0], leaves.count > 1 ? leaves[1] : nil, window: c.window)
    }
    let shape = b.shape(of: y)
    if shape.isScalar { return b.finish(output: y).tape }
    let w = b.leaf(.constant, shape, (0..<shape.count).map { _ in Double.random(in: -2...2, using: &rng) })
    let out = try b.apply(.sum, [b.apply(.mul, [y, w])], name: "L")
    return b.finish(output: out).tape
}

@Test(arguments: opCases)
func reverseModeMatchesCentralDifferences(_ c: OpCase) throws {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<4 {
        let tape = try scalarised(c, &rng)
        for r in GradientCheck.check(tape) where !r.nearKink {
            expectTrue(r.relativeError < 1e-6 || Swift.abs(r.analytic - r.numeric) < 1e-8, "\(c.op.name): analytic \(r.analytic), numeric \(r.numeric)")
        }
    }
}

@Test(arguments: opCases)
func forwardModeMatchesReverseMode(_ c: OpCase) throws {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<4 {
        let tape = try scalarised(c, &rng)
        let v = tape.evaluate()
        let g = tape.adjoints(values: v)
        let out = Int(tape.entries[tape.output].offset)
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count {
                var direction = [Double](repeating: 0, count: e.count)
                direction[k] = 1
                let t = tape.tangents(values: v, seed: tape.tangentSeed(leaf: leaf, direction: direction))
                expectTrue(isClose(t[out], g[Int(e.offset) + k], rel: 1e-12, abs: 1e-14), "\(c.op.name) leaf \(leaf)[\(k)]: tangent \(t[out]) vs adjoint \(g[Int(e.offset) + k])")
            }
        }
    }
}

@Test func kinksFollowPyTorchAndAreMarked() {
    expectEqual(Op.relu.partials(0, 0, 0).0, 0)
    expectEqual(Op.abs.partials(0, 0, 0).0, 0)
    expectTrue(Op.max.partials(2, 2, 2) == (0.5, 0.5))
    expectTrue(Op.relu.isKink(0, 0) && !Op.relu.isKink(1e-300, 0))
    expectTrue(Op.max.isKink(1, 1) && !Op.max.isKink(1, 2))
    expectEqual(Op.step.partials(3, 0, 1).0, 0)
}

@Test func nanAndInfinityPropagateWithoutTrapping() throws {
    var b = TapeBuilder()
    let x = b.leaf(.input, .scalar, [-1], name: "x")
    let y = try b.apply(.sqrt, [x])            // NaN
    let z = try b.apply(.div, [b.leaf(.constant, .scalar, [1]), b.leaf(.constant, .scalar, [0])])  // +inf
    let s = try b.apply(.add, [y, z])
    let tape = b.finish(output: s).tape
    let v = tape.evaluate()
    expectTrue(v[Int(tape.entries[tape.output].offset)].isNaN)
    expectTrue(tape.adjoints(values: v)[0].isNaN)
}

@Test func shapeErrorsNameBothShapes() {
    var b = TapeBuilder()
    let m = b.leaf(.input, .matrix(2, 3), [Double](repeating: 1, count: 6))
    let v = b.leaf(.input, .vector(2), [1, 2])
    #expect(throws: ShapeError.self) { try b.apply(.add, [m, v]) }
    do { _ = try b.apply(.matmul, [m, v]) } catch {
        expectTrue(error.description.contains("[2×3]") && error.description.contains("[2]"))
    }
}
