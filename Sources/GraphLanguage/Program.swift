/// A parsed `.grad` file or `-e` expression: its statements in source order.
///
/// ```
/// input x1 = 2            # .input,      name "x1", expression 2
/// param w = [0.5, -1]     # .param
/// const t = [1, 0]        # .const
/// v = ln(x1) + x1         # .assignment, name "v"
/// sin(x1)*v               # .expression, no name (what `-e "sin(x)*y"` gives)
/// output v                # .output,     name "v", no expression
/// ```
/// Names are not resolved here; that, shapes and "did you mean" are the lowering's job.
public struct Program: Sendable, Hashable {
    public var statements: [Statement]
    /// `group NAME { … }` blocks, in source order; each covers a run of `statements`.
    public var groups: [GroupBlock]
    /// `def NAME(params) = expr` definitions, in source order.
    public var functions: [FunctionDefinition]
    /// `for t in 0..<T { … }` loops, in source order. Parsing writes each out (one group of
    /// statements per iteration, in `statements` and `groups`); what is left here says where
    /// the loops were and how many times they ran.
    public var loops: [LoopBlock]

    public init(statements: [Statement], groups: [GroupBlock] = [], functions: [FunctionDefinition] = [],
                loops: [LoopBlock] = []) {
        self.statements = statements
        self.groups = groups
        self.functions = functions
        self.loops = loops
    }
}

/// `group layer1 { … }`: a name for the statements between the braces. The names they define
/// stay visible after the block; pictures may draw the block's nodes as one box.
public struct GroupBlock: Sendable, Hashable {
    public var name: String
    public var nameRange: SourceRange
    /// From `group` to `}`.
    public var range: SourceRange
    /// The indices in `Program.statements` of the statements inside.
    public var statements: Range<Int>

    public init(name: String, nameRange: SourceRange, range: SourceRange, statements: Range<Int>) {
        self.name = name
        self.nameRange = nameRange
        self.range = range
        self.statements = statements
    }
}

/// `def dense(x, W, b) = relu(W @ x + b)`: a function of its parameters only. Each call is
/// expanded into nodes of its own (one group per call, `dense#1`, `dense#2`, …).
public struct FunctionDefinition: Sendable, Hashable {
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var range: SourceRange
    }

    public var name: String
    public var nameRange: SourceRange
    public var parameters: [Parameter]
    public var body: Expr
    /// From `def` to the end of the body.
    public var range: SourceRange

    public init(name: String, nameRange: SourceRange, parameters: [Parameter], body: Expr, range: SourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.parameters = parameters
        self.body = body
        self.range = range
    }
}

/// One statement. `name` and `nameRange` are nil only for `.expression`; `expression` is nil
/// only for `.output` and `.data` (which has a `path` instead).
public struct Statement: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `input x = 2`: a leaf whose gradient is reported.
        case input
        /// `param w = [0.5, -1]`: a trainable leaf.
        case param
        /// `const t = [1, 0]`: no gradient flows into it.
        case const
        /// `data D = "points.csv"`: a numeric CSV file (header row of column names) as a
        /// const matrix, one row per line.
        case data
        /// `v = ln(x1) + x1*x2`: a named intermediate node.
        case assignment
        /// `output y`: the node to differentiate (default: the last assignment).
        case output
        /// A bare expression, e.g. the whole of `-e "sin(x)*y"`.
        case expression

        /// The keyword that starts the statement, if it has one.
        public var keyword: String? {
            switch self {
            case .input, .param, .const, .data, .output: rawValue
            case .assignment, .expression: nil
            }
        }

        /// The kind a statement-starting keyword introduces.
        public init?(keyword: String) {
            switch keyword {
            case "input": self = .input
            case "param": self = .param
            case "const": self = .const
            case "data": self = .data
            case "output": self = .output
            default: return nil
            }
        }
    }

    public var kind: Kind
    public var name: String?
    public var nameRange: SourceRange?
    public var expression: Expr?
    /// A `data` declaration's file name, as written (relative to the graph file), and where.
    public var path: (text: String, range: SourceRange)? {
        get { dataPath.map { ($0.text, $0.range) } }
        set { dataPath = newValue.map { DataPath(text: $0.text, range: $0.range) } }
    }
    /// Out of line: only `data` declarations have a path, and a statement held inline costs
    /// every statement of a large file 40 bytes more (issue 23).
    private var dataPath: DataPath?
    /// From the first token to the last, without the separator.
    public var range: SourceRange

    public init(kind: Kind, name: String?, nameRange: SourceRange?, expression: Expr?, range: SourceRange) {
        self.kind = kind
        self.name = name
        self.nameRange = nameRange
        self.expression = expression
        self.range = range
    }
}

/// A `data` declaration's file name and its range, compared and hashed by value.
private final class DataPath: Hashable, Sendable {
    let text: String
    let range: SourceRange

    init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }

    static func == (a: DataPath, b: DataPath) -> Bool { a.text == b.text && a.range == b.range }

    func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(range)
    }
}

extension Statement: CustomStringConvertible {
    /// The statement in source form, e.g. `input x1 = 2` or `output y`.
    public var description: String {
        let name = name ?? ""
        let expression = expression?.description ?? ""
        return switch kind {
        case .input, .param, .const: "\(kind.rawValue) \(name) = \(expression)"
        case .data: "data \(name) = \"\(path?.text ?? "")\""
        case .assignment: "\(name) = \(expression)"
        case .output: "output \(name)"
        case .expression: expression
        }
    }
}

extension Program: CustomStringConvertible {
    /// The definitions first, then one statement per line, each group's between
    /// `group NAME {` and `}` lines.
    public var description: String {
        var lines = functions.map { f in
            "def \(f.name)(\(f.parameters.map(\.name).joined(separator: ", "))) = \(f.body)"
        }
        var groupAt: [Int: GroupBlock] = [:]
        var groupEnds: [Int: Int] = [:]
        for g in groups {
            groupAt[g.statements.lowerBound] = g
            groupEnds[g.statements.upperBound, default: 0] += 1
        }
        for k in statements.indices {
            lines.append(contentsOf: Array(repeating: "}", count: groupEnds[k] ?? 0))
            if let g = groupAt[k] { lines.append("group \(g.name) {") }
            lines.append(statements[k].description)
        }
        lines.append(contentsOf: Array(repeating: "}", count: groupEnds[statements.count] ?? 0))
        return lines.joined(separator: "\n")
    }
}
