import Codegen
import GraphCore
import Testing
import TestSupport

/// The layer ops' generated code with ε and the dropout mask as inputs, so that the VJPs the
/// graph language never needs (ε and the mask are constants there) run too: each program
/// prints what the engine computes.
@Suite("Generated code for the layer ops, every operand moving")
struct LayerCodeTests {
    /// `sum(tanh(op(h, s)) ⊙ w)` with h and s inputs.
    static func tape(_ op: Op, _ h: Shape, _ s: Shape) throws -> Tape {
        var rng = SplitMix64(seed: 77)
        var b = TapeBuilder()
        let x = b.leaf(.input, h, (0..<h.count).map { _ in Double.random(in: -2...2, using: &rng) }, name: "h")
        let second = b.leaf(.input, s, (0..<s.count).map { _ in Double.random(in: 0.05...0.5, using: &rng) }, name: "s")
        let w = b.leaf(.constant, h, (0..<h.count).map { _ in Double.random(in: -2...2, using: &rng) }, name: "w")
        let y = try b.apply(op, [x, second])
        let out = try b.apply(.sum, [b.apply(.mul, [b.apply(.tanh, [y]), w])])
        b.setName(out, "L")
        return b.finish(output: out).tape
    }

    static let cases: [(Op, Shape, Shape)] = [
        (.batchNorm, .matrix(3, 2), .scalar), (.batchNorm, .matrix(2, 1), .scalar),
        (.layerNorm, .matrix(2, 3), .scalar), (.layerNorm, .vector(4), .scalar),
        (.dropout, .matrix(2, 3), .matrix(2, 3)), (.dropout, .vector(3), .scalar),
    ]

    /// `{"output": "L", "value": …, "gradient": {"h": …, "s": …}}` from the engine.
    static func engineJSON(_ tape: Tape) -> String {
        let values = tape.evaluate(), adjoints = tape.adjoints(values: values)
        func slice(_ b: [Double], _ i: Int) -> String {
            let e = tape.entries[i]
            return JSON.tensor(b[Int(e.offset) ..< Int(e.offset) + e.count], e.shape).text
        }
        let gradient = tape.differentiableLeaves.map { "\(JSON.string(tape.names[$0]!).text): \(slice(adjoints, $0))" }
        return "{\"output\": \"L\", \"value\": \(slice(values, tape.output)), \"gradient\": {\(gradient.joined(separator: ", "))}}\n"
    }

    @Test(arguments: [CodeLanguage.numpy, .python, .c])
    func everyOperandsVJPRuns(language: CodeLanguage) async throws {
        let tapes = try Self.cases.map { try Self.tape($0.0, $0.1, $0.2) }
        let names = Self.cases.map { "\($0.0.name)(\($0.1), \($0.2))" }
        let programs = zip(tapes, names).map { Codegen.program(tape: $0, outputName: "L", language: language, origin: $1) }
        let runs = try await executeAll(programs, language)
        expectSameJSON(runs, tapes.map(Self.engineJSON), names.map { "\(language): \($0)" })
    }
}
