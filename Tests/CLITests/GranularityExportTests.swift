import Foundation
import Testing
import TestSupport

// `gradstep export --granularity scalar`: the neuron-level picture, one box per element and per
// multiply-add, written next to the tensor picture under its own name.

@Test func exportAtScalarGranularityDrawsOneBoxPerElementAndProduct() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", graph("two-layer-relu.grad"), "--granularity", "scalar",
                               "--format", "dot", "-o", out.path)
    expectEqual(r.status, 0, "\(r.stderr)")
    let dot = try String(contentsOf: out.appendingPathComponent("two-layer-relu-scalar.dot"), encoding: .utf8)
    // z1 = X @ W1 + b1: X [2×3] @ W1 [3×4], so z1[1,2] sums X[1,0]·W1[0,2], X[1,1]·W1[1,2], X[1,2]·W1[2,2].
    for name in ["X[1,2]", "W1[2,3]", "X[1,0]·W1[0,2]", "X[1,2]·W1[2,2]", "z1[1,2]", "h[0,3]"] {
        expectContains(dot, name, "\(name) missing")
    }
    let tensor = try await gradstep("export", graph("two-layer-relu.grad"), "--format", "dot", "-o", out.path)
    expectEqual(tensor.status, 0)
    let tensorDot = try String(contentsOf: out.appendingPathComponent("two-layer-relu.dot"), encoding: .utf8)
    expectNotContains(tensorDot, "W1[2,3]")
}

@Test func exportFramesAtScalarGranularity() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", "-e", "sum(W @ x)", "--set", "W=[[1, 2], [3, 4]]", "--set", "x=[1, -1]",
                               "--granularity", "scalar", "--frames", "--state", "primal", "--format", "dot",
                               "--out", out.path)
    expectEqual(r.status, 0, "\(r.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("expression-scalar-frames").path)
    // 4 products, 2 additions for the two elements, 1 for the sum: 7 steps after step 0.
    expectTrue(names.contains("index.html") && names.contains("expression-scalar-primal-07.dot"))
    expectNotContains(names, "expression-scalar-primal-08.dot")
}

@Test func exportAtScalarGranularityPastTheLimitSaysSoAndGoesOn() async throws {
    let folder = try temporaryFolder()
    try "param W = randn([300, 300], 1)\ninput x = ones([300])\nL = sum(W @ x)\noutput L\n"
        .write(to: folder.appendingPathComponent("big.grad"), atomically: true, encoding: .utf8)
    try "input a = [1, 2]\ny = sum(a * a)\n".write(to: folder.appendingPathComponent("small.grad"), atomically: true, encoding: .utf8)
    let r = try await gradstep("export", folder.path, "--granularity", "scalar", "--format", "dot")
    expectEqual(r.status, 1)
    expectContains(r.stderr, "error: big: the scalar (neuron-level) view of this graph would have more than 50,000 nodes")
    expectContains(r.stderr, "use the tensor view")
    expectTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("small-scalar.dot").path))
}

@Test func exportAtScalarGranularitySeedsOneElement() async throws {
    let out = try temporaryFolder()
    let whole = try await gradstep("export", "-e", "sum(x * x)", "--set", "x=[1, 2]", "--granularity", "scalar",
                                   "--state", "forward", "--wrt", "x", "--format", "dot", "--out", out.path)
    expectEqual(whole.status, 2)
    expectContains(whole.stderr, "--wrt x: the scalar view seeds one element; name one, such as x[0]")
    let one = try await gradstep("export", "-e", "sum(x * x)", "--set", "x=[1, 2]", "--granularity", "scalar",
                                 "--state", "forward", "--wrt", "x[1]", "--format", "dot", "--out", out.path)
    expectEqual(one.status, 0, "\(one.stderr)")
}

/// `--open h` with the scalar view expands h alone: h's neurons are boxes of their own, every
/// other tensor node one folded box; without `--open` nothing is folded.
@Test func exportAtScalarGranularityOpensOnlyTheNamedNodes() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", graph("two-layer-relu.grad"), "--granularity", "scalar", "--open", "h",
                               "--format", "dot", "-o", out.path)
    expectEqual(r.status, 0, "\(r.stderr)")
    let dot = try String(contentsOf: out.appendingPathComponent("two-layer-relu-scalar.dot"), encoding: .utf8)
    expectContains(dot, "tensor [3×4] · 12 nodes · folded", "W1 is one box")
    expectTrue(dot.contains(">h[0,3]<") || dot.contains(" h[0,3]"), "h's elements are boxes")
    expectNotContains(dot, "X[1,0]·W1[0,2]", "X @ W1 stays folded")
    let all = try await gradstep("export", graph("two-layer-relu.grad"), "--granularity", "scalar",
                                 "--format", "dot", "-o", out.path)
    expectEqual(all.status, 0)
    let allDot = try String(contentsOf: out.appendingPathComponent("two-layer-relu-scalar.dot"), encoding: .utf8)
    expectNotContains(allDot, "· folded")
    expectContains(allDot, "X[1,0]·W1[0,2]")
}
