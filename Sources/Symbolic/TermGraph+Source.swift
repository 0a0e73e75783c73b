import GraphCore
import GraphLanguage

// Terms written in the graph language, through GraphLanguage's own `Expr` and its printer, so
// the operator spellings, precedence and parentheses are the parser's: the text reads back
// (`gradstep eval -e "$(gradstep diff … | tail -1)"`) as the same function.

/// Why a term is not printed: written out, it would be too large to read back.
public struct TooLargeToPrint: Error, Hashable, Sendable, CustomStringConvertible {
    public var treeNodes: Int
    public var height: Int

    public var description: String {
        treeNodes > TermGraph.maximumPrintedNodes
            ? "the derivative written out has \(treeNodes == Int.max ? "more than 9.2e18" : "\(treeNodes)") nodes, more than the \(TermGraph.maximumPrintedNodes) gradstep prints"
            : "the derivative is nested \(height) deep, deeper than the graph language reads back (\(TermGraph.maximumPrintedHeight))"
    }
}

extension TermGraph {
    /// The largest expression `source` writes out, in tree nodes.
    public static let maximumPrintedNodes = 100_000
    /// The deepest expression `source` writes out: the parser's nesting limit, so that what
    /// is printed can always be parsed again.
    public static let maximumPrintedHeight = Parser.maximumNesting

    /// `root` as graph-language text, e.g. `sigmoid(x) * (1 - sigmoid(x))`.
    public func source(_ root: Term) throws(TooLargeToPrint) -> String {
        let size = treeSize(root), height = height(root)
        guard size <= Self.maximumPrintedNodes, height <= Self.maximumPrintedHeight else {
            throw TooLargeToPrint(treeNodes: size, height: height)
        }
        return expression(root).description
    }

    /// `root` as a graph-language syntax tree (every range empty: it was never typed).
    /// Recursive: callers keep the height bounded, as `source` does.
    public func expression(_ root: Term) -> Expr {
        let here = SourceRange(at: .start)
        switch self[root] {
        case let .constant(x):
            return Expr(.number(x), range: here)
        case let .variable(name):
            return Expr(.name(name), range: here)
        case let .unary(.neg, a):
            return Expr(.unary(.negate, expression(a)), range: here)
        case let .unary(op, a):
            return Expr(.call(name: op.name, nameRange: here, arguments: [expression(a)]), range: here)
        case let .binary(.select, a, mask):
            // Read back as the language's `where`, whose lowering builds this select again.
            return Expr(.call(name: "where", nameRange: here, arguments: [expression(mask), expression(a), Expr(.number(0), range: here)]), range: here)
        case let .binary(op, a, b):
            if let infix = Self.infixOperator(op) {
                return Expr(.binary(infix, expression(a), expression(b), operatorRange: here), range: here)
            }
            return Expr(.call(name: op.name, nameRange: here, arguments: [expression(a), expression(b)]), range: here)
        }
    }

    /// The operator a binary op is written with, or nil for one written as a call (`max(a, b)`).
    static func infixOperator(_ op: Op) -> BinaryOperator? {
        switch op {
        case .add: .add
        case .sub: .subtract
        case .mul: .multiply
        case .div: .divide
        case .compare(let c): BinaryOperator(rawValue: c.symbol)
        case .pow: .power
        case .matmul: .matmul
        case .max, .min, .leakyRelu, .input, .param, .constant, .neg, .unary, .stopGradient, .sum, .mean, .transpose,
             .softmax, .crossEntropy, .mse, .select, .logsumexp, .logSoftmax:
            nil
        // Convolution and pooling
        case .conv1d, .conv2d, .maxpool2d, .avgpool2d, .biasAdd, .reshape:
            nil
        // Layers: `apply` turns dropout into `mul`, so no term holds these.
        case .dropout: .multiply
        case .batchNorm, .layerNorm, .gather, .along: nil
        }
    }
}
