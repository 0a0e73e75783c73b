import Foundation
import GraphCore
import GraphLanguage
import Symbolic
import Testing
import TestSupport

/// Every file in `Graphs/`: a scalar graph's symbolic gradient equals reverse mode's at the
/// file's own values; a tensor graph is refused with a reason, never a crash.
@Suite("Symbolic derivatives of the Graphs/ folder")
struct GraphsFolderTests {
    @Test(arguments: graphFiles().map(\.lastPathComponent))
    func symbolicGradientMatchesReverseModeOrIsRefused(file: String) throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get()
        let tape = graph.tape
        let f: SymbolicFunction
        do {
            f = try SymbolicFunction(tape: tape)
        } catch {
            // A scalar graph may be refused only for lgamma or digamma, whose derivatives (the
            // polygamma family) have no term rules.
            if case .polygammaFamily = error { return }
            expectTrue(!tape.isAllScalar, "\(file) is all scalar but was refused: \(error)")
            return
        }
        var symbolic = f
        let values = tape.evaluate()
        let adjoints = tape.adjoints(values: values)
        var point: [String: Double] = [:]
        for leaf in tape.differentiableLeaves { point[tape.displayName(leaf)] = values[Int(tape.entries[leaf].offset)] }
        for leaf in tape.differentiableLeaves {
            let d = symbolic.derivative(wrt: tape.displayName(leaf))
            let ad = adjoints[Int(tape.entries[leaf].offset)]
            expectTrue(isClose(symbolic.terms.evaluate(d, point), ad, rel: 1e-9, abs: 1e-12), "\(file): ∂/∂\(tape.displayName(leaf))")
        }
    }

    /// EXERCISES.md 3, 4 and 6 from the symbolic derivative: micrograd's ∂g/∂a, ∂g/∂b; the
    /// tanh neuron's ∂o/∂x1, ∂o/∂w1; Rosenbrock's ∇f at (−1.2, 1).
    @Test(arguments: [
        ("micrograd-readme.grad", "a", 138.83381924198252), ("micrograd-readme.grad", "b", 645.5772594752186),
        ("tanh-neuron.grad", "x1", -1.5), ("tanh-neuron.grad", "w1", 1.0), ("tanh-neuron.grad", "x2", 0.5),
        ("rosenbrock.grad", "x", -215.6), ("rosenbrock.grad", "y", -88),
    ])
    func exerciseGradientsFromTheSymbolicDerivative(file: String, name: String, expected: Double) throws {
        let tape = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/\(file)").path).get().tape
        let values = tape.evaluate()
        var point: [String: Double] = [:]
        for leaf in tape.differentiableLeaves { point[tape.displayName(leaf)] = values[Int(tape.entries[leaf].offset)] }
        var f = try SymbolicFunction(tape: tape)
        let d = f.derivative(wrt: name)
        expectTrue(isClose(f.terms.evaluate(d, point), expected, rel: 1e-9, abs: 1e-12), "\(file): ∂/∂\(name)")
    }
}
