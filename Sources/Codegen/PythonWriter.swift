/// Writes a plan as plain Python with `math`: scalars as floats, vectors as lists, matrices
/// as lists of rows; a new tensor is a list comprehension, a further contribution to a
/// tensor's adjoint a loop of `+=`.
struct PythonWriter: CodeWriter {
    var plan: Plan
    var origin: String

    func program() -> String {
        var out = [
            "# The forward pass and the reverse sweep of \(origin), written out by",
            "# `gradstep codegen --lang python`: one statement per tape entry, the adjoint of v",
            "# (∂\(Codegen.commentText(plan.outputKey))/∂v) in dv, tensors as lists of rows. Run it with python3; it prints",
            "# what `gradstep eval --json` prints.",
            "import math",
            "",
        ]
        let uses = plan.uses
        if uses.sigmoid {
            out += [
                "",
                "def sigmoid(x):",
                "    \"\"\"The logistic function 1/(1 + e^−x), accurate for large |x|.\"\"\"",
                "    e = math.exp(-abs(x))",
                "    return 1 / (1 + e) if x >= 0 else e / (1 + e)",
                "",
            ]
        }
        if plan.usesGamma { out += GammaHelpers.python }
        if plan.needsWindowHelpers { out += WindowHelpers.python(plan.windowKinds) }
        if uses.softmax {
            out += [
                "",
                "def softmax(x):",
                "    \"\"\"Softmax of a vector, or of each row of a matrix; the max is subtracted first.\"\"\"",
                "    if not isinstance(x, list):",
                "        return softmax([x])[0]",
                "    if isinstance(x[0], list):",
                "        return [softmax(row) for row in x]",
                "    top = max(x)",
                "    e = [math.exp(u - top) for u in x]",
                "    total = sum(e)",
                "    return [u / total for u in e]",
                "",
            ]
        }
        out += [
            "",
            "def as_json(v):",
            "    \"\"\"A number, or a vector or matrix as nested lists, as `gradstep eval --json` prints it.\"\"\"",
            "    if isinstance(v, list):",
            "        return \"[\" + \", \".join(as_json(u) for u in v) + \"]\"",
            "    x = float(v)",
            "    if math.isnan(x) or math.isinf(x):",
            "        return \"null\"  # JSON has no NaN or infinity",
            "    if x == int(x) and abs(x) < 1e15:",
            "        return str(int(x))",
            "    return repr(x)",
            "",
            "",
            "# Inputs and params (their gradients are printed), and constants",
        ]
        for leaf in plan.leaves {
            let comment = leaf.note(Codegen.commentText).map { "  # " + $0 } ?? ""
            out.append("\(leaf.name) = \(literal(leaf.values, leaf.form))\(comment)")
        }
        var w = ElementWriter(.python)
        out += ["", "# Forward pass"]
        for a in plan.forward { out += lines(a, &w) }
        out += ["", "# Reverse sweep: from the output down; `+=` adds a further consumer's contribution"]
        for step in plan.reverse { out += lines(step, &w) }
        out += [""] + jsonPrint(plan)
        return out.joined(separator: "\n") + "\n"
    }

    func lines(_ a: Plan.Assignment, _ w: inout ElementWriter) -> [String] {
        if case .softmax(let x) = a.term, case .name(let input, _) = x {
            return ["\(a.target) = softmax(\(input))"]
        }
        return statement(a.target, a.form, a.term, accumulates: false, &w)
    }

    func lines(_ step: Plan.Step, _ w: inout ElementWriter) -> [String] {
        switch step {
        case .seed(let name, let form):
            if let v = plan.seed { return ["\(name) = \(literal(v, form))  # \(plan.seedComment)"] }
            return ["\(name) = \(filled(1, form))  # seed: ∂\(Codegen.commentText(plan.outputKey))/∂\(Codegen.commentText(plan.outputKey)) = 1"]
        case .zero(let name, let form, _):
            return ["\(name) = \(filled(0, form))  # no path to the output"]
        case .visit(_, _, let formula):
            return ["# \(Codegen.commentText(formula))"]
        case .contribution(let c):
            return statement(c.target, c.form, c.term, accumulates: c.accumulates, &w)
        }
    }

    /// `target = term` or `target += term`, element by element, summing a broadcast term down
    /// to the target's form.
    func statement(_ target: String, _ form: Form, _ term: ArrayExpr, accumulates: Bool, _ w: inout ElementWriter) -> [String] {
        if case .window(let call) = term {
            // A helper's flat list, nested to the target's form (added to it element by element).
            let value = "\(call.kind.rawValue)(\(call.pythonArguments))"
            let dims = "\(form.bounds)"
            if accumulates { return ["\(target) = shaped([u + v for u, v in zip(flat(\(target)), \(value))], \(dims))"] }
            return ["\(target) = shaped(\(value), \(dims))"]
        }
        let op = accumulates ? "+=" : "="
        switch Reduction(term: term.form, target: form) {
        case .total:
            let loops = zip(term.form.loopIndices, term.form.bounds).map { "for \($0) in range(\($1))" }
            return ["\(target) \(op) sum(\(w.element(term, term.form.loopIndices).text) \(loops.joined(separator: " ")))"]
        case .rows:
            guard case .matrix(let r, let c) = term.form else { return [] }
            let e = "sum(\(w.element(term, ["i", "j"]).text) for i in range(\(r)))"
            if accumulates { return ["for j in range(\(c)):", "    \(target)[j] += \(e)"] }
            return ["\(target) = [\(e) for j in range(\(c))]"]
        case .none:
            let e = w.element(term, form.loopIndices).text
            switch form {
            case .scalar:
                return ["\(target) \(op) \(e)"]
            case .vector(let n), .column(let n):
                if accumulates { return ["for i in range(\(n)):", "    \(target)[i] += \(e)"] }
                return ["\(target) = [\(e) for i in range(\(n))]"]
            case .matrix(let r, let c):
                if accumulates {
                    return ["for i in range(\(r)):", "    for j in range(\(c)):", "        \(target)[i][j] += \(e)"]
                }
                return ["\(target) = [[\(e) for j in range(\(c))] for i in range(\(r))]"]
            }
        }
    }

    func filled(_ x: Double, _ form: Form) -> String {
        switch form {
        case .scalar: return x.pythonFloat
        case .vector(let n), .column(let n): return "[\(x.pythonFloat)] * \(n)"
        case .matrix(let r, let c): return "[[\(x.pythonFloat)] * \(c) for i in range(\(r))]"
        }
    }

    func literal(_ v: [Double], _ form: Form) -> String {
        switch form {
        case .scalar: return v[0].pythonFloat
        case .vector, .column: return "[" + v.map(\.pythonFloat).joined(separator: ", ") + "]"
        case .matrix(let r, let c):
            return "[" + (0..<r).map { i in "[" + v[i * c ..< (i + 1) * c].map(\.pythonFloat).joined(separator: ", ") + "]" }
                .joined(separator: ", ") + "]"
        }
    }
}
