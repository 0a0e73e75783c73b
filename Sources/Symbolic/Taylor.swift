import GraphCore

extension SymbolicFunction {
    /// The Taylor coefficients f(a), f′(a), f″(a)/2!, …, f⁽ᵏ⁾(a)/k! of the output in the
    /// input or param `name` at `name = point`, up to `order` k, by differentiating
    /// symbolically k times and evaluating each derivative. Other variables take `values`.
    ///
    /// ```swift
    /// var f = try SymbolicFunction(tape: GraphLoader.load(expression: "exp(x)", …).tape)
    /// f.taylorCoefficients(wrt: "x", at: 0, order: 3)   // [1, 1, 0.5, 0.1666…]
    /// ```
    /// A cross-check for Taylor coefficients by nested forward mode: the two methods share
    /// nothing but the op table's primal functions.
    public mutating func taylorCoefficients(wrt name: String, at point: Double, order: Int,
                                            values: [String: Double] = [:]) -> [Double] {
        var values = values
        values[name] = point
        var coefficients: [Double] = []
        var d = root
        var factorial = 1.0
        for k in 0...max(0, order) {
            if k > 0 {
                d = terms.derivative(of: d, wrt: name)
                factorial *= Double(k)
            }
            coefficients.append(terms.evaluate(d, values) / factorial)
        }
        return coefficients
    }
}
