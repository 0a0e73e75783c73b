import GraphCore

/// A tape turned into the statements of a program, before any language is chosen: the
/// leaves with their values, one forward statement per computed entry, and the reverse sweep
/// as the engine runs it (`Tape.adjoints`): the output seeded with 1, then each entry from the
/// output down passing its VJPs to its operands.
///
/// Only nodes that depend on an input or param get an adjoint (as PyTorch tracks
/// `requires_grad`): a mask built from constants needs none, and leaving it out changes no
/// gradient.
struct Plan {
    struct Leaf {
        var name: String
        var op: Op
        var form: Form
        var values: [Double]
        /// The graph's name when the code could not use it (`θ` becomes `x1`).
        var original: String?
        /// The leaf's entry in the tape.
        var index = 0

        /// The formula a constant folded from constants replaced (`mask / 0.8`).
        var folded: String?

        /// The leaf's comment, each part passed through `text` (a language's escaping): the
        /// graph's name, the formula a folded constant replaced, "constant: no gradient".
        func note(_ text: (String) -> String) -> String? {
            let parts = [original.map { "\"\(text($0))\" in the graph" }, folded.map { "= " + text($0) },
                         op == .constant ? "constant: no gradient" : nil].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: "; ")
        }
    }

    struct Assignment {
        var target: String
        var form: Form
        var term: ArrayExpr
    }

    /// One chain-rule term added to an adjoint.
    struct Contribution {
        var target: String
        /// The form of the adjoint; a larger `term` (a broadcast operand) is summed down to it.
        var form: Form
        var term: ArrayExpr
        /// False for the first contribution a node receives (`dx = …`), true after (`dx += …`).
        var accumulates: Bool
        /// True when this first contribution will be followed by others: a NumPy writer must
        /// not let the adjoint share its array with another variable before adding in place.
        var moreFollow: Bool
    }

    enum Step {
        /// The output's adjoint, ∂y/∂y = 1 on every element.
        case seed(String, Form)
        /// The VJPs of tape entry `node` follow; `formula` is its forward statement and
        /// `plan.forward[forward]` the same as an assignment.
        case visit(node: Int, forward: Int, formula: String)
        /// The adjoint of tape entry `node`, which no consumer reached: it does not lead to
        /// the output.
        case zero(String, Form, node: Int)
        case contribution(Contribution)
    }

    /// The tape's first computed entry (`forward[k]` is entry `firstComputed + k`) and output.
    var firstComputed: Int
    var outputNode: Int
    var leaves: [Leaf] = []
    var forward: [Assignment] = []
    var reverse: [Step] = []
    /// The output, as `eval --json` names it, and its variable.
    var outputKey: String
    /// The output's adjoint seed, element by element (a vector-Jacobian product's v); nil for
    /// the seed 1 on every element.
    var seed: [Double]?
    var output: (name: String, form: Form)
    /// Every output of `output loss, acc`, in the order written, as `eval --json` lists them
    /// under "outputs": its key and the variable or number that holds it. Empty for a graph
    /// with one output (eval then prints no "outputs" either).
    var outputs: [(key: String, name: String, form: Form)] = []
    /// Every input and param in declaration order: its `eval --json` key and its adjoint.
    var gradients: [(key: String, adjoint: String, form: Form)] = []
    /// Adjoint variable → the primal variable it belongs to (LaTeX writes `\bar{h}` for `dh`).
    var adjointOf: [String: String] = [:]
    /// The extents of every variable of rank 3 or 4 (primal and adjoint), whose form is the
    /// row-major 2-D view: `eval --json` prints them nested to these extents.
    var dims: [String: [Int]] = [:]

    init(tape: Tape, outputName: String, seed: [Double]? = nil, outputs: [(name: String, node: Int)] = []) {
        self.seed = seed
        firstComputed = tape.firstComputed
        outputNode = tape.output
        let names = Names(tape)
        let forms = tape.entries.map { Form($0.shape) }
        func term(_ i: Int) -> ArrayExpr {
            if let name = names.primal[i] { return .name(name, forms[i]) }
            return .number(tape.leafValues(i).first ?? 0)
        }
        for i in 0..<tape.count { if let p = names.primal[i] { adjointOf[names.adjoint[i]] = p } }
        for i in 0..<tape.count where tape.entries[i].rank > 2 {
            if let p = names.primal[i] { dims[p] = tape.entries[i].shape.dims }
            dims[names.adjoint[i]] = tape.entries[i].shape.dims
        }

        // Which nodes an input or param reaches.
        var needs = [Bool](repeating: false, count: tape.count)
        for i in 0..<tape.count {
            let e = tape.entries[i]
            needs[i] = e.op == .input || e.op == .param || e.operands.contains { needs[$0] }
        }

        for i in 0..<tape.firstComputed {
            guard let name = names.primal[i] else { continue }
            let original = tape.names[i].flatMap { $0 == name ? nil : $0 }
            leaves.append(Leaf(name: name, op: tape.entries[i].op, form: forms[i], values: Array(tape.leafValues(i)),
                               original: original, index: i, folded: tape.foldedFormulas[i]))
        }
        var rules: [CodeRule] = []
        for i in tape.firstComputed ..< tape.count {
            let e = tape.entries[i]
            let operands = Operands(a: term(Int(e.a)), b: term(Int(e.b)), y: term(i),
                                    g: .name(names.adjoint[i], forms[i]),
                                    entries: (e, tape.entries[Int(e.a)], tape.entries[Int(e.b)]))
            let rule = e.op.codeRule(operands)
            rules.append(rule)
            forward.append(Assignment(target: names.primal[i]!, form: forms[i], term: rule.forward))
        }

        // The nodes a `where` branch is computed from. Where the branch is not taken their
        // adjoints are exactly 0, and the engine sends nothing on from a zero adjoint
        // (`Tape.adjoints`: not 0·∞ = NaN); their VJPs are guarded the same way, so a NaN or
        // ∞ partial in the branch not taken stays out of the generated gradient too.
        var inBranch = [Bool](repeating: false, count: tape.count)
        for i in stride(from: tape.count - 1, through: tape.firstComputed, by: -1) {
            let e = tape.entries[i]
            if e.op == .select { inBranch[Int(e.a)] = true }
            if inBranch[i] { for k in e.operands { inBranch[k] = true } }
        }

        outputKey = outputName
        output = (names.primal[tape.output] ?? "", forms[tape.output])
        if outputs.count > 1 {
            // An output that is an unnamed scalar constant has no variable: its number is printed.
            self.outputs = outputs.map { ($0.name, names.primal[$0.node] ?? Format.exact(tape.leafValues($0.node).first ?? 0), forms[$0.node]) }
        }
        var received = [Int](repeating: 0, count: tape.count)
        let swept = stride(from: tape.output, through: tape.firstComputed, by: -1).filter { needs[$0] }
        for i in swept { for k in tape.entries[i].operands where needs[k] { received[k] += 1 } }
        var declared = [Bool](repeating: false, count: tape.count)
        if needs[tape.output] {
            reverse.append(.seed(names.adjoint[tape.output], forms[tape.output]))
            declared[tape.output] = true
        }
        for i in swept {
            if !declared[i] {
                reverse.append(.zero(names.adjoint[i], forms[i], node: i))
                declared[i] = true
            }
            let e = tape.entries[i]
            let operandNames = e.operands.map { k in names.primal[k] ?? Format.exact(tape.leafValues(k).first ?? 0) }
            reverse.append(.visit(node: i, forward: i - tape.firstComputed, formula: "\(names.primal[i]!) = \(e.op.formula(operandNames))"))
            let rule = rules[i - tape.firstComputed]
            let guarded = inBranch[i] && e.op.mayTurnAZeroAdjointIntoNaN
            for (position, k) in e.operands.enumerated() where needs[k] {
                let vjp = rule.vjp[position]
                reverse.append(.contribution(Contribution(
                    target: names.adjoint[k], form: forms[k],
                    term: guarded ? .select(.name(names.adjoint[i], forms[i]), .equal, 0, 0, vjp) : vjp,
                    accumulates: declared[k], moreFollow: !declared[k] && received[k] > 1)))
                declared[k] = true
            }
        }
        for leaf in tape.differentiableLeaves {
            if !declared[leaf] { reverse.append(.zero(names.adjoint[leaf], forms[leaf], node: leaf)) }
            gradients.append((tape.names[leaf] ?? tape.label(leaf), names.adjoint[leaf], forms[leaf]))
        }
    }

    /// True when some statement calls ln Γ, ψ or ψ′ (the programs then define `GammaHelpers`).
    var usesGamma: Bool {
        func scan(_ t: ArrayExpr) -> Bool {
            switch t {
            case .name, .number: return false
            case .call(let f, let x): return [.op(.lgamma), .op(.digamma), .trigamma].contains(f) || scan(x)
            case .binary(_, let a, let b), .indicator(let a, _, let b), .matmul(let a, let b), .outer(let a, let b):
                return scan(a) || scan(b)
            case .select(let a, _, let b, let x, let y):
                return scan(a) || scan(b) || scan(x) || scan(y)
            case .transpose(let x), .total(let x), .rowTotal(let x), .spread(let x, _, _), .softmax(let x),
                 .maximum(let x, _):
                return scan(x)
            case .window(let call):
                return call.operands.contains(where: scan)
            case .columnTotal(let x):
                return scan(x)
            }
        }
        return forward.contains { scan($0.term) } || reverse.contains {
            if case .contribution(let c) = $0 { return scan(c.term) }
            return false
        }
    }

    /// True when the Python programs need `flat` and `shaped`: a window helper is called or
    /// a value of rank 3 or 4 is printed.
    var needsWindowHelpers: Bool { !windowKinds.isEmpty || !dims.isEmpty }

    /// The window helpers (convolution, pooling, bias, reshape) the statements call.
    var windowKinds: Set<WindowCall.Kind> {
        var kinds: Set<WindowCall.Kind> = []
        func note(_ t: ArrayExpr) { if case .window(let call) = t { kinds.insert(call.kind) } }
        forward.forEach { note($0.term) }
        for case .contribution(let c) in reverse { note(c.term) }
        return kinds
    }

    /// True when some statement calls the logistic function or softmax (the programs define
    /// those helpers only when used).
    var uses: (sigmoid: Bool, softmax: Bool) {
        var sigmoid = false, softmax = false
        func scan(_ t: ArrayExpr) {
            switch t {
            case .name, .number: break
            case .call(let f, let x):
                if f == .op(.sigmoid) { sigmoid = true }
                scan(x)
            case .binary(_, let a, let b), .indicator(let a, _, let b), .matmul(let a, let b), .outer(let a, let b):
                scan(a); scan(b)
            case .select(let a, _, let b, let x, let y):
                scan(a); scan(b); scan(x); scan(y)
            case .transpose(let x), .total(let x), .rowTotal(let x), .spread(let x, _, _), .maximum(let x, _):
                scan(x)
            case .columnTotal(let x):
                scan(x)
            case .softmax(let x):
                softmax = true
                scan(x)
            case .window(let call):
                call.operands.forEach(scan)
            }
        }
        forward.forEach { scan($0.term) }
        for case .contribution(let c) in reverse { scan(c.term) }
        return (sigmoid, softmax)
    }
}

extension Plan {
    /// The comment on a `--seed-adjoint` seed: what the printed gradients then are.
    var seedComment: String {
        let y = Codegen.commentText(outputKey)
        return "seed (--seed-adjoint): the adjoint of \(y) is v, so each gradient printed is vᵀ·∂\(y)/∂x (a vector-Jacobian product)"
    }
}
