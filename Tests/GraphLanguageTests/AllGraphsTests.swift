import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

/// Every file in Graphs/: it loads, evaluates to a finite scalar output, and its reverse-mode
/// gradient agrees with central differences (`GradientCheck`) and with forward mode, element
/// by element of every input and param.
@Suite("Every graph in Graphs/")
struct AllGraphsTests {
    static let files = graphFiles().map(\.lastPathComponent)

    @Test func thereAreGraphs() {
        expectTrue(Self.files.count >= 10)
        expectContains(Self.files, "baydin.grad")
    }

    @Test(arguments: files)
    func loadsAndEvaluates(file: String) throws {
        let graph = try loadGraph(file)
        let tape = graph.tape
        let values = tape.evaluate()
        let out = tape.entries[tape.output]
        expectTrue(out.shape.isScalar, "\(file): the output should be a scalar loss or value")
        expectTrue(values[Int(out.offset)].isFinite, "\(file): output \(values[Int(out.offset)])")
        expectTrue(!tape.differentiableLeaves.isEmpty)
        expectEqual(graph.node(named: graph.outputName), tape.output)
    }

    @Test(arguments: files)
    func reverseModeAgreesWithCentralDifferences(file: String) throws {
        let graph = try loadGraph(file)
        let checked = GradientCheck.check(graph.tape)
        expectTrue(!checked.isEmpty)
        // A central difference cannot resolve less than a few rounding errors of the output
        // divided by 2h (h = 1e-6): below that, a partial is zero as far as it can tell.
        let output = abs(graph.tape.evaluate()[Int(graph.tape.entries[graph.tape.output].offset)])
        let noise = 8 * Double.ulpOfOne * output / 1e-6
        for r in checked where !r.nearKink {
            let ok = r.relativeError < 1e-5 || abs(r.analytic - r.numeric) <= noise
            expectTrue(ok, "\(file): \(graph.tape.displayName(r.leaf))[\(r.element)] adjoint \(r.analytic), central difference \(r.numeric)")
        }
    }

    @Test(arguments: files)
    func reverseModeAgreesWithForwardMode(file: String) throws {
        let graph = try loadGraph(file)
        let tape = graph.tape
        let values = tape.evaluate()
        let adjoints = tape.adjoints(values: values)
        let out = Int(tape.entries[tape.output].offset)
        // Partials that are zero in exact arithmetic come out as ±1e-18 from either mode:
        // below the file's largest partial by twelve orders of magnitude counts as agreement.
        let largest = tape.differentiableLeaves.flatMap { leaf in
            let e = tape.entries[leaf]
            return adjoints[Int(e.offset) ..< Int(e.offset) + e.count].map(abs)
        }.max() ?? 0
        for leaf in tape.differentiableLeaves {
            let e = tape.entries[leaf]
            for k in 0..<e.count {
                var direction = [Double](repeating: 0, count: e.count)
                direction[k] = 1
                let tangents = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf, direction: direction))
                let reverse = adjoints[Int(e.offset) + k]
                expectTrue(isClose(tangents[out], reverse, rel: 1e-12, abs: 1e-12 * largest), "\(file): ∂out/∂\(tape.displayName(leaf))[\(k)] forward \(tangents[out]), reverse \(reverse)")
            }
        }
    }
}
