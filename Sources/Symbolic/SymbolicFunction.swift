import GraphCore

/// Why a tape has no symbolic derivative here.
public enum SymbolicError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A tensor op on the way to the output (matmul, softmax, cross_entropy, …).
    case tensorOp(Op, node: String)
    /// A leaf or node on the way to the output that is not a scalar.
    case notScalar(node: String, shape: Shape)
    /// lgamma or digamma of an input or param: their derivatives are the polygamma functions,
    /// a family with no last member, so no finite set of term rules differentiates them again
    /// and again. (Of constants they are numbers, and allowed.)
    case polygammaFamily(Op, node: String)

    public var description: String {
        switch self {
        case let .tensorOp(op, node):
            "\(op.name) (\(node)) is a tensor op: symbolic differentiation here covers scalar, elementwise expressions only; use `gradstep eval` for its gradient"
        case let .notScalar(node, shape):
            "\(node) has shape \(shape): symbolic differentiation here covers scalar expressions only; use `gradstep eval` for its gradient"
        case let .polygammaFamily(op, node):
            "\(op.name) (\(node)) has the polygamma functions as its derivatives, which have no symbolic rule here; use `gradstep eval` or `gradstep taylor` for its derivatives"
        }
    }
}

/// The function a tape computes, read back as a symbolic term over its inputs and params.
///
/// ```swift
/// var f = try SymbolicFunction(tape: graph.tape)
/// let d = f.derivative(wrt: "x")
/// print(f.terms.source(d))           // sigmoid(x) * (1 - sigmoid(x))
/// ```
/// Named intermediates are inlined (the term is the expression written out), constants become
/// numbers, and only the nodes the output depends on are read.
public struct SymbolicFunction: Sendable {
    public var terms: TermGraph
    /// The output as a term.
    public let root: Term
    /// The length of the tape it was read from: what AD stores, for comparison with the size
    /// of the symbolic derivative.
    public let tapeNodes: Int

    /// Reads the tape's output as a term. Throws for a tensor op or a non-scalar node on
    /// the way to the output, naming it.
    public init(tape: Tape) throws(SymbolicError) {
        var terms = TermGraph()
        var used = [Bool](repeating: false, count: tape.count)
        used[tape.output] = true
        for i in stride(from: tape.output, through: 0, by: -1) where used[i] {
            for operand in tape.entries[i].operands { used[operand] = true }
        }
        // The op, not the shape it made, is what has no rule: name the op when there is one.
        if let i = (0...tape.output).last(where: { used[$0] && tape.entries[$0].op.kind == .tensor }) {
            throw .tensorOp(tape.entries[i].op, node: Self.describe(tape, i))
        }
        // lgamma and digamma of constants (a binomial coefficient's ln C(n, k)) are numbers;
        // of an input or param they would need the polygamma family's rules.
        var varies = [Bool](repeating: false, count: tape.count)
        for i in 0...tape.output {
            let e = tape.entries[i]
            varies[i] = e.op == .input || e.op == .param || e.operands.contains { varies[$0] }
            if used[i], varies[i], e.op == .lgamma || e.op == .digamma {
                throw .polygammaFamily(e.op, node: Self.describe(tape, i))
            }
        }
        var term = [Term?](repeating: nil, count: tape.count)
        for i in 0...tape.output where used[i] {
            let e = tape.entries[i]
            guard e.shape.isScalar else { throw .notScalar(node: Self.describe(tape, i), shape: e.shape) }
            switch e.op.kind {
            case .leaf:
                term[i] = e.op == .constant
                    ? terms.constant(tape.leafValues(i).first!)
                    : terms.variable(tape.displayName(i))
            case .unary:
                term[i] = terms.apply(e.op, term[Int(e.a)]!)
            case .binary:
                term[i] = terms.apply(e.op, term[Int(e.a)]!, term[Int(e.b)]!)
            case .tensor:
                throw .tensorOp(e.op, node: Self.describe(tape, i))
            }
        }
        self.terms = terms
        self.root = term[tape.output]!
        self.tapeNodes = tape.count
    }

    /// The derivative of the output with respect to the input or param `name`, simplified.
    public mutating func derivative(wrt name: String) -> Term {
        terms.derivative(of: root, wrt: name)
    }

    /// A node's label and, when the user named it, its name: `v₃, 'p'`.
    private static func describe(_ tape: Tape, _ i: Int) -> String {
        let label = tape.label(i)
        if let name = tape.names[i], name != label { return "\(label), '\(name)'" }
        return label
    }
}
