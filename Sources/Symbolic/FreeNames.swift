import GraphCore
import GraphLanguage

extension SymbolicFunction {
    /// Loads a typed expression (`-e`) whose free names need no values: a symbolic
    /// derivative is not taken at a point, so each free name that `values` leaves out becomes
    /// a scalar input holding the placeholder 1.
    public static func loadExpression(_ text: String, values: [(name: String, text: String)] = []) -> Result<Graph, LoadFailure> {
        let given = Set(values.map(\.name))
        let placeholders = freeNames(of: text).filter { !given.contains($0) }.map { (name: $0, text: "1") }
        return GraphLoader.load(expression: text, values: values + placeholders)
    }

    /// Names an expression uses but does not define, in order of first use (none for text
    /// with syntax errors: loading it reports them).
    public static func freeNames(of text: String) -> [String] {
        let (program, diagnostics) = Parser.parse(SourceFile(name: "-e", text: text))
        guard !diagnostics.containsErrors else { return [] }
        let defined = Set(program.statements.filter { $0.kind != .output }.compactMap(\.name))
        var free: [String] = []
        // The parser bounds an expression's height, so this recursion is bounded too.
        func visit(_ e: Expr) {
            // `keepdim=true`, `unbiased=true`, `mode=eval`: the word names an option, not an
            // input (the words the lowering reads as words, Expr.isOptionWord).
            if e.isOptionWord { return }
            if case let .name(name) = e.kind, !defined.contains(name), !free.contains(name) { free.append(name) }
            e.kind.children.forEach(visit)
        }
        program.statements.compactMap(\.expression).forEach(visit)
        return free
    }
}
