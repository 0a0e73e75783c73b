import GraphCore

/// Writes a plan as a C99 program on `double` arrays (`double W[3][2]`) and `math.h`; every
/// tensor statement is a loop, every sum an accumulator. Compiles with
/// `cc -std=c99 prog.c -lm`.
struct CWriter: CodeWriter {
    var plan: Plan
    var origin: String

    func program() -> String {
        var out = [
            "/* The forward pass and the reverse sweep of \(comment(origin)), written out by",
            " * `gradstep codegen --lang c`: one statement per tape entry, the adjoint of v",
            " * (∂\(comment(plan.outputKey))/∂v) in dv. Build and run: cc -std=c99 prog.c -lm && ./a.out;",
            " * it prints what `gradstep eval --json` prints. */",
            "#include <math.h>",
            "#include <stdio.h>",
            "#include <stdlib.h>",
            "",
        ]
        let uses = plan.uses
        if uses.sigmoid {
            out += [
                "/* The logistic function 1/(1 + e^-x), accurate for large |x|. */",
                "static double sigmoid(double x) {",
                "    double e = exp(-fabs(x));",
                "    return x >= 0 ? 1 / (1 + e) : e / (1 + e);",
                "}",
                "",
            ]
        }
        if plan.usesGamma { out += GammaHelpers.c }
        out += WindowHelpers.c(plan.windowKinds)
        if uses.softmax {
            out += [
                "/* Softmax of each of `rows` rows of `width` numbers; the row's max is subtracted first. */",
                "static void softmax(const double *x, double *y, int rows, int width) {",
                "    for (int r = 0; r < rows; r++) {",
                "        const double *in = x + r * width;",
                "        double *out = y + r * width, top = -INFINITY, total = 0;",
                "        for (int k = 0; k < width; k++) top = in[k] > top ? in[k] : top;",
                "        for (int k = 0; k < width; k++) total += out[k] = exp(in[k] - top);",
                "        for (int k = 0; k < width; k++) out[k] /= total;",
                "    }",
                "}",
                "",
            ]
        }
        out += [
            "/* A number as `gradstep eval --json` prints it: the shortest text that reads back to",
            " * the same double, a whole number without a decimal point, null for NaN and infinity. */",
            "static void print_number(double x) {",
            "    if (isnan(x) || isinf(x)) { fputs(\"null\", stdout); return; }",
            "    if (x == floor(x) && fabs(x) < 1e15) { printf(\"%lld\", (long long)x); return; }",
            "    char text[32];",
            "    for (int digits = 1; digits <= 17; digits++) {",
            "        snprintf(text, sizeof text, \"%.*g\", digits, x);",
            "        if (strtod(text, NULL) == x) break;",
            "    }",
            "    fputs(text, stdout);",
            "}",
            "",
        ]
        if !plan.output.form.isScalar || plan.gradients.contains(where: { !$0.form.isScalar }) {
            out += [
                "/* A scalar (rank 0), a vector (rank 1) or a matrix of rows (rank 2), as nested JSON lists. */",
                "static void print_tensor(const double *v, int rank, int rows, int cols) {",
                "    if (rank == 0) { print_number(v[0]); return; }",
                "    fputs(\"[\", stdout);",
                "    for (int r = 0; r < rows; r++) {",
                "        if (r > 0) fputs(\", \", stdout);",
                "        if (rank == 1) { print_number(v[r]); continue; }",
                "        fputs(\"[\", stdout);",
                "        for (int c = 0; c < cols; c++) {",
                "            if (c > 0) fputs(\", \", stdout);",
                "            print_number(v[r * cols + c]);",
                "        }",
                "        fputs(\"]\", stdout);",
                "    }",
                "    fputs(\"]\", stdout);",
                "}",
                "",
            ]
        }
        if !plan.dims.isEmpty {
            out += [
                "/* A tensor of rank 3 or 4 as JSON lists nested one level per extent (`dims`, outermost first). */",
                "static void print_nested(const double *v, const int *dims, int rank) {",
                "    int inner = 1;",
                "    for (int d = 1; d < rank; d++) inner *= dims[d];",
                "    fputs(\"[\", stdout);",
                "    for (int k = 0; k < dims[0]; k++) {",
                "        if (k > 0) fputs(\", \", stdout);",
                "        if (rank == 1) print_number(v[k]); else print_nested(v + k * inner, dims + 1, rank - 1);",
                "    }",
                "    fputs(\"]\", stdout);",
                "}",
                "",
            ]
        }
        out.append("int main(void) {")
        var body = ["/* Inputs and params (their gradients are printed), and constants */"]
        for leaf in plan.leaves {
            let note = leaf.note(comment).map { "  /* " + $0 + " */" } ?? ""
            body.append("\(declaration(leaf.name, leaf.form)) = \(literal(leaf.values, leaf.form));\(note)")
        }
        var w = ElementWriter(.c)
        body += ["", "/* Forward pass */"]
        for a in plan.forward { body += lines(a, &w) }
        body += ["", "/* Reverse sweep: from the output down; `+=` adds a further consumer's contribution */"]
        for step in plan.reverse { body += lines(step, &w) }
        body += [""]
        body.append("fputs(\(cString("{\"output\": \(JSON.string(plan.outputKey).text), \"value\": ")), stdout);")
        body.append(printCall(plan.output.name, plan.output.form, plan.dims[plan.output.name]))
        var separator = ", \"outputs\": {"
        for o in plan.outputs {
            body.append("fputs(\(cString(separator + JSON.string(o.key).text + ": ")), stdout);")
            body.append(printCall(o.name, o.form, plan.dims[o.name]))
            separator = ", "
        }
        separator = (plan.outputs.isEmpty ? "" : "}") + ", \"gradient\": {"
        for g in plan.gradients {
            body.append("fputs(\(cString(separator + JSON.string(g.key).text + ": ")), stdout);")
            body.append(printCall(g.adjoint, g.form, plan.dims[g.adjoint]))
            separator = ", "
        }
        body.append("fputs(\(cString((plan.gradients.isEmpty ? separator : "") + "}}\n")), stdout);")
        body.append("return 0;")
        out += body.map { $0.isEmpty ? "" : "    " + $0 }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    func lines(_ a: Plan.Assignment, _ w: inout ElementWriter) -> [String] {
        if case .softmax(let x) = a.term, case .name(let input, _) = x {
            let (rows, width) = a.form.rowsAndWidth
            return ["\(declaration(a.target, a.form));",
                    "softmax(\(pointer(input, a.form)), \(pointer(a.target, a.form)), \(rows), \(width));"]
        }
        return statement(a.target, a.form, a.term, accumulates: false, &w)
    }

    func lines(_ step: Plan.Step, _ w: inout ElementWriter) -> [String] {
        switch step {
        case .seed(let name, let form):
            if let v = plan.seed {
                let note = "/* \(comment(plan.seedComment)) */"
                return [note, form.isScalar ? "double \(name) = \(v[0].cLiteral);" : "\(declaration(name, form)) = \(literal(v, form));"]
            }
            return ["/* seed: ∂\(comment(plan.outputKey))/∂\(comment(plan.outputKey)) = 1 */"] + filled(name, form, 1)
        case .zero(let name, let form, _):
            return ["/* no path to the output */"] + filled(name, form, 0)
        case .visit(_, _, let formula):
            return ["/* \(comment(formula)) */"]
        case .contribution(let c):
            return statement(c.target, c.form, c.term, accumulates: c.accumulates, &w)
        }
    }

    /// `target = term` or `target += term` as loops over the elements; a broadcast term is
    /// summed into a zeroed adjoint.
    func statement(_ target: String, _ form: Form, _ term: ArrayExpr, accumulates: Bool, _ w: inout ElementWriter) -> [String] {
        if case .window(let call) = term {
            // The helpers add into their output: a new variable starts at zero.
            let add = WindowHelpers.cStatement(call, into: pointer(target, form)) { t in
                if case .number(let x) = t { return "(double[]){\(x.cLiteral)}" }
                return pointer(t.variable, t.form)
            }
            return accumulates ? [add] : ["\(declaration(target, form)) = \(zero(form));", add]
        }
        var lines: [String] = []
        let reduction = Reduction(term: term.form, target: form)
        if reduction != .none && !accumulates { lines.append("\(declaration(target, form)) = \(zero(form));") }
        let space = reduction == .none ? form : term.form
        let index = space.loopIndices
        w.preludes = []
        let e = w.element(term, index).text
        let element: String
        switch reduction {
        case .none: element = target + form.loopIndices.map { "[\($0)]" }.joined()
        case .total: element = target
        case .rows: element = "\(target)[j]"
        }
        let op = accumulates || reduction != .none ? "+=" : "="
        if form.isScalar && reduction == .none && !accumulates {
            return w.preludes + ["double \(target) = \(e);"]
        }
        if reduction == .none && !accumulates { lines.append("\(declaration(target, form));") }
        lines += cLoops(Array(zip(index, space.bounds)), body: w.preludes + ["\(element) \(op) \(e);"])
        return lines
    }

    func declaration(_ name: String, _ form: Form) -> String {
        "double " + name + form.bounds.map { "[\($0)]" }.joined()
    }

    func zero(_ form: Form) -> String {
        switch form {
        case .scalar: "0.0"
        case .vector, .column: "{0}"
        case .matrix: "{{0}}"
        }
    }

    /// An adjoint set to `x` on every element (the seed 1, or 0 where no path reaches it).
    func filled(_ name: String, _ form: Form, _ x: Double) -> [String] {
        if x == 0 { return ["\(declaration(name, form)) = \(zero(form));"] }
        if form.isScalar { return ["double \(name) = \(x.cLiteral);"] }
        let index = form.loopIndices
        return ["\(declaration(name, form));"]
            + cLoops(Array(zip(index, form.bounds)), body: ["\(name)\(index.map { "[\($0)]" }.joined()) = \(x.cLiteral);"])
    }

    func literal(_ v: [Double], _ form: Form) -> String {
        switch form {
        case .scalar: return v[0].cLiteral
        case .vector, .column: return "{" + v.map(\.cLiteral).joined(separator: ", ") + "}"
        case .matrix(let r, let c):
            return "{" + (0..<r).map { i in "{" + v[i * c ..< (i + 1) * c].map(\.cLiteral).joined(separator: ", ") + "}" }
                .joined(separator: ", ") + "}"
        }
    }

    func pointer(_ name: String, _ form: Form) -> String {
        switch form {
        case .scalar: "&\(name)"
        case .vector, .column: name
        case .matrix: "&\(name)[0][0]"
        }
    }

    func printCall(_ name: String, _ form: Form, _ dims: [Int]? = nil) -> String {
        if let dims { return "print_nested(\(pointer(name, form)), (int[]){\(dims.map(String.init).joined(separator: ", "))}, \(dims.count));" }
        switch form {
        case .scalar: return "print_number(\(name));"
        case .vector(let n), .column(let n): return "print_tensor(\(name), 1, \(n), 1);"
        case .matrix(let r, let c): return "print_tensor(&\(name)[0][0], 2, \(r), \(c));"
        }
    }

    /// `text` as a C string literal.
    func cString(_ text: String) -> String {
        // `?` escaped too: with -std=c99, `??/` is a trigraph for a backslash.
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "?", with: "\\?") + "\""
    }

    /// `text` made safe inside a C comment.
    func comment(_ text: String) -> String { Codegen.commentText(text).replacingOccurrences(of: "*/", with: "* /") }
}

extension Form {
    /// Softmax's rows and the width of each.
    var rowsAndWidth: (Int, Int) {
        if case .matrix(let r, let c) = self { return (r, c) }
        return (1, count)
    }
}
