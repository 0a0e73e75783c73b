import GraphCore

/// Writes a plan as a Python program on NumPy arrays: whole-array statements, `@` for the
/// matrix product, `np.outer` where a vector product's adjoint is a matrix.
struct NumPyWriter: CodeWriter {
    var plan: Plan
    var origin: String
    /// Dropout masks drawn in the program, by tape entry (see `Codegen.program`).
    var masks: [Int: DropoutDraw] = [:]

    func program() -> String {
        var out = [
            "# The forward pass and the reverse sweep of \(origin), written out by",
            "# `gradstep codegen --lang numpy`: one statement per tape entry, the adjoint of v",
            "# (∂\(Codegen.commentText(plan.outputKey))/∂v) in dv. Run it with python3; it prints what `gradstep eval --json` prints.",
            "import math",
            "",
            "import numpy as np",
            "",
            "np.seterr(all=\"ignore\")  # NaN and ∞ go on quietly, as in gradstep",
            "",
        ]
        let uses = plan.uses
        if uses.sigmoid {
            out += [
                "",
                "def sigmoid(x):",
                "    \"\"\"The logistic function 1/(1 + e^−x), accurate for large |x|.\"\"\"",
                "    e = np.exp(-np.abs(x))",
                "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
                "",
            ]
        }
        if plan.usesGamma { out += GammaHelpers.numpy }
        if plan.needsWindowHelpers { out += WindowHelpers.python(plan.windowKinds) }
        if uses.softmax {
            out += [
                "",
                "def softmax(x):",
                "    \"\"\"Softmax of a vector, or of each row of a matrix; the max is subtracted first.\"\"\"",
                "    e = np.exp(x - np.max(x, axis=-1, keepdims=True))",
                "    return e / np.sum(e, axis=-1, keepdims=True)",
                "",
            ]
        }
        if plan.leaves.contains(where: { masks[$0.index] != nil }) {
            out += [
                "",
                "def dropout_mask(n, p, seed):",
                "    \"\"\"n units of a dropout mask as gradstep draws it: SplitMix64 from the seed, one uniform",
                "    u in [0, 1) per unit from the top 53 bits; 0 (dropped) when u < p, else 1/(1 − p).\"\"\"",
                "    m64 = (1 << 64) - 1",
                "    state, mask = seed, []",
                "    for _ in range(n):",
                "        state = (state + 0x9E3779B97F4A7C15) & m64",
                "        z = state",
                "        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m64",
                "        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m64",
                "        z ^= z >> 31",
                "        u = (z >> 11) * 2.0**-53",
                "        mask.append(0.0 if u < p else (1 / (1 - p) if p < 1 else 0.0))",
                "    return np.array(mask)",
                "",
            ]
        }
        out += [
            "",
            "def as_json(v):",
            "    \"\"\"A number, or a vector or matrix as nested lists, as `gradstep eval --json` prints it.\"\"\"",
            "    if np.ndim(v) > 0:",
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
            if let draw = masks[leaf.index] {
                out.append("\(leaf.name) = \(drawn(draw, leaf.values.count, leaf.form))  # dropout mask, p = \(draw.p.pythonFloat), seed \(draw.seed): drawn, no gradient")
                continue
            }
            out.append("\(leaf.name) = \(literal(leaf.values, leaf.form))\(comment)")
        }
        out += ["", "# Forward pass"]
        var w = ElementWriter(.python)
        for a in plan.forward { out += lines(a, &w) }
        out += ["", "# Reverse sweep: from the output down; `+=` adds a further consumer's contribution"]
        for step in plan.reverse { out += lines(step, &w) }
        out += [""] + jsonPrint(plan)
        return out.joined(separator: "\n") + "\n"
    }

    func lines(_ a: Plan.Assignment, _ w: inout ElementWriter) -> [String] {
        ["\(a.target) = \(print(a.term).text)"]
    }

    func lines(_ step: Plan.Step, _ w: inout ElementWriter) -> [String] {
        switch step {
        case .seed(let name, let form):
            if let v = plan.seed { return ["\(name) = \(literal(v, form))  # \(plan.seedComment)"] }
            return ["\(name) = \(form.isScalar ? "1.0" : "np.ones_like(\(plan.adjointOf[name]!))")  # seed: ∂\(Codegen.commentText(plan.outputKey))/∂\(Codegen.commentText(plan.outputKey)) = 1"]
        case .zero(let name, let form, _):
            return ["\(name) = \(form.isScalar ? "0.0" : "np.zeros_like(\(plan.adjointOf[name]!))")  # no path to the output"]
        case .visit(_, _, let formula):
            return ["# \(Codegen.commentText(formula))"]
        case .contribution(let c):
            return [statement(c)]
        }
    }

    /// `dx = term`, `dx += term`, summing a broadcast term down to the adjoint's form.
    func statement(_ c: Plan.Contribution) -> String {
        var text = print(c.term).text
        switch Reduction(term: c.term.form, target: c.form) {
        case .none:
            if c.moreFollow && !c.form.isScalar && c.term.isView { text = print(c.term).at(Printed.atom) + ".copy()" }
        case .total: text = "np.sum(\(text))"
        case .rows: text = "np.sum(\(text), axis=0)"
        }
        return "\(c.target) \(c.accumulates ? "+=" : "=") \(text)"
    }

    /// The call that draws a mask of `count` units in the leaf's form.
    func drawn(_ draw: DropoutDraw, _ count: Int, _ form: Form) -> String {
        let call = "dropout_mask(\(count), \(draw.p.pythonFloat), \(draw.seed))"
        switch form {
        case .scalar: return call + "[0]"
        case .vector, .column: return call
        case .matrix(let r, let c): return call + ".reshape(\(r), \(c))"
        }
    }

    func literal(_ v: [Double], _ form: Form) -> String {
        switch form {
        case .scalar: return "np.float64(\(v[0].pythonFloat))"
        case .vector, .column: return "np.array([" + v.map(\.pythonFloat).joined(separator: ", ") + "])"
        case .matrix(let r, let c):
            let rows = (0..<r).map { i in "[" + v[i * c ..< (i + 1) * c].map(\.pythonFloat).joined(separator: ", ") + "]" }
            return "np.array([" + rows.joined(separator: ", ") + "])"
        }
    }

    func print(_ t: ArrayExpr) -> Printed {
        switch t {
        case .name(let s, _): return Printed(s)
        case .number(let x): return Printed(x.pythonLiteral, x < 0 ? Printed.unary : Printed.atom)
        case .call(let f, let x):
            let a = print(x).text
            switch f {
            case .neg: return Printed("-" + print(x).at(Printed.unary), Printed.unary)
            case .exp: return Printed("np.exp(\(a))")
            case .log: return Printed("np.log(\(a))")
            case .sqrt: return Printed("np.sqrt(\(a))")
            case .sign: return Printed("np.sign(\(a))")
            case .op(let f): return Printed(f.code.numpy.replacingOccurrences(of: "$", with: a))
            case .trigamma: return Printed("psi1(\(a))")
            }
        case .binary(let op, let a, let b):
            switch op {
            case .add: return Printed("\(print(a).at(Printed.sum)) + \(print(b).at(Printed.sum + 1))", Printed.sum)
            case .sub: return Printed("\(print(a).at(Printed.sum)) - \(print(b).at(Printed.sum + 1))", Printed.sum)
            case .mul: return Printed("\(print(a).at(Printed.product)) * \(print(b).at(Printed.product + 1))", Printed.product)
            case .div: return Printed("\(print(a).at(Printed.product)) / \(print(b).at(Printed.product + 1))", Printed.product)
            case .pow: return Printed("\(print(a).at(Printed.atom)) ** \(print(b).at(Printed.unary))", Printed.power)
            }
        case .indicator(let a, let cmp, let b):
            return Printed("(\(print(a).at(Printed.sum)) \(cmp.rawValue) \(print(b).at(Printed.sum)))")
        case .select(let a, let cmp, let b, let x, let y):
            // Number branches as floats: `np.where(c, 1, 0)` is an int array, and an adjoint
            // made like it (`np.zeros_like`) could not take a float contribution with `+=`.
            func branch(_ t: ArrayExpr) -> String {
                if case .number(let v) = t { return v.pythonFloat }
                return print(t).text
            }
            return Printed("np.where(\(print(a).at(Printed.sum)) \(cmp.rawValue) \(print(b).at(Printed.sum)), \(branch(x)), \(branch(y)))")
        case .matmul(let a, let b):
            return Printed("\(print(a).at(Printed.product)) @ \(print(b).at(Printed.product + 1))", Printed.product)
        case .outer(let u, let v): return Printed("np.outer(\(print(u).text), \(print(v).text))")
        case .transpose(let x): return Printed(print(x).at(Printed.atom) + ".T")
        case .total(let x): return Printed("np.sum(\(print(x).text))")
        case .rowTotal(let x):
            if case .matrix = x.form { return Printed("np.sum(\(print(x).text), axis=1, keepdims=True)") }
            return Printed("np.sum(\(print(x).text))")
        case .maximum(let x, let rows):
            if rows, case .matrix = x.form { return Printed("np.max(\(print(x).text), axis=1, keepdims=True)") }
            return Printed("np.max(\(print(x).text))")
        case .softmax(let x): return Printed("softmax(\(print(x).text))")
        case .spread(let x, let like, _): return Printed("np.full_like(\(like), \(print(x).text))")
        case .window(let call):
            // The helpers work on flat lists; the result takes the variable's form again.
            let shape = call.form.bounds.map(String.init).joined(separator: ", ") + (call.form.bounds.count == 1 ? "," : "")
            return Printed("np.reshape(\(call.kind.rawValue)(\(call.pythonArguments)), (\(shape)))")
        case .columnTotal(let x):
            if case .matrix = x.form { return Printed("np.sum(\(print(x).text), axis=0)") }
            return Printed("np.sum(\(print(x).text))")
        }
    }
}

extension ArrayExpr {
    /// A term whose NumPy value may share memory with a variable: the variable itself or its
    /// transpose (`.T` is a view).
    var isView: Bool {
        switch self {
        case .name: true
        case .transpose(let x): x.isView
        default: false
        }
    }
}

extension Double {
    /// A Python float literal (`2.0`, `0.5`), so NumPy arrays hold floats, never ints.
    var pythonFloat: String {
        let text = pythonLiteral
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "m" }) ? text : text + ".0"
    }
}

/// The Python lines that print `{"output": …, "value": …, "gradient": {…}}`, the JSON of
/// `gradstep eval --json`, through the programs' `as_json` helper.
func jsonPrint(_ plan: Plan) -> [String] {
    /// `text` inside a single-quoted Python string.
    func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
    /// The variable as `as_json` takes it: nested to its extents when it has rank 3 or 4.
    func value(_ name: String) -> String {
        guard let dims = plan.dims[name] else { return name }
        return "shaped(flat(\(name)), \(dims))"
    }
    var lines = ["print(\(quoted("{\"output\": \(JSON.string(plan.outputKey).text), \"value\": ")) + as_json(\(value(plan.output.name)))"]
    var separator = ", \"outputs\": {"
    for o in plan.outputs {
        lines.append("      + \(quoted(separator + JSON.string(o.key).text + ": ")) + as_json(\(value(o.name)))")
        separator = ", "
    }
    separator = (plan.outputs.isEmpty ? "" : "}") + ", \"gradient\": {"
    for g in plan.gradients {
        lines.append("      + \(quoted(separator + JSON.string(g.key).text + ": ")) + as_json(\(value(g.adjoint)))")
        separator = ", "
    }
    lines.append("      + \(quoted((plan.gradients.isEmpty ? separator : "") + "}}")))")
    return lines
}
