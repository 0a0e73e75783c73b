import ArgumentParser
import Foundation
import GraphBench
import GraphLanguage

/// `gradstep bench FILE`: how fast this machine builds and differentiates a graph.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure parse+build, forward, forward+reverse and forward-tangent time per node of a graph.",
        discussion: """
            Medians over --repeat runs on the cached tape. --json prints exactly \
            {"nodes": N, "build_ns_per_node": …, "forward_ns_per_node": …, \
            "forward_reverse_ns_per_node": …, "forward_tangent_ns_per_node": …, "bytes_per_node": …}.

            Use a release build (make bench builds one) for numbers worth comparing.
            """
    )

    @Argument(help: "A .grad file, e.g. one written by `gradstep generate`.", completion: .file(extensions: ["grad"]))
    var file: String

    @Option(help: "Timed runs per measurement (the median is reported).")
    var `repeat`: Int = 5

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try InputFile.check(file)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw Failure(text: "error: cannot read \(file)\n")
        }
        let b: GraphBenchmark
        do {
            b = try GraphBenchmark.run(source: SourceFile(name: file, text: text), repeats: Swift.max(1, `repeat`))
        } catch let f as LoadFailure {
            throw Failure(text: f.rendered(useColor: colorOnStderr))
        }
        if json { print(b.json); return }
        print("""
            nodes                 \(b.nodes)
            parse + build         \(String(format: "%.1f", b.buildNanosPerNode)) ns/node
            forward               \(String(format: "%.1f", b.forwardNanosPerNode)) ns/node
            forward + reverse     \(String(format: "%.1f", b.forwardReverseNanosPerNode)) ns/node
            forward + tangent     \(String(format: "%.1f", b.forwardTangentNanosPerNode)) ns/node
            memory                \(String(format: "%.1f", b.bytesPerNode)) bytes/node
            """)
    }
}

/// `gradstep generate`: the benchmark workload as a graph file.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a random fan-in-2 DAG (the benchmark workload) as a .grad file.",
        discussion: """
            8 inputs; node i uses node i−1 and, half the time, a node 2–32 back, else any \
            earlier node; ops add, mul, sin, tanh, exp, kept bounded. The same seed gives the \
            same file.
            """
    )

    @Option(help: "Computed nodes.")
    var nodes: Int = 1000

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (1...10_000_000).contains(nodes) else { throw ValidationError("--nodes must be between 1 and 10000000") }
    }

    func run() throws {
        FileHandle.standardOutput.write(Data(RandomDAG.source(nodes: nodes, seed: seed).utf8))
    }
}
