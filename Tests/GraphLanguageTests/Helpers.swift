import GraphLanguage

/// Fully parenthesised form, so a test states the tree's shape exactly: `-x^2` is `(-(x^2))`.
func shape(_ expression: Expr) -> String {
    switch expression.kind {
    case let .number(value):
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    case let .name(name):
        return name
    case let .unary(op, operand):
        return "(\(op.rawValue)\(shape(operand)))"
    case let .binary(op, lhs, rhs, _):
        return "(\(shape(lhs))\(op.rawValue)\(shape(rhs)))"
    case let .call(name, _, arguments):
        return "\(name)(" + arguments.map(shape).joined(separator: ",") + ")"
    case let .tensor(elements):
        return "[" + elements.map(shape).joined(separator: ",") + "]"
    case let .keyword(name, _, value):
        return "\(name)=\(shape(value))"
    case let .index(base, subscripts):
        return shape(base) + "[" + subscripts.map(shape).joined(separator: ",") + "]"
    case let .slice(start, stop):
        return (start.map(shape) ?? "") + ":" + (stop.map(shape) ?? "")
    }
}

/// Parses `text` as a file named `test.grad`.
func parse(_ text: String, name: String = "test.grad") -> (file: SourceFile, program: Program, diagnostics: [Diagnostic]) {
    let file = SourceFile(name: name, text: text)
    let (program, diagnostics) = Parser.parse(file)
    return (file, program, diagnostics)
}

/// The shape of the single expression in `text`, or the rendered errors.
func parsedShape(_ text: String) -> String {
    let (file, program, diagnostics) = parse(text)
    guard diagnostics.isEmpty else { return DiagnosticRenderer().render(diagnostics, in: file) }
    return program.statements.compactMap { $0.expression.map(shape) }.joined(separator: "; ")
}

/// All diagnostics of `text`, rendered without colour.
func rendered(_ text: String, name: String = "test.grad") -> String {
    let (file, _, diagnostics) = parse(text, name: name)
    return DiagnosticRenderer().render(diagnostics, in: file)
}
