/// Prints terms one element at a time, for languages without array arithmetic (plain Python,
/// C): `h[i] = max(z[i], 0.0)`. A broadcast operand is indexed the way GraphCore broadcasts
/// it (a vector over a matrix's rows by its column, `B[j]`), and a sum (the matrix product,
/// `sum`, softmax's row sum) becomes a generator expression in Python and an accumulator loop
/// in C.
struct ElementWriter {
    enum Dialect { case python, c }
    let dialect: Dialect
    /// C only: statements that must run before the expression being printed (accumulator
    /// loops), in order, at the current loop level.
    var preludes: [String] = []
    /// Numbers the accumulators (`acc1`, `acc2`, …) across the whole program.
    var accumulators = 0
    private var depth = 0

    init(_ dialect: Dialect) { self.dialect = dialect }

    /// `t` at `index`: one index variable (or expression) per dimension of `t.form`.
    mutating func element(_ t: ArrayExpr, _ index: [String]) -> Printed {
        switch t {
        case .name(let s, let form):
            switch form {
            case .scalar: return Printed(s)
            case .vector, .column: return Printed("\(s)[\(index[0])]")
            case .matrix: return Printed("\(s)[\(index[0])][\(index[1])]")
            }
        case .number(let x):
            return Printed(dialect == .c ? x.cLiteral : x.pythonLiteral, x < 0 ? Printed.unary : Printed.atom)
        case .call(let f, let x):
            return call(f, element(x, Self.index(of: x.form, in: t.form, index)))
        case .binary(let op, let a, let b):
            let l = element(a, Self.index(of: a.form, in: t.form, index))
            let r = element(b, Self.index(of: b.form, in: t.form, index))
            switch op {
            case .add: return Printed("\(l.at(Printed.sum)) + \(r.at(Printed.sum + 1))", Printed.sum)
            case .sub: return Printed("\(l.at(Printed.sum)) - \(r.at(Printed.sum + 1))", Printed.sum)
            case .mul: return Printed("\(l.at(Printed.product)) * \(r.at(Printed.product + 1))", Printed.product)
            case .div: return Printed("\(l.at(Printed.product)) / \(r.at(Printed.product + 1))", Printed.product)
            case .pow: return power(l, r, exponent: b)
            }
        case .indicator(let a, let cmp, let b):
            let l = element(a, Self.index(of: a.form, in: t.form, index))
            let r = element(b, Self.index(of: b.form, in: t.form, index))
            return Printed("(\(l.at(Printed.sum)) \(cmp.rawValue) \(r.at(Printed.sum)))")
        case .select(let a, let cmp, let b, let x, let y):
            let l = element(a, Self.index(of: a.form, in: t.form, index))
            let r = element(b, Self.index(of: b.form, in: t.form, index))
            let yes = element(x, Self.index(of: x.form, in: t.form, index))
            let no = element(y, Self.index(of: y.form, in: t.form, index))
            let test = "\(l.at(Printed.sum)) \(cmp.rawValue) \(r.at(Printed.sum))"
            switch dialect {
            case .python: return Printed("(\(yes.at(Printed.sum)) if \(test) else \(no.at(Printed.sum)))")
            case .c: return Printed("(\(test) ? \(yes.at(Printed.sum)) : \(no.at(Printed.sum)))")
            }
        case .matmul(let a, let b):
            // (m×k)·(k×n), a vector on the left being one row and on the right one column.
            let k = depth == 0 ? "k" : "k\(depth + 1)"
            let inner: Int
            let (ia, ib): ([String], [String])
            switch (a.form, b.form) {
            case (.matrix(_, let kk), .matrix): inner = kk; (ia, ib) = ([index[0], k], [k, index[1]])
            case (.matrix(_, let kk), _): inner = kk; (ia, ib) = ([index[0], k], [k])
            case (_, .matrix(let kk, _)): inner = kk; (ia, ib) = ([k], [k, index[0]])
            default: inner = a.form.count; (ia, ib) = ([k], [k])
            }
            return sum(over: [(k, inner)]) { w in
                Printed("\(w.element(a, ia).at(Printed.product)) * \(w.element(b, ib).at(Printed.product + 1))", Printed.product)
            }
        case .outer(let u, let v):
            return Printed("\(element(u, [index[0]]).at(Printed.product)) * \(element(v, [index[1]]).at(Printed.product + 1))", Printed.product)
        case .transpose(let x):
            if case .matrix = x.form { return element(x, [index[1], index[0]]) }
            return element(x, index)
        case .total(let x):
            let names = depth == 0 ? ["k", "l"] : ["k\(depth + 1)", "l\(depth + 1)"]
            let loops = Array(zip(names, x.form.bounds))
            return sum(over: loops) { w in w.element(x, loops.map(\.0)) }
        case .rowTotal(let x):
            let k = depth == 0 ? "k" : "k\(depth + 1)"
            if case .matrix(_, let c) = x.form {
                return sum(over: [(k, c)]) { w in w.element(x, [index[0], k]) }
            }
            return sum(over: [(k, x.form.count)]) { w in w.element(x, [k]) }
        case .maximum(let x, let rows):
            let names = depth == 0 ? ["k", "l"] : ["k\(depth + 1)", "l\(depth + 1)"]
            if rows, case .matrix(_, let c) = x.form {
                return sum(over: [(names[0], c)], maximum: true) { w in w.element(x, [index[0], names[0]]) }
            }
            let loops = Array(zip(names, x.form.bounds))
            return sum(over: loops, maximum: true) { w in w.element(x, loops.map(\.0)) }
        case .softmax(let x):
            // Only written as a whole statement (`p = softmax(o)`); the Python helper also
            // answers one element.
            return Printed("softmax(\(element(x, x.form.loopIndices).text))" + index.map { "[\($0)]" }.joined())
        case .spread(let x, _, _):
            return element(x, [])
        case .window(let call):
            // The writers print a window helper's call as a whole statement (see their
            // `statement`), never element by element; this is the Python call's element.
            return Printed("flat(\(call.kind.rawValue)(\(call.pythonArguments)))[\(Self.flatIndex(call.form, index))]")
        case .columnTotal(let x):
            // One value per column: `index` is the column (a vector's one index).
            let k = depth == 0 ? "k" : "k\(depth + 1)"
            if case .matrix(let r, _) = x.form {
                return sum(over: [(k, r)]) { w in w.element(x, [k, index[0]]) }
            }
            return sum(over: [(k, x.form.count)]) { w in w.element(x, [k]) }
        }
    }

    /// The row-major position of `index` in a value of form `form`.
    static func flatIndex(_ form: Form, _ index: [String]) -> String {
        if case .matrix(_, let c) = form { return "\(index[0]) * \(c) + \(index[1])" }
        return index.first ?? "0"
    }

    /// The index of an operand of form `inner` inside a term of form `outer` at `index`:
    /// a scalar takes none, a vector broadcast over a matrix's rows takes the column, a
    /// column (one value per row) takes the row.
    static func index(of inner: Form, in outer: Form, _ index: [String]) -> [String] {
        switch (inner, outer) {
        case (.scalar, _): return []
        case (.vector, .matrix): return [index[1]]
        case (.column, .matrix): return [index[0]]
        default: return index
        }
    }

    /// Σ (or the maximum) over `loops` of `body`: a generator expression in Python; in C an
    /// accumulator filled by a loop written into `preludes`, the body's own preludes inside it.
    private mutating func sum(over loops: [(String, Int)], maximum: Bool = false, _ body: (inout ElementWriter) -> Printed) -> Printed {
        // The sum (or maximum) of a scalar is the scalar (Python's `sum` of a float is an error).
        if loops.isEmpty { return body(&self) }
        depth += 1
        defer { depth -= 1 }
        switch dialect {
        case .python:
            let b = body(&self)
            let fors = loops.map { "for \($0.0) in range(\($0.1))" }.joined(separator: " ")
            return Printed("\(maximum ? "max" : "sum")(\(b.text) \(fors))")
        case .c:
            let outer = preludes
            preludes = []
            let b = body(&self)
            let inner = preludes
            accumulators += 1
            let acc = "acc\(accumulators)"
            let step = maximum ? "\(acc) = fmax(\(acc), \(b.text));" : "\(acc) += \(b.text);"
            preludes = outer + ["double \(acc) = \(maximum ? "-INFINITY" : "0");"] + cLoops(loops, body: inner + [step])
            return Printed(acc)
        }
    }

    private func call(_ f: ArrayExpr.Function, _ x: Printed) -> Printed {
        let a = x.text
        let math = dialect == .python ? "math." : ""
        switch f {
        case .neg: return Printed("-" + x.at(Printed.unary), Printed.unary)
        case .exp: return Printed("\(math)exp(\(a))")
        case .log: return Printed("\(math)log(\(a))")
        case .sqrt: return Printed("\(math)sqrt(\(a))")
        case .sign: return Printed("((\(x.at(Printed.sum)) > 0) - (\(x.at(Printed.sum)) < 0))")
        case .op(let f): return Printed((dialect == .python ? f.code.python : f.code.c).replacingOccurrences(of: "$", with: a))
        case .trigamma: return Printed("trigamma(\(a))")
        }
    }

    /// a^b: `a ** 2` in Python for a whole exponent (math.pow otherwise, which never turns
    /// a negative base into a complex number), `a * a` or `pow(a, b)` in C.
    private func power(_ a: Printed, _ b: Printed, exponent: ArrayExpr) -> Printed {
        var whole = false
        if case .number(let n) = exponent, n == n.rounded(), abs(n) < 1e15 { whole = true }
        switch dialect {
        case .python:
            if whole { return Printed("\(a.at(Printed.atom)) ** \(b.at(Printed.unary))", Printed.power) }
            return Printed("math.pow(\(a.text), \(b.text))")
        case .c:
            if case .number(2) = exponent, a.precedence == Printed.atom {
                return Printed("\(a.text) * \(a.text)", Printed.product)
            }
            return Printed("pow(\(a.text), \(b.text))")
        }
    }
}

/// C `for` loops over `loops` around `body`: one line when the body is one statement.
func cLoops(_ loops: [(String, Int)], body: [String]) -> [String] {
    guard let (i, n) = loops.first else { return body }
    let head = "for (int \(i) = 0; \(i) < \(n); \(i)++)"
    let inner = cLoops(Array(loops.dropFirst()), body: body)
    if inner.count == 1 { return ["\(head) \(inner[0])"] }
    return ["\(head) {"] + inner.map { "    " + $0 } + ["}"]
}
