import GraphCore

/// The function an optimiser descends: a tape's output as a function of some of its leaves
/// (the variables), flattened into one vector θ in the order given.
///
/// The tape is built once; every evaluation writes θ into the variables' slots of one value
/// buffer, runs the forward sweep over the cached tape and, for a gradient, one reverse sweep
/// into a reused adjoint buffer. Nothing is parsed or allocated per step.
///
/// ```swift
/// var f = try Objective(tape: graph.tape, variables: [xNode, yNode])
/// let (loss, gradient) = f.gradient(at: [-1.2, 1])
/// ```
public struct Objective: Sendable {
    public private(set) var tape: Tape
    /// The tape indices of the variables (inputs or params), in θ's order.
    public let variables: [Int]
    /// Where each variable's elements start in θ; `starts.last` is θ's length.
    public let starts: [Int]
    private var values: [Double]
    private var adjoints: [Double]

    /// Why a tape cannot be optimised.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(tape: Tape, variables: [Int]) throws(Problem) {
        guard tape.entries[tape.output].count == 1 else {
            throw Problem(description: "the output is a \(tape.entries[tape.output].shape), not a scalar loss; reduce it first, e.g. 'L = sum(y)' or 'L = mean(y)'")
        }
        guard !variables.isEmpty else {
            throw Problem(description: "there is nothing to optimise: the graph has no params or inputs to update")
        }
        self.tape = tape
        self.variables = variables
        var starts = [0]
        for v in variables { starts.append(starts.last! + tape.entries[v].count) }
        self.starts = starts
        values = tape.evaluate()
        adjoints = [Double](repeating: 0, count: tape.valueCount)
    }

    /// θ's length: the number of scalars being optimised.
    public var dimension: Int { starts.last! }

    /// θ as the tape currently stores it (the starting point).
    public var initialPoint: [Double] {
        variables.flatMap { Array(tape.leafValues($0)) }
    }

    /// The loss at θ (one forward sweep).
    public mutating func loss(at theta: [Double]) -> Double {
        load(theta)
        tape.forward(&values)
        return values[Int(tape.entries[tape.output].offset)]
    }

    /// The loss and its gradient ∇L(θ) (one forward and one reverse sweep).
    public mutating func gradient(at theta: [Double]) -> (loss: Double, gradient: [Double]) {
        var g = [Double](repeating: 0, count: dimension)
        let loss = gradient(at: theta, into: &g)
        return (loss, g)
    }

    /// `gradient(at:)` into an existing buffer of `dimension` numbers.
    public mutating func gradient(at theta: [Double], into g: inout [Double]) -> Double {
        load(theta)
        tape.forward(&values)
        tape.adjoints(values: values, into: &adjoints)
        for (k, v) in variables.enumerated() {
            let o = Int(tape.entries[v].offset)
            for j in 0 ..< starts[k + 1] - starts[k] { g[starts[k] + j] = adjoints[o + j] }
        }
        return values[Int(tape.entries[tape.output].offset)]
    }

    /// The Hessian-vector product H(θ)·u by forward-over-reverse on the tape.
    public mutating func hessianVector(at theta: [Double], _ u: [Double]) -> [Double] {
        load(theta)
        tape.forward(&values)
        var seed = [Double](repeating: 0, count: tape.valueCount)
        for (k, v) in variables.enumerated() {
            let o = Int(tape.entries[v].offset)
            for j in 0 ..< starts[k + 1] - starts[k] { seed[o + j] = u[starts[k] + j] }
        }
        let (_, h) = tape.hessianVectorProduct(values: values, direction: seed)
        var out = [Double](repeating: 0, count: dimension)
        for (k, v) in variables.enumerated() {
            let o = Int(tape.entries[v].offset)
            for j in 0 ..< starts[k + 1] - starts[k] { out[starts[k] + j] = h[o + j] }
        }
        return out
    }

    /// The full Hessian, one Hessian-vector product per coordinate direction eᵢ (column i),
    /// symmetrised as ½(H + Hᵀ) to wash out rounding.
    public mutating func hessian(at theta: [Double]) -> [[Double]] {
        let n = dimension
        var columns: [[Double]] = []
        for i in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[i] = 1
            columns.append(hessianVector(at: theta, e))
        }
        var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0..<n { h[i][j] = 0.5 * (columns[j][i] + columns[i][j]) } }
        return h
    }

    /// Replaces a non-variable leaf's values (a mini-batch of a data matrix) in place; its
    /// shape is fixed by the tape.
    public mutating func setLeaf(_ leaf: Int, _ data: [Double]) {
        let o = Int(tape.entries[leaf].offset)
        for k in data.indices { values[o + k] = data[k] }
        tape.setLeafValues(leaf, data)
    }

    /// Stores θ as the variables' leaf values, so the tape (and anything built from it next)
    /// starts from there.
    public mutating func commit(_ theta: [Double]) {
        for (k, v) in variables.enumerated() { tape.setLeafValues(v, Array(theta[starts[k] ..< starts[k + 1]])) }
    }

    private mutating func load(_ theta: [Double]) {
        for (k, v) in variables.enumerated() {
            let o = Int(tape.entries[v].offset)
            for j in 0 ..< starts[k + 1] - starts[k] { values[o + j] = theta[starts[k] + j] }
        }
    }
}
