import Foundation
import GraphCore
import Symbolic

/// One derivative ∂f/∂x of the explorer's graph three ways, for the derivatives view (`d`):
/// by AD (reverse mode), by a central difference (GraphCore's `GradientCheck`, with its
/// relative error and verdict) and symbolically (Symbolic's `SymbolicFunction`, with the
/// size of the derivative against the tape's: expression swell).
///
/// f is the selected computed node, else the output; x is the selected input or param, else
/// the forward-mode seed (one element of it). Everything here is cheap except the symbolic
/// derivative, which is only attempted on tapes of at most `symbolicLimit` nodes, so opening
/// the view never holds up the input loop; the plots are computed when their page is opened,
/// on tapes of at most `plotLimit` nodes.
public struct DerivativeReport: Sendable {
    /// The symbolic side: the derivative (written out when it is small enough) and its value
    /// at the point, or why there is none here.
    public enum SymbolicSide: Sendable, Equatable {
        case derivative(text: String?, value: Double, treeNodes: Int, dagNodes: Int)
        case unavailable(String)
    }

    /// f: `y`, `v₂`.
    public var function: String
    /// x: `x1`, `W[2,0]`.
    public var variable: String
    /// x's value at the point.
    public var point: Double
    /// f's value at the point.
    public var value: Double
    public var check: GradientCheck.Result
    public var symbolic: SymbolicSide
    /// The length of the tape that computes f: what AD records.
    public var tapeNodes: Int
    /// c₀ … c₃ of f in x at the point by Taylor mode; nil for tensor ops or a tape over `plotLimit`.
    public var taylorCoefficients: [Double]?
    /// The tape whose output is f, at the explorer's values, and x's value slot in it.
    let tape: Tape
    let slot: Int

    /// The largest tape differentiated symbolically in the explorer (`gradstep diff` has no cap).
    public static let symbolicLimit = 300
    /// The largest tape sampled for the h-sweep and the f/f′ plot in the explorer.
    public static let plotLimit = 20_000

    /// The AD value, ∂f/∂x by reverse mode.
    public var ad: Double { check.analytic }
    public var verdict: GradientCheck.Verdict { GradientCheck.Verdict(check) }

    /// The report for the state's selection (or output) and seed, or why there is none.
    static func make(_ s: ExplorerState) -> Result<DerivativeReport, DerivativeProblem> {
        var tape = s.tape
        guard tape.count > 0, !tape.differentiableLeaves.isEmpty else { return .failure(.noInputs) }
        var leaf = s.tangentSeed.leaf, element = s.tangentSeed.element ?? 0
        if let chosen = s.selection {
            if tape.differentiableLeaves.contains(chosen) {
                if chosen != leaf { element = 0 }
                leaf = chosen
            } else if chosen >= tape.firstComputed {
                tape.output = chosen
            }
        }
        let f = tape.output
        guard tape.entries[f].count == 1 else {
            return .failure(.notScalar(node: tape.label(f), shape: tape.entries[f].shape))
        }
        let seed = TangentSeed(leaf: leaf, element: tape.entries[leaf].count == 1 ? nil : element)
        let slot = Int(tape.entries[leaf].offset) + element
        let check = GradientCheck.check(tape, leaf: leaf, element: element)
        let point = s.evaluation.values[slot]
        return .success(DerivativeReport(function: tape.names[f] ?? tape.label(f), variable: seed.reference(tape),
                                         point: point, value: s.evaluation.values[Int(tape.entries[f].offset)], check: check, symbolic: symbolicSide(tape, leaf),
                                         tapeNodes: tape.output + 1,
                                         taylorCoefficients: tape.count <= plotLimit ? try? TaylorMode(tape, slot: slot, order: 3).coefficients : nil,
                                         tape: tape, slot: slot))
    }

    /// The symbolic derivative of the tape's output in leaf `leaf`, capped by tape size.
    static func symbolicSide(_ tape: Tape, _ leaf: Int) -> SymbolicSide {
        guard tape.output < symbolicLimit else {
            return .unavailable("too large here: \(tape.output + 1) tape nodes (the explorer stops at \(symbolicLimit)); `gradstep diff` writes it")
        }
        var f: SymbolicFunction
        do {
            f = try SymbolicFunction(tape: tape)
        } catch {
            return .unavailable("symbolic differentiation is for scalar graphs: \(error.description)")
        }
        let d = f.derivative(wrt: tape.displayName(leaf))
        var values: [String: Double] = [:]
        let v = tape.evaluate()
        for l in tape.differentiableLeaves where tape.entries[l].count == 1 {
            values[tape.displayName(l)] = v[Int(tape.entries[l].offset)]
        }
        return .derivative(text: try? f.terms.source(d), value: f.terms.evaluate(d, values),
                           treeNodes: f.terms.treeSize(d), dagNodes: f.terms.dagSize(d))
    }

    // MARK: - Pages computed on demand

    /// Forward and central differences against the AD value for h = 1e-1 … 1e-15.
    func sweep() -> DifferenceSweep? {
        tape.count <= Self.plotLimit ? DifferenceSweep(tape, slot: slot) : nil
    }

    /// f and f′ over x ± `halfWidth`, 97 samples.
    func samples(halfWidth: Double) -> FunctionSamples? {
        tape.count <= Self.plotLimit
            ? FunctionSamples(tape, slot: slot, from: point - halfWidth, to: point + halfWidth, count: 97) : nil
    }

}

/// Why the derivatives view has nothing to show.
public enum DerivativeProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case noInputs
    case notScalar(node: String, shape: Shape)

    public var description: String {
        switch self {
        case .noInputs: "this graph has no inputs or params to differentiate with respect to"
        case let .notScalar(node, shape):
            "the derivatives view differentiates a scalar; \(node) has shape \(shape) (select a scalar node, or press J for its Jacobian)"
        }
    }
}
