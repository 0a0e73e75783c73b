import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Rank-3/4 literals and the convolution and pooling calls in the graph language: shapes,
/// positional and keyword arguments, `--set`, and sizes typed to overflow.
@Suite("Convolution and pooling in the graph language")
struct ConvolutionLanguageTests {
    func tape(_ text: String, values: [(name: String, text: String)] = []) throws -> Tape {
        try GraphLoader.load(SourceFile(name: "test.grad", text: text), graphName: "test", mode: .file, values: values).get().tape
    }

    func shape(_ tape: Tape, _ name: String) -> Shape? {
        tape.names.firstIndex(of: name).map { tape.entries[$0].shape }
    }

    @Test func literalsOfRankThreeAndFourKeepTheirExtents() throws {
        let t = try tape("input x = [[[[1, 2, 3], [4, 5, 6]]], [[[7, 8, 9], [10, 11, 12]]]]\ny = sum(x * x)")
        expectEqual(shape(t, "x"), .tensor([2, 1, 2, 3]))
        expectEqual(Array(t.leafValues(0)), (1...12).map(Double.init))
        let set = try tape("input x = 1\ny = sum(x * x)", values: [("x", "[[[1, 2]], [[3, 4]], [[5, 6]]]")])
        expectEqual(shape(set, "x"), .tensor([3, 1, 2]))
    }

    @Test func strideAndPaddingByPositionOrKeywordAreTheSame() throws {
        let head = "input x = randn([1, 2, 5, 5], 1)\nparam w = randn([3, 2, 3, 3], 2)\nparam b = [0.1, 0.2, 0.3]\n"
        let positional = try tape(head + "h = conv2d(x, w, b, 2, 1)\ny = sum(h * h)")
        let keywords = try tape(head + "h = conv2d(x, w, b, padding=1, stride=2)\ny = sum(h * h)")
        expectEqual(shape(positional, "h"), .tensor([1, 3, 3, 3]))
        expectEqual(positional.evaluate(), keywords.evaluate())
        // maxpool2d's stride is its kernel size unless given.
        let pooled = try tape("input x = randn([2, 6, 6], 3)\np = maxpool2d(x, 3)\nq = avgpool2d(x, 3, stride=1)\ny = sum(p) + sum(q)")
        expectTrue(shape(pooled, "p") == .tensor([2, 2, 2]) && shape(pooled, "q") == .tensor([2, 4, 4]))
    }

    @Test func reshapeAndFlattenGoToAndFromRankFour() throws {
        let t = try tape("input x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\nT = reshape(x, [1, 3, -1, 2])\nf = flatten(T * 2)\ny = sum(f)")
        expectTrue(shape(t, "T") == .tensor([1, 3, 2, 2]) && shape(t, "f") == .vector(12))
        let g = t.adjoints(values: t.evaluate())
        expectEqual(Array(g[0..<12]), [Double](repeating: 2, count: 12))
    }

    @Test func indexingTheLeadingAxesPicksAnImageOrAChannel() throws {
        let t = try tape("input x = [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]]\n"
            + "image = x[1]\nplane = x[1, 0, :, :]\npixel = x[-1, 1, 0, 1]\ny = sum(image) + sum(plane * plane) + pixel")
        let v = t.evaluate()
        func value(_ name: String) -> (Shape, [Double]) {
            let e = t.entries[t.names.firstIndex(of: name)!]
            return (e.shape, Array(v[Int(e.offset) ..< Int(e.offset) + e.count]))
        }
        expectTrue(value("image").0 == .tensor([2, 2, 2]) && value("image").1 == [9, 10, 11, 12, 13, 14, 15, 16])
        expectTrue(value("plane").0 == .matrix(2, 2) && value("plane").1 == [9, 10, 11, 12])
        expectTrue(value("pixel").0 == .scalar && value("pixel").1 == [14])
        // ∂y/∂x: 0 outside x[1]; 1 + 2·x on the plane x[1, 0]; 1 + 1 at x[1, 1, 0, 1].
        let g = Array(t.adjoints(values: v)[0..<16])
        expectEqual(g, [0, 0, 0, 0, 0, 0, 0, 0, 19, 21, 23, 25, 1, 2, 1, 1])
        expectEqual(loweringErrors("input x = zeros([2, 2, 2])\ny = sum(x[:, 2])")?
            .contains("index 2 is out of range for an axis of 2 elements"), true)
        expectEqual(loweringErrors("input x = zeros([2, 2, 2])\ny = sum(x[0, 0, 0, 0])")?
            .contains("4 subscripts for a tensor of rank 3"), true)
    }

    /// Any mix of positions and slices on any axis of a rank-4 tensor, as NumPy reads them,
    /// against the elements picked by loops written here; the adjoint is 1 exactly at them.
    @Test(arguments: [":, 1", "0, :, 1", ":, :, :, 1", "-1", ":, 0:2", ":, :, 1:", "1, 1:3, :, 0", ":, -1, 1"])
    func subscriptsOnAnyAxisOfAnImageBatch(_ subscripts: String) throws {
        let dims = [2, 3, 2, 2]
        let t = try tape("input x = zeros(\(dims))\ny = x[\(subscripts)]")
        var tape = t
        tape.setLeafValues(0, (0..<24).map(Double.init))
        let v = tape.evaluate()
        let out = tape[tape.output]
        // Each subscript as the positions it keeps along its axis (nil: the axis is dropped).
        let parts = subscripts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var kept: [[Int]] = [], dropped: [Bool] = []
        for (axis, extent) in dims.enumerated() {
            let part = axis < parts.count ? parts[axis] : ":"
            if part.contains(":") {
                let bounds = part.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                let lower = bounds[0].map { $0 < 0 ? $0 + extent : $0 } ?? 0
                let upper = bounds.count > 1 ? (bounds[1].map { $0 < 0 ? $0 + extent : $0 } ?? extent) : extent
                kept.append(Array(lower..<upper))
                dropped.append(false)
            } else {
                let i = Int(part)!
                kept.append([i < 0 ? i + extent : i])
                dropped.append(true)
            }
        }
        var expected: [Double] = []
        for a in kept[0] { for b in kept[1] { for c in kept[2] { for d in kept[3] {
            expected.append(Double(((a * 3 + b) * 2 + c) * 2 + d))
        } } } }
        let shape = zip(kept, dropped).filter { !$0.1 }.map { $0.0.count }
        expectEqual(out.shape, .tensor(shape), "\(subscripts)")
        expectEqual(Array(v[Int(out.offset) ..< Int(out.offset) + out.count]), expected, "\(subscripts)")
        let g = Array(tape.adjoints(values: v)[0..<24])
        expectEqual((0..<24).filter { g[$0] == 1 }.map(Double.init), expected.sorted(), "\(subscripts)")
        expectTrue(g.allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test func kaimingOfAConvolutionWeightUsesCTimesTheKernelAsFanIn() throws {
        let t = try tape("param w = kaiming([64, 3, 3, 3], 1)\ny = sum(w * w)")
        let w = Array(t.leafValues(0))
        expectEqual(shape(t, "w"), .tensor([64, 3, 3, 3]))
        // N(0, 2/fan_in) with fan_in = 3·3·3 = 27: the sample variance of 1,728 draws is near 2/27.
        let variance = w.map { $0 * $0 }.reduce(0, +) / Double(w.count)
        expectTrue(abs(variance - 2.0 / 27) < 0.2 * 2.0 / 27)
    }

    @Test(arguments: [
        ("input x = [1, 2]\ny = sum(reshape(x, [999999999, 999999999, 999999999, -1]))", "cannot reshape 2 elements"),
        ("param W = zeros([1000000, 1000000, 1000000, 1000000])\ny = sum(W)", "a tensor may have at most 1,000,000"),
        ("input x = zeros([1, 1, 1000, 1000])\nparam w = zeros([2, 1, 1, 1])\ny = sum(conv2d(x, w))", "[1×2×1000×1000] tensor would have 2,000,000 elements; a tensor may have at most 1,000,000"),
        ("input x = zeros([70000, 2, 2])\ny = sum(x)", "leading extent over 65,535"),
        ("input x = zeros([1, 4, 4])\ny = sum(maxpool2d(x, 256))", "the kernel size must be a whole number from 1 to 255, got 256"),
    ])
    func sizesThatWouldOverflowAreClearErrors(source: String, message: String) {
        let errors = loweringErrors(source) ?? ""
        expectContains(errors, message, "\(errors)")
    }
}
