import GraphCore
import GraphLanguage
import Symbolic
import Testing

/// Loads `text` as a typed expression; free names that `values` does not give hold 1.
func loadExpression(_ text: String, values: [String: Double] = [:]) throws -> Graph {
    let pairs = values.sorted { $0.key < $1.key }.map { (name: $0.key, text: "\($0.value)") }
    switch SymbolicFunction.loadExpression(text, values: pairs) {
    case .success(let graph): return graph
    case .failure(let failure): throw LoadError(text: failure.rendered())
    }
}

struct LoadError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

/// The expression `text` read as a symbolic function.
func function(_ text: String) throws -> SymbolicFunction {
    try SymbolicFunction(tape: loadExpression(text).tape)
}

/// The simplified derivative of `text` with respect to `name`, printed.
func derivativeText(_ text: String, wrt name: String = "x") throws -> String {
    var f = try function(text)
    let d = f.derivative(wrt: name)
    return try f.terms.source(d)
}

/// `a` and `b` agree to a relative tolerance (or both are tiny).
func close(_ a: Double, _ b: Double, rel: Double = 1e-9, abs: Double = 1e-12) -> Bool {
    Swift.abs(a - b) <= Swift.max(abs, rel * Swift.max(Swift.abs(a), Swift.abs(b)))
}
