import Foundation
import Testing
import TestSupport

/// Convolution and pooling as a script sees them: `info --json` on a conv stack, the VGG11
/// file's shapes and parameter count (each computed here from the formulas), and the README's
/// examples.
@Suite("Convolution and pooling on the command line")
struct ConvolutionCommandTests {
    @Test func infoJSONGivesRankFourShapesAndConvolutionParameterCounts() async throws {
        let r = try await gradstep("info", "-e", "input x = zeros([1, 3, 8, 8]); param w = kaiming([4, 3, 3, 3], 1); param b = zeros([4]); "
            + "y = sum(maxpool2d(relu(conv2d(x, w, b, padding=1)), 2))", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        expectEqual(r.stdout, """
            {"nodes": [{"name": "x", "op": "input", "shape": [1, 3, 8, 8]}, {"name": "w", "op": "param", "shape": [4, 3, 3, 3]}, \
            {"name": "b", "op": "param", "shape": [4]}, {"name": "v₁", "op": "conv2d", "shape": [1, 4, 8, 8]}, \
            {"name": "v₂", "op": "bias_add", "shape": [1, 4, 8, 8]}, {"name": "v₃", "op": "relu", "shape": [1, 4, 8, 8]}, \
            {"name": "v₄", "op": "maxpool2d", "shape": [1, 4, 4, 4]}, {"name": "y", "op": "sum", "shape": []}], \
            "params": {"w": {"shape": [4, 3, 3, 3], "count": 108}, "b": {"shape": [4], "count": 4}}, "param_count": 112}

            """)
    }

    /// The full-size VGG11 features, read for their shapes only: 224, 512 and 704 × 1024
    /// inputs give the course's (1, 512, 7, 7), (1, 512, 16, 16), (1, 512, 22, 32), features[:3]
    /// halves the image into 64 channels, and the parameters are 9,220,480 (the formula, here).
    /// `eval` on the same file is refused at the size limit, as before.
    @Test(arguments: [(224, 224, [1, 512, 7, 7], [1, 64, 112, 112]), (512, 512, [1, 512, 16, 16], [1, 64, 256, 256]),
                      (704, 1024, [1, 512, 22, 32], [1, 64, 352, 512])])
    func fullSizeVGG11IsDescribedFromItsShapesAlone(height: Int, width: Int, features: [Int], block1: [Int]) async throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/full-size/vgg11-features.grad").path
        let r = try await gradstep("info", path, "--set", "x=randn([1, 3, \(height), \(width)], 1)", "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        func shape(_ name: String) -> [Int]? { nodes.first { $0["name"] as? String == name }?["shape"] as? [Int] }
        expectEqual(shape("features"), features)
        expectEqual(shape("block1"), block1)
        expectEqual(nodes.last(where: { ($0["op"] as? String) != "sum" })?["op"] as? String, "maxpool2d")
        let full = [64, 128, 256, 256, 512, 512, 512, 512]
        expectEqual(json["param_count"] as? Int, zip([3] + full.dropLast(), full).reduce(0) { $0 + 9 * $1.0 * $1.1 + $1.1 })
    }

    @Test func fullSizeVGG11IsTooLargeToEvaluate() async throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/full-size/vgg11-features.grad").path
        let r = try await gradstep("eval", path)
        expectEqual(r.status, 1)
        expectContains(r.stderr, "a tensor may have at most 1,000,000")
    }

    /// Its neuron-level picture would need the numbers it was read without: refused with a
    /// message and status 1, as every other graph's scalar view that cannot be drawn (it trapped,
    /// an index out of range while the view evaluated the shapes-only tape).
    @Test func fullSizeVGG11HasNoScalarViewAndSaysWhy() async throws {
        let path = repositoryRoot.appendingPathComponent("Graphs/full-size/vgg11-features.grad").path
        let out = try temporaryFolder()
        let r = try await gradstep("export", path, "--format", "dot", "--granularity", "scalar", "--out", out.path)
        expectEqual(r.status, 1, "\(r.stderr)")
        expectContains(r.stderr, "error: vgg11-features: the scalar (neuron-level) view needs the graph's numbers, "
                       + "and this graph is too large to evaluate (read for its shapes only): use the tensor view")
        expectEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }, [])
    }

    @Test func vgg11ShapesHalveFiveTimesAndTheParametersFollowTheFormula() async throws {
        let r = try await gradstep("info", graph("vgg11-shapes.grad"), "--json")
        expectEqual(r.status, 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        let pools = nodes.filter { $0["op"] as? String == "maxpool2d" }.compactMap { $0["shape"] as? [Int] }
        let channels = [1, 1, 2, 2, 4, 4, 4, 4]
        expectEqual(pools, [[1, 1, 16, 16], [1, 1, 8, 8], [1, 2, 4, 4], [1, 4, 2, 2], [1, 4, 1, 1]])
        // A 3 × 3 convolution from c to c′ channels: 9·c·c′ weights and c′ biases.
        let inputs = [3] + channels.dropLast()
        expectEqual(json["param_count"] as? Int, zip(inputs, channels).reduce(0) { $0 + 9 * $1.0 * $1.1 + $1.1 })
        // The full-size VGG11 of the file's comments, by the same formula: 9,220,480.
        let full = [64, 128, 256, 256, 512, 512, 512, 512]
        expectEqual(zip([3] + full.dropLast(), full).reduce(0) { $0 + 9 * $1.0 * $1.1 + $1.1 }, 9_220_480)
        try expectContains(String(contentsOf: URL(fileURLWithPath: graph("vgg11-shapes.grad")), encoding: .utf8), "= 9,220,480")
    }

    @Test func twoMaxPoolsOfTwoAreOneOfFour() async throws {
        let r = try await gradstep("trace", graph("maxpool-twice.grad"), "--mode", "primal")
        expectEqual(r.status, 0, "\(r.stderr)")
        let gap = try #require(r.stdout.split(separator: "\n").first { $0.contains(" gap ") })
        expectHasSuffix(gap, "[[[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]]")
    }

    @Test func theReadmeExamplesAreTrue() async throws {
        let readme = try manualText()
        let ok = try await gradstep("eval", "-e", "input x = [[[1, 2, 0], [0, 1, 3], [2, 0, 1]]]; param w = [[[[1, 0], [0, -1]]]]; "
            + "y = sum(maxpool2d(conv2d(x, w, [0.5], padding=1), 2))")
        expectEqual(ok.status, 0)
        expectContains(readme, ok.stdout)
        let bad = try await gradstep("eval", "-e", "input x = [[[1, 2], [3, 4]]]; param w = zeros([1, 1, 3, 3]); y = sum(conv2d(x, w))")
        expectEqual(bad.status, 1)
        expectContains(readme, bad.stderr)
    }
}
