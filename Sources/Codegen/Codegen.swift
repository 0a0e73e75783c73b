import GraphCore

/// The languages `gradstep codegen` writes.
public enum CodeLanguage: String, CaseIterable, Sendable {
    /// A Python program on NumPy arrays: `dW1 = np.outer(do, h)`.
    case numpy
    /// Plain Python with `math`, tensors as lists (of lists), loops and comprehensions.
    case python
    /// A C99 program on `double` arrays and `math.h` (`cc -std=c99 prog.c -lm`).
    case c
    /// An `algorithmic` block (algpseudocode) for notes: forward pass, then reverse sweep.
    case latex
}

/// The backward pass as code: a tape written out as a straight-line program, the forward
/// pass and then the reverse sweep, one statement per tape entry, variables named after the
/// graph (`h`, `W1`, else `v3`), adjoints as `d<name>`, a second consumer's contribution
/// added with `+=` so the sum over consumers is visible, and a broadcast operand's adjoint
/// summed explicitly (`dB += np.sum(dz)`).
///
/// The NumPy, Python and C programs print the value and the gradient in exactly the JSON of
/// `gradstep eval --json`, so they can be checked against the engine:
///
/// ```swift
/// let source = Codegen.program(tape: graph.tape, outputName: graph.outputName,
///                              language: .numpy, origin: "Graphs/baydin.grad")
/// ```
public enum Codegen {
    /// The program for `tape`, whose output `eval --json` calls `outputName`; `origin` (a file
    /// name, or the expression) is named in the program's first comment. `seed`, the output's
    /// adjoint element by element (`--seed-adjoint`), makes the printed gradient the
    /// vector-Jacobian product seedᵀ·∂y/∂x, as `gradstep eval --seed-adjoint` prints it; nil
    /// seeds every element with 1.
    ///
    /// `masks` names dropout masks by the tape entry of their constant: the NumPy program then
    /// draws each one as gradstep did (`Dropout.mask`: SplitMix64 from the seed, 0 with
    /// probability p, else 1/(1 − p)) instead of typing its numbers in. The other languages
    /// type them in.
    ///
    /// `outputs`, the graph's outputs when it has several (`output loss, acc`), are each
    /// computed and printed under "outputs" as `eval --json` prints them; the gradient stays
    /// the one of `tape.output`.
    public static func program(tape: Tape, outputName: String, language: CodeLanguage, origin: String,
                               seed: [Double]? = nil, masks: [Int: DropoutDraw] = [:],
                               outputs: [(name: String, node: Int)] = []) -> String {
        precondition(seed == nil || seed!.count == tape.entries[tape.output].count, "the seed must have the output's elements")
        let plan = Plan(tape: tape, outputName: outputName, seed: seed, outputs: outputs)
        // A file name may hold a newline: unescaped, the rest of it would be code.
        let origin = commentText(origin)
        switch language {
        case .numpy: return NumPyWriter(plan: plan, origin: origin, masks: masks).program()
        case .python: return PythonWriter(plan: plan, origin: origin).program()
        case .c: return CWriter(plan: plan, origin: origin).program()
        case .latex: return LatexWriter(plan: plan, origin: origin).program()
        }
    }
}

extension Codegen {
    /// The code of each step, for showing beside the explorer's inspector: `forward[i]` is
    /// the statement that computes tape entry i (empty for leaves), `reverse[i]` the
    /// statements of the reverse sweep when entry i is visited (the output's starts with its
    /// seed; a node that does not lead to the output, or an unused input, gets its zero).
    /// The same text as in `program`, statement by statement.
    /// `seed` as in `program`: the output's adjoint element by element (the explorer's `:seed`).
    public static func steps(tape: Tape, outputName: String, language: CodeLanguage,
                             seed: [Double]? = nil) -> (forward: [[String]], reverse: [[String]]) {
        let plan = Plan(tape: tape, outputName: outputName, seed: seed)
        let writer: any CodeWriter
        switch language {
        case .numpy: writer = NumPyWriter(plan: plan, origin: "")
        case .python: writer = PythonWriter(plan: plan, origin: "")
        case .c: writer = CWriter(plan: plan, origin: "")
        case .latex: writer = LatexWriter(plan: plan, origin: "")
        }
        var w = ElementWriter(language == .c ? .c : .python)
        var forward = [[String]](repeating: [], count: tape.count)
        for (k, a) in plan.forward.enumerated() { forward[plan.firstComputed + k] = writer.lines(a, &w) }
        var reverse = [[String]](repeating: [], count: tape.count)
        var node = plan.outputNode
        for step in plan.reverse {
            switch step {
            case .visit(let i, _, _), .zero(_, _, let i): node = i
            case .seed, .contribution: break
            }
            reverse[node] += writer.lines(step, &w)
        }
        return (forward, reverse)
    }
}

/// What every language's writer does: the whole program, or the lines of one statement.
protocol CodeWriter {
    func program() -> String
    func lines(_ a: Plan.Assignment, _ w: inout ElementWriter) -> [String]
    func lines(_ step: Plan.Step, _ w: inout ElementWriter) -> [String]
}

/// A printed expression and how tightly it binds, so that a writer adds only the
/// parentheses the language needs.
struct Printed {
    var text: String
    var precedence: Int

    static let atom = 100, power = 90, unary = 80, product = 70, sum = 60, conditional = 10

    init(_ text: String, _ precedence: Int = Printed.atom) {
        self.text = text
        self.precedence = precedence
    }

    /// The text, in parentheses unless it binds at least as tightly as `minimum`.
    func at(_ minimum: Int) -> String { precedence >= minimum ? text : "(\(text))" }
}

extension Double {
    /// The number as a Python literal that reads back to the same double (`2`, `0.5`, `1e-05`).
    var pythonLiteral: String {
        if isNaN { return "math.nan" }
        if isInfinite { return self < 0 ? "-math.inf" : "math.inf" }
        return Format.exact(self)
    }

    /// The number as a C `double` literal (`2.0`, never the int `2`, so `1 / 2` stays 0.5).
    var cLiteral: String {
        if isNaN { return "NAN" }
        if isInfinite { return self < 0 ? "-INFINITY" : "INFINITY" }
        let text = "\(self)"
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }
}

extension Form {
    /// The index variables that walk this form: none, `i`, or `i, j`.
    var loopIndices: [String] {
        switch self {
        case .scalar: []
        case .vector, .column: ["i"]
        case .matrix: ["i", "j"]
        }
    }

    /// The bound of each index in `loopIndices`.
    var bounds: [Int] {
        switch self {
        case .scalar: []
        case .vector(let n), .column(let n): [n]
        case .matrix(let r, let c): [r, c]
        }
    }
}

/// How an adjoint of form `target` receives a term of form `term`: as it is, summed over
/// everything (a scalar broadcast over a tensor), or summed over rows (a vector broadcast over
/// a matrix's rows).
enum Reduction {
    case none, total, rows

    init(term: Form, target: Form) {
        switch (target, term) {
        case (.scalar, .scalar): self = .none
        case (.scalar, _): self = .total
        case (.vector, .matrix): self = .rows
        default: self = .none
        }
    }
}

extension Codegen {
    /// `text` made safe inside a one-line comment of any of the languages: a line break of
    /// any kind (which would end the comment and make the rest code in Python, C or LaTeX),
    /// every other control character and the bidirectional overrides (which make a line
    /// read differently from what it does) are written as `\u{202E}`.
    static func commentText(_ text: String) -> String { Format.escapingInvisibles(text) }
}

/// A dropout mask's p and seed, for code that draws the mask itself.
public struct DropoutDraw: Sendable, Equatable {
    public var p: Double
    public var seed: UInt64

    public init(p: Double, seed: UInt64) { (self.p, self.seed) = (p, seed) }
}
