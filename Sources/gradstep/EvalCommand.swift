import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// `gradstep eval`: the output's value and its gradient with respect to every input and param.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the output's value and its gradient (reverse mode).",
        discussion: """
            --json prints exactly {"output": NAME, "value": V, "gradient": {INPUT: G, ...}}: \
            every input and param (consts excluded), tensors as nested lists, numbers at full \
            precision; NaN and infinities, which JSON cannot hold, print as null.

            A graph with several outputs (output loss, acc) prints each output's value; the \
            gradient is the first output's, or --of NAME's. --json adds "outputs": {NAME: V, ...} \
            then.

            When the output is a tensor, the default seed (all ones) gives the gradient of the \
            sum of its elements; --seed-adjoint '[0, 1, 0]' picks one element (a vector-Jacobian \
            product).

            --backward N runs the reverse sweep N times without zeroing the gradient in \
            between, as PyTorch's .grad adds up over loss.backward() calls until \
            optimizer.zero_grad(): the gradient printed (and in --json) is N times the \
            gradient of one sweep, and a note on standard error says why.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    // Unconditional, so a negative seed (`--seed-adjoint -1`) is a value, not an option.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("The output's adjoint seed ∂L/∂y: a number, or a tensor of the output's shape.", valueName: "v"))
    var seedAdjoint: String?

    @Option(help: ArgumentHelp("Backward calls without zeroing the gradient (PyTorch's .grad accumulates).", valueName: "n"))
    var backward: Int = 1

    @Flag(help: "Print JSON for scripts and autograders.")
    var json = false

    /// The most backward calls `--backward` takes: enough to see accumulation, bounded in time.
    static let maximumBackwardCalls = 1000

    func validate() throws {
        if graph.isBuiltIn {
            throw ValidationError("eval needs a graph: give FILE or -e EXPR (e.g. gradstep eval Graphs/baydin.grad)")
        }
        let seed = try OutputSeed(seedAdjoint)
        guard (1...Self.maximumBackwardCalls).contains(backward) else {
            throw ValidationError("--backward \(backward): give 1 to \(Self.maximumBackwardCalls) backward calls")
        }
        if backward > 1, case .tensor = seed {
            throw ValidationError("--backward takes a number seed (--seed-adjoint 2), not a tensor")
        }
    }

    func run() throws {
        let g = try graph.load(of: choice.of)
        let tape = g.tape
        let out = tape.output
        let outShape = tape.entries[out].shape
        let seed = try OutputSeed(seedAdjoint)
        let values = tape.evaluate()
        let adjoints: [Double]
        switch seed {
        case .number(let s) where backward > 1:
            adjoints = tape.accumulatedGradients(values: values, seed: s, calls: backward)
            warn("note: the gradient was not zeroed between \(backward) backward calls, so each ∂\(g.outputName)/∂… printed is "
                 + "\(backward) × one sweep's gradient (PyTorch's .grad adds up over loss.backward() calls until "
                 + "optimizer.zero_grad(); forgetting zero_grad() in a training loop does this)")
        case .number(let s):
            adjoints = tape.adjoints(values: values, seed: s)
        case .tensor(let literal):
            try OutputSeed.check(literal, seedAdjoint, g)
            adjoints = tape.adjoints(values: values, outputSeed: literal.values)
        }
        func slice(_ b: [Double], _ i: Int) -> [Double] {
            let e = tape.entries[i]
            return Array(b[Int(e.offset) ..< Int(e.offset) + e.count])
        }
        warnAboutWhatWasComputed(g, seed: seed, values: slice(values, out), gradients: g.differentiableLeaves.map { slice(adjoints, $0.node) })
        if json {
            let gradient = g.differentiableLeaves.map { leaf in
                (key: leaf.name, value: JSON.tensor(slice(adjoints, leaf.node), tape.entries[leaf.node].shape))
            }
            var report: [(key: String, value: JSON)] = [("output", .string(g.outputName)), ("value", .tensor(slice(values, out), outShape))]
            if g.outputs.count > 1 {
                report.append(("outputs", .object(g.outputs.map { (key: $0.name, value: JSON.tensor(slice(values, $0.node), tape.entries[$0.node].shape)) })))
            }
            report.append(("gradient", .object(gradient)))
            print(JSON.object(report).text)
            return
        }
        func text(_ b: [Double], _ i: Int) -> String {
            let e = tape.entries[i]
            return e.count == 1 ? Format.exact(b[Int(e.offset)]) : Format.tensor(slice(b, i)[...], e.shape, number: Format.exact)
        }
        print("\(g.outputName) = \(text(values, out))")
        for other in g.outputs where g.outputs.count > 1 && other.name != g.outputName {
            print("\(other.name) = \(text(values, other.node))")
        }
        let label = GradientLabel(output: g.outputName, scalarOutput: outShape.isScalar, seed: seed,
                                  seedText: seedAdjoint, calls: backward)
        for leaf in g.differentiableLeaves {
            print("\(label.name(leaf.name)) = \(text(adjoints, leaf.node))\(label.remark(leaf.name))")
        }
    }

    /// Warnings on standard error (the printed numbers, and the JSON, stay as they are): a
    /// tensor output seeded with a number, an output that is not finite, a gradient that is
    /// infinite or undefined at a point where the output is finite (`sqrt(x)` at 0).
    func warnAboutWhatWasComputed(_ g: Graph, seed: OutputSeed, values: [Double], gradients: [[Double]]) {
        let y = g.outputName
        let shape = g.tape.entries[g.tape.output].shape
        if case .number(let s) = seed, !shape.isScalar {
            let scaled = s == 1 ? "sum(\(y))" : "\(Format.exact(s))·sum(\(y))"
            warn("warning: \(y) is a tensor of shape \(shape); with the seed \(Format.exact(s)) on every element, "
                 + "the gradient printed is that of \(scaled). To pick one element, seed it alone: --seed-adjoint "
                 + (OutputSeed.oneHotExample(shape).map { "'\($0)'" } ?? "with a tensor of shape \(shape) holding one 1")
                 + " (a vector-Jacobian product).")
        }
        if values.contains(where: { !$0.isFinite }) {
            warn("warning: the output is not finite (NaN or ∞); see `gradstep trace` for where it starts")
            return
        }
        let bad = zip(g.differentiableLeaves, gradients).filter { $0.1.contains { !$0.isFinite } }.map(\.0.name)
        if !bad.isEmpty {
            let names = bad.map { "∂\(y)/∂\($0)" }.joined(separator: ", ")
            warn("warning: \(names) \(bad.count == 1 ? "is" : "are") infinite or undefined (NaN) at this point: "
                 + "\(y) is not differentiable here (as sqrt is at 0); see `gradstep trace --mode reverse` for where it starts")
        }
    }
}

/// `--seed-adjoint`: a number (every output element seeded with it) or a tensor of the
/// output's shape, read as `--set` reads values, so NaN, ∞ and 1e400 are refused alike.
enum OutputSeed {
    case number(Double)
    case tensor(LiteralValue)

    /// Nil text is the default seed, 1.
    init(_ text: String?) throws {
        guard let text else { self = .number(1); return }
        switch LiteralValue.parse(text) {
        case .success(let literal) where literal.shape.isScalar: self = .number(literal.values[0])
        case .success(let literal): self = .tensor(literal)
        case .failure(let why): throw ValidationError("--seed-adjoint \(text): \(why.message)")
        }
    }

    /// Refuses a tensor seed whose shape is not the output's (status 2, a usage error).
    static func check(_ literal: LiteralValue, _ text: String?, _ g: Graph) throws {
        let shape = g.tape.entries[g.tape.output].shape
        guard literal.shape != shape else { return }
        throw Failure(text: "error: --seed-adjoint \(text ?? ""): the seed has shape \(literal.shape) but \(g.outputName) has shape \(shape); give a number or a tensor of shape \(shape)\n", status: 2)
    }

    /// A seed of `shape` with 1 in its first element, written as a literal (`[1, 0, 0]`); nil
    /// for a tensor too large to write out in a message.
    static func oneHotExample(_ shape: Shape) -> String? {
        guard shape.count <= 12 else { return nil }
        return Format.nested((0..<shape.count).map { $0 == 0 ? "1" : "0" }, shape.dims)
    }
}

/// What `eval` prints before each gradient, so that the label says what the number is: the
/// plain ∂y/∂x only for the default seed and one backward call; otherwise ∂L/∂x with the
/// upstream seed, vᵀ·∂y/∂x for a tensor seed, and how many calls were accumulated.
struct GradientLabel {
    var output: String
    var scalarOutput: Bool
    var seed: OutputSeed
    var seedText: String?
    var calls: Int

    /// The label of the gradient with respect to `leaf`.
    func name(_ leaf: String) -> String {
        switch seed {
        case .number(1) where calls == 1:
            return plain(leaf)
        case .number:
            return "∂L/∂\(leaf)"
        case .tensor:
            return "vᵀ·∂\(output)/∂\(leaf)"
        }
    }

    /// ∂y/∂x, or ∂sum(y)/∂x for a tensor output seeded with ones everywhere.
    func plain(_ leaf: String) -> String {
        scalarOutput ? "∂\(output)/∂\(leaf)" : "∂sum(\(output))/∂\(leaf)"
    }

    /// What follows the gradient with respect to `leaf`: the upstream seed and the calls
    /// accumulated.
    func remark(_ leaf: String) -> String {
        switch seed {
        case .number(let s):
            let one = s == 1 ? plain(leaf) : "\(Format.exact(s))·\(plain(leaf))"
            if calls > 1 {
                return "   (accumulated over \(calls) backward calls: \(calls) × \(one))"
            }
            guard s != 1 else { return "" }
            return scalarOutput ? "   (upstream ∂L/∂\(output) = \(Format.exact(s)))"
                                : "   (upstream ∂L/∂\(output) = \(Format.exact(s)) on every element)"
        case .tensor:
            return "   (v = \(seedText ?? "the seed"), a vector-Jacobian product)"
        }
    }
}
