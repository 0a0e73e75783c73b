/// Random graph programs over the tensor ops added for layers and images: subscripts of rank
/// 3 and 4, `concat`, reductions along an axis, convolution (1-D and 2-D) and pooling, batch
/// norm (of rows and of images), layer norm, dropout, `where`, `log_softmax`, `linear`,
/// `reshape`, `max`/`min`/`leaky_relu`, one-element constant matrices; comparisons, `clip`,
/// `stop_gradient`, the other elementwise functions, `stack`, `prod`, `cross_entropy`,
/// `logsumexp`, `mse`, row gathers, broadcasting and `keepdim=true`. Each program declares a few
/// inputs and params of ranks 1 to 4, chains random steps on them, and sums what it built into
/// a scalar `y`, so that `eval --json` and the programs `codegen` writes can be compared.
///
/// Values stay finite by construction: logarithms only see softmax, divisions are by 1 + u²,
/// exponentials take a tanh.
public struct GraphGenerator {
    public var rng: SplitMix64
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A value of the program under construction: its name and its extents.
    struct Value {
        var name: String
        var dims: [Int]
    }

    private var values: [Value] = []
    private var lines: [String] = []
    private var count = 0

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// Numbers for a literal of `dims`, nested one bracket per extent.
    mutating func literal(_ dims: [Int]) -> String {
        guard let first = dims.first else { return pick(["0.5", "-1.25", "2", "0.75", "-0.3", "1.5"]) }
        return "[" + (0..<first).map { _ in literal(Array(dims.dropFirst())) }.joined(separator: ", ") + "]"
    }

    mutating func fresh(_ dims: [Int], _ expression: String) {
        count += 1
        let name = "t\(count)"
        lines.append("\(name) = \(expression)")
        values.append(Value(name: name, dims: dims))
    }

    /// One program of about `steps` random steps.
    public mutating func program(steps: Int = 6) -> String {
        values = []
        lines = []
        count = 0
        let leaves: [(String, [Int])] = [
            ("x", [3]), ("W", [2, 3]), ("T", [2, 3, 3]), ("X", [2, 2, 4, 4]),
        ]
        for (name, dims) in leaves where below(4) != 0 || name == "x" {
            lines.append("\(pick(["input", "param"])) \(name) = \(literal(dims))")
            values.append(Value(name: name, dims: dims))
        }
        for _ in 0..<steps { step() }
        let parts = values.suffix(3).map { "sum(\($0.name))" }
        lines.append("y = " + parts.joined(separator: " + "))
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func step() {
        let v = pick(values)
        let d = v.dims
        let n = v.name
        switch d.isEmpty ? below(4) : below(29) {
        case 0: fresh(d, "\(pick(["tanh", "sigmoid", "sin", "relu", "abs", "softplus"]))(\(n))")
        case 1: fresh(d, "\(n) * \(n) + \(pick(["0.5", "sum([[2]] @ [[0.5, 1]])", "sum([[2]])", "mean([3])"]))")
        case 2: fresh(d, "\(n) / (1 + \(n) ^ 2) - exp(tanh(\(n)))")
        case 3: fresh(d, "where(\(n) - 0.1, \(n), 2 * \(n))")
        case 4:
            // A reduction along a random axis (a vector's axis 0 leaves a scalar).
            let axis = below(d.count)
            var out = d
            out.remove(at: axis)
            fresh(out, "\(pick(["sum", "mean", "max", "var"]))(\(n), axis=\(axis))")
        case 5:
            // A subscript: a number drops the axis, a slice keeps part of it.
            var parts: [String] = [], out: [Int] = []
            for (k, e) in d.enumerated() {
                switch below(3) {
                case 0 where k < 2: parts.append("\(below(e))")
                case 1 where e > 1: parts.append("1:"); out.append(e - 1)
                default: parts.append(":"); out.append(e)
                }
            }
            if out.isEmpty { parts[parts.count - 1] = ":"; out = [d[d.count - 1]] }
            fresh(out, "\(n)[\(parts.joined(separator: ", "))]")
        case 6:
            let axis = below(d.count)
            var out = d
            out[axis] *= 2
            fresh(out, "concat(\(n), tanh(\(n)), axis=\(axis))")
        case 7 where d.count <= 2: fresh(d, pick(["softmax", "log_softmax"]) + "(\(n))")
        case 8 where d.count == 2 && d[0] >= 2: fresh(d, "batchnorm(\(n), \(literal([d[1]])), \(literal([d[1]])))")
        case 9 where d.count <= 2:
            let c = d[d.count - 1]
            fresh(d, "layernorm(\(n), \(literal([c])), \(literal([c])))")
        case 10: fresh(d, "dropout(\(n), 0.5, \(below(100)))")
        case 11 where (d.count == 3 || d.count == 4) && d[d.count - 1] >= 2 && d[d.count - 2] >= 2:
            // A 2 × 2 convolution with one or two filters, and maybe padding and a bias.
            let c = d[d.count - 3], filters = 1 + below(2), pad = below(2)
            var out = d
            out[d.count - 3] = filters
            out[d.count - 2] += 2 * pad - 1
            out[d.count - 1] += 2 * pad - 1
            let bias = below(2) == 0 ? ", \(literal([filters]))" : ""
            fresh(out, "conv2d(\(n), \(literal([filters, c, 2, 2]))\(bias)\(pad > 0 ? ", padding=\(pad)" : ""))")
        case 12 where (d.count == 3 || d.count == 4) && d[d.count - 1] >= 2 && d[d.count - 2] >= 2:
            // A 2 × 2 pool, ResNet's padded 3 × 3 at stride 2, or a 1 × 2 window.
            var out = d
            let (h, w) = (d[d.count - 2], d[d.count - 1])
            let window = below(3)
            let form = ["2", "3, 2, 1", "[1, 2]"][window]
            (out[d.count - 2], out[d.count - 1]) = [(h / 2, w / 2), ((h - 1) / 2 + 1, (w - 1) / 2 + 1), (h, w / 2)][window]
            fresh(out, "\(pick(["maxpool2d", "avgpool2d"]))(\(n), \(form))")
        case 13 where d.count == 2: fresh([d[1], d[0]], "transpose(\(n))")
        case 14 where d.count == 2: fresh([d[0]], "\(n) @ \(literal([d[1]]))")
        case 15: fresh([d.reduce(1, *)], "flatten(\(n))")
        case 16 where d.count == 4 && d[0] >= 2:
            // Batch norm over images: one mean and variance per channel.
            fresh(d, "batchnorm(\(n), \(literal([d[1]])), \(literal([d[1]])))")
        case 17 where d.count == 2 || d.count == 3:
            // conv1d on (C, L) or (N, C, L) with a kernel of 2.
            let c = d[d.count - 2]
            var out = d
            out[d.count - 2] = 1
            out[d.count - 1] -= 1
            if out[d.count - 1] >= 1 { fresh(out, "conv1d(\(n), \(literal([1, c, 2])))") } else { fresh(d, "-\(n)") }
        case 18 where d.count == 1: fresh([2], "linear(\(n), \(literal([2, d[0]])), \(literal([2])))")
        case 19: fresh(d, "\(pick(["max", "min", "leaky_relu"]))(\(n), \(pick(["0.1", "tanh(\(n))"])))")
        case 20:
            let total = d.reduce(1, *)
            fresh([total, 1], "reshape(\(n), [\(total), 1])")
        case 21:
            // Comparisons: as a mask in `where`, and as 0/1 numbers in a product.
            let relation = pick([">", ">=", "<", "<=", "==", "!="])
            fresh(d, pick(["where(\(n) \(relation) 0.5, \(n), 0.5 * \(n))", "\(n) * (\(n) \(relation) 0.5)"]))
        case 22: fresh(d, pick(["clip(\(n), -0.5, 1)", "stop_gradient(\(n)) * \(n)", "clip(\(n), -1, 0.5) + stop_gradient(tanh(\(n)))"]))
        case 23:
            // The other elementwise functions, each on a domain where it is finite.
            fresh(d, pick(["erf(\(n))", "lgamma(1 + \(n) ^ 2)", "digamma(1 + \(n) ^ 2)", "atanh(0.5 * tanh(\(n)))",
                           "sqrt(1 + \(n) ^ 2)", "ln(1 + \(n) ^ 2)", "cos(\(n)) * step(\(n))", "tan(0.5 * tanh(\(n)))"]))
        case 24 where d.count <= 3:
            // stack of two values on a new axis anywhere from 0 to rank.
            let axis = below(d.count + 1)
            var out = d
            out.insert(2, at: axis)
            fresh(out, "stack([\(n), sigmoid(\(n))], axis=\(axis))")
        case 25 where d.reduce(1, *) <= 8: fresh([], "prod(\(n))")
        case 26 where d.count == 2:
            let labels = (0..<d[0]).map { _ in "\(below(d[1]))" }.joined(separator: ", ")
            if below(2) == 0 { fresh([], "cross_entropy(\(n), [\(labels)])") } else { fresh([d[0]], "logsumexp(\(n), axis=1)") }
        case 26 where d.count == 1: fresh([], pick(["logsumexp(\(n))", "mse(\(n), \(literal(d)))"]))
        case 27:
            // A row gather along the first axis: indices may repeat, so adjoints add up.
            let picks = (0..<(1 + below(3))).map { _ in "\(below(d[0]))" }
            fresh([picks.count] + d.dropFirst(), "\(n)[[\(picks.joined(separator: ", "))]]")
        case 28:
            // Broadcasting against a vector along the last axis, and a reduction that keeps
            // its axis (extent 1) subtracted back.
            let axis = below(d.count)
            fresh(d, pick(["\(n) + \(literal([d[d.count - 1]]))",
                           "\(n) - \(pick(["sum", "mean", "max"]))(\(n), axis=\(axis), keepdim=true)"]))
        default: fresh(d, "-\(n)")
        }
    }
}
