import Foundation
import GraphCore
import GraphLanguage

/// Timing with medians over repeats: each sample runs the work enough times to last about
/// `minimumSampleNanos`, so small graphs are not lost in clock resolution.
public enum Measure {
    /// Median nanoseconds of one call of `work`.
    public static func median(repeats: Int, minimumSampleNanos: UInt64 = 20_000_000, _ work: () -> Void) -> Double {
        work()  // warm up: page in buffers, fill caches
        var inner = 1
        while true {
            let t = now()
            for _ in 0..<inner { work() }
            let elapsed = now() - t
            if elapsed >= minimumSampleNanos || inner >= 1 << 24 { break }
            inner *= elapsed == 0 ? 16 : Swift.max(2, Int(minimumSampleNanos / Swift.max(elapsed, 1)))
        }
        var samples: [Double] = []
        for _ in 0 ..< Swift.max(1, repeats) {
            let t = now()
            for _ in 0..<inner { work() }
            samples.append(Double(now() - t) / Double(inner))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// What `gradstep bench FILE` reports for one graph (keys are a contract for other tools).
public struct GraphBenchmark: Sendable {
    public var nodes: Int
    public var buildNanosPerNode: Double
    public var forwardNanosPerNode: Double
    public var forwardReverseNanosPerNode: Double
    public var forwardTangentNanosPerNode: Double
    public var bytesPerNode: Double

    /// Measures parse + build, forward, forward + reverse and forward + one tangent on the
    /// cached tape, with buffers reused across calls as a running explorer does.
    public static func run(source: SourceFile, repeats: Int = 5, minimumSampleNanos: UInt64 = 20_000_000) throws -> GraphBenchmark {
        let (graph, measured) = try measureBuild(source: source, repeats: Swift.max(1, repeats / 2),
                                                 minimumSampleNanos: minimumSampleNanos)
        let tape = graph.tape
        let n = Double(tape.count)
        let build = measured.nanos
        var v = tape.evaluate()
        var g = [Double](repeating: 0, count: tape.valueCount)
        var t = [Double](repeating: 0, count: tape.valueCount)
        let seed = tape.tangentSeed(leaf: tape.differentiableLeaves.first ?? 0)
        let forward = Measure.median(repeats: repeats, minimumSampleNanos: minimumSampleNanos) { tape.forward(&v) }
        let both = Measure.median(repeats: repeats, minimumSampleNanos: minimumSampleNanos) {
            tape.forward(&v)
            tape.adjoints(values: v, into: &g)
        }
        let tangent = Measure.median(repeats: repeats, minimumSampleNanos: minimumSampleNanos) {
            tape.forward(&v)
            t.withUnsafeMutableBufferPointer { t in seed.withUnsafeBufferPointer { s in _ = t.update(fromContentsOf: s) } }
            tape.tangents(values: v, into: &t)
        }
        return GraphBenchmark(nodes: tape.count, buildNanosPerNode: build / n, forwardNanosPerNode: forward / n,
                              forwardReverseNanosPerNode: both / n, forwardTangentNanosPerNode: tangent / n,
                              bytesPerNode: tape.bytesPerNode + Double(tape.valueCount * 16) / n)
    }

    /// Parse + build alone (`GraphLoader.load`, lexing to tape): the median nanoseconds of
    /// one load of `source`, and the graph it gives. `singlePass: false` times the parser and
    /// the lowering, which a file the single pass takes would not go through.
    public static func measureBuild(source: SourceFile, repeats: Int, minimumSampleNanos: UInt64 = 20_000_000,
                                    singlePass: Bool = true)
        throws -> (graph: Graph, build: (nanos: Double, nanosPerNode: Double, nodes: Int)) {
        var graph: Graph?
        var failure: LoadFailure?
        let nanos = Measure.median(repeats: repeats, minimumSampleNanos: minimumSampleNanos) {
            switch GraphLoader.load(source, graphName: "bench", mode: .file, singlePass: singlePass) {
            case .success(let g): graph = g
            case .failure(let f): failure = f
            }
        }
        if let failure { throw failure }
        let nodes = graph!.tape.count
        return (graph!, (nanos, nanos / Double(nodes), nodes))
    }

    /// `{"nodes": …, "build_ns_per_node": …, …}`.
    public var json: String {
        // Two decimals are all a timing is worth; the JSON number drops trailing zeros (12.3).
        func r(_ x: Double) -> JSON { .number((x * 100).rounded() / 100) }
        let report: JSON = ["nodes": .int(nodes), "build_ns_per_node": r(buildNanosPerNode), "forward_ns_per_node": r(forwardNanosPerNode),
                            "forward_reverse_ns_per_node": r(forwardReverseNanosPerNode),
                            "forward_tangent_ns_per_node": r(forwardTangentNanosPerNode), "bytes_per_node": r(bytesPerNode)]
        return report.text
    }
}
