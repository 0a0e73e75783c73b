import GraphCore

/// Writes a plan as an `algorithmic` block (algpseudocode, with amsmath) for notes: the
/// forward pass, then the reverse sweep with adjoints as v̄ (`\bar{h}`), `\mathrel{+}=` where a
/// further consumer adds its contribution, ⊙ for elementwise products of tensors.
struct LatexWriter: CodeWriter {
    var plan: Plan
    var origin: String

    func program() -> String {
        var out = [
            "% The forward pass and the reverse sweep of \(origin), written out by",
            "% `gradstep codegen --lang latex`. Needs \\usepackage{amsmath} and \\usepackage{algpseudocode}.",
            "\\begin{algorithmic}[1]",
        ]
        let inputs = plan.leaves.filter { $0.op != .constant }.map { "$\(tex($0.name))$" }
        let constants = plan.leaves.filter { $0.op == .constant }.map { "$\(tex($0.name))$" }
        out.append("\\Require inputs and params " + inputs.joined(separator: ", ")
                   + (constants.isEmpty ? "" : "; constants " + constants.joined(separator: ", ")))
        out.append("\\Statex \\textbf{Forward pass}")
        var w = ElementWriter(.python)
        for a in plan.forward { out += lines(a, &w) }
        if !plan.outputs.isEmpty {
            // `output loss, acc`: which values are the outputs (an output's variable may be a
            // made-up `v2` when its name is a word the other languages reserve).
            let listed = plan.outputs.map { o in
                "$\(tex(o.name))$" + (o.key == o.name ? "" : " (\\texttt{\(o.key.replacingOccurrences(of: "_", with: "\\_"))})")
            }
            out.append("\\Statex \\textbf{Outputs} " + listed.joined(separator: ", ") + "; the sweep differentiates $\(tex(plan.output.name))$")
        }
        out.append("\\Statex \\textbf{Reverse sweep} (adjoints $\\bar{v} = \\partial \(tex(plan.output.name)) / \\partial v$, from the output down)")
        for step in plan.reverse { out += lines(step, &w) }
        out.append("\\end{algorithmic}")
        return out.joined(separator: "\n") + "\n"
    }

    func lines(_ a: Plan.Assignment, _ w: inout ElementWriter) -> [String] {
        ["\\State $\(tex(a.target)) \\gets \(print(a.term).text)$"]
    }

    func lines(_ step: Plan.Step, _ w: inout ElementWriter) -> [String] {
        switch step {
        case .seed(let name, let form):
            if let v = plan.seed {
                return ["\\State $\(tex(name)) \\gets \(texValue(v, form, dims: plan.dims[name]))$ \\Comment{seed: a vector-Jacobian product}"]
            }
            return ["\\State $\(tex(name)) \\gets 1$ \\Comment{seed}"]
        case .zero(let name, _, _):
            return ["\\State $\(tex(name)) \\gets 0$ \\Comment{no path to the output}"]
        case .visit(_, let k, _):
            let f = plan.forward[k]
            return ["\\Statex $\\triangleright\\ \(tex(f.target)) = \(print(f.term).text)$"]
        case .contribution(let c):
            var e = print(c.term).text
            switch Reduction(term: c.term.form, target: c.form) {
            case .none: break
            case .total: e = "\\textstyle\\sum \(print(c.term).at(Printed.product))"
            case .rows: e = "\\textstyle\\sum_{\\text{rows}} \(print(c.term).at(Printed.product))"
            }
            return ["\\State $\(tex(c.target)) \(c.accumulates ? "\\mathrel{+}=" : "\\gets") \(e)$"]
        }
    }

    /// A seed's values in math mode: a number, a vector `[0, 1, 0]`, a matrix in `bmatrix`, or
    /// a tensor of rank 3 or 4 nested to its extents `[[[1, 0], [0, 2]]]` (its 2-D form would
    /// pass a (1, 1, 2, 2) seed off as a 2 × 2 matrix).
    func texValue(_ v: [Double], _ form: Form, dims: [Int]? = nil) -> String {
        let text = v.map { print(.number($0)).text }
        if let dims, dims.count > 2 { return nested(text[...], dims[...]) }
        switch form {
        case .scalar: return text[0]
        case .vector, .column: return "[" + text.joined(separator: ", ") + "]"
        case .matrix(let r, let c):
            return "\\begin{bmatrix}" + (0..<r).map { i in text[i * c ..< (i + 1) * c].joined(separator: " & ") }
                .joined(separator: " \\\\ ") + "\\end{bmatrix}"
        }
    }

    /// Numbers in row-major order as nested brackets, one level per extent.
    func nested(_ text: ArraySlice<String>, _ dims: ArraySlice<Int>) -> String {
        guard let first = dims.first, dims.count > 1 else { return "[" + text.joined(separator: ", ") + "]" }
        let step = text.count / max(first, 1)
        return "[" + (0..<first).map { k in
            nested(text[text.startIndex + k * step ..< text.startIndex + (k + 1) * step], dims.dropFirst())
        }.joined(separator: ", ") + "]"
    }

    /// A variable in math mode: `W_{1}`, `\mathit{yhat}`, and `\bar{W}_{1}` for the adjoint `dW1`.
    func tex(_ name: String) -> String {
        let adjoint = plan.adjointOf[name]
        let primal = adjoint ?? name
        let letters = primal.prefix { !$0.isNumber }
        let digits = primal.dropFirst(letters.count)
        var head: String
        var lower = ""
        if digits.allSatisfy(\.isNumber) {
            head = letters.count == 1 ? String(letters) : "\\mathit{\(letters.replacingOccurrences(of: "_", with: "\\_"))}"
            if !digits.isEmpty { lower = "_{\(digits)}" }
        } else {
            head = "\\mathit{\(primal.replacingOccurrences(of: "_", with: "\\_"))}"
        }
        if adjoint != nil { head = "\\bar{\(head)}" }
        return head + lower
    }

    func print(_ t: ArrayExpr) -> Printed {
        switch t {
        case .name(let s, _): return Printed(tex(s))
        case .number(let x):
            if x.isInfinite { return Printed(x < 0 ? "-\\infty" : "\\infty", x < 0 ? Printed.unary : Printed.atom) }
            if x.isNaN { return Printed("\\mathrm{NaN}") }
            return Printed(Format.exact(x), x < 0 ? Printed.unary : Printed.atom)
        case .call(let f, let x):
            let a = print(x).text
            switch f {
            case .neg: return Printed("-" + print(x).at(Printed.product), Printed.unary)
            case .exp: return Printed("e^{\(a)}")
            case .log: return Printed("\\ln(\(a))")
            case .sqrt: return Printed("\\sqrt{\(a)}")
            case .sign: return Printed("\\operatorname{sign}(\(a))")
            case .op(let f): return Printed(f.code.latex.replacingOccurrences(of: "$", with: a))
            case .trigamma: return Printed("\\psi'(\(a))")
            }
        case .binary(let op, let a, let b):
            switch op {
            case .add: return Printed("\(print(a).at(Printed.sum)) + \(print(b).at(Printed.sum + 1))", Printed.sum)
            case .sub: return Printed("\(print(a).at(Printed.sum)) - \(print(b).at(Printed.sum + 1))", Printed.sum)
            case .mul:
                let times = a.form.isScalar || b.form.isScalar ? " \\cdot " : " \\odot "
                return Printed("\(print(a).at(Printed.product))\(times)\(print(b).at(Printed.product + 1))", Printed.product)
            case .div: return Printed("\\frac{\(print(a).text)}{\(print(b).text)}")
            case .pow: return Printed("{\(print(a).at(Printed.atom))}^{\(print(b).text)}", Printed.power)
            }
        case .indicator(let a, let cmp, let b):
            return Printed("[\(print(a).text) \(relation(cmp)) \(print(b).text)]")
        case .select(let a, let cmp, let b, let x, let y):
            return Printed("\\begin{cases} \(print(x).text) & \\text{if } \(print(a).text) \(relation(cmp)) \(print(b).text) \\\\ \(print(y).text) & \\text{otherwise} \\end{cases}")
        case .matmul(let a, let b):
            return Printed("\(print(a).at(Printed.product))\\,\(print(b).at(Printed.product + 1))", Printed.product)
        case .outer(let u, let v):
            return Printed("\(print(u).at(Printed.product))\\,\(print(v).at(Printed.atom))^{\\top}", Printed.product)
        case .transpose(let x): return Printed("\(print(x).at(Printed.atom))^{\\top}")
        case .total(let x): return Printed("\\textstyle\\sum \(print(x).at(Printed.product))", Printed.product)
        case .rowTotal(let x):
            if case .matrix = x.form { return Printed("\\textstyle\\sum_{\\text{row}} \(print(x).at(Printed.product))", Printed.product) }
            return Printed("\\textstyle\\sum \(print(x).at(Printed.product))", Printed.product)
        case .maximum(let x, let rows):
            var under = ""
            if rows, case .matrix = x.form { under = "_{\\text{row}}" }
            return Printed("\\max\(under) \(print(x).at(Printed.product))", Printed.product)
        case .softmax(let x): return Printed("\\operatorname{softmax}(\(print(x).text))")
        case .spread(let x, _, _): return Printed("\(print(x).at(Printed.product))\\,\\mathbf{1}", Printed.product)
        case .window(let call):
            let name = call.kind.rawValue.replacingOccurrences(of: "_", with: "\\_")
            let window = call.latexWindow.map { "_{\($0)}" } ?? ""
            return Printed("\\operatorname{\(name)}\(window)(\(call.operands.map { print($0).text }.joined(separator: ", ")))")
        case .columnTotal(let x):
            if case .matrix = x.form { return Printed("\\textstyle\\sum_{\\text{rows}} \(print(x).at(Printed.product))", Printed.product) }
            return Printed("\\textstyle\\sum \(print(x).at(Printed.product))", Printed.product)
        }
    }

    func relation(_ c: ArrayExpr.Comparison) -> String {
        switch c {
        case .greater: ">"
        case .less: "<"
        case .equal: "="
        case .greaterOrEqual: "\\geq"
        case .lessOrEqual: "\\leq"
        }
    }
}
