import GraphCore

/// The variable names of a generated program: the graph's own names where they are plain
/// ASCII identifiers (`h`, `W1`), else the trace's labels (`v3` for v₃), and `d<name>` for
/// each adjoint. One set of names serves every language, so a student can compare the NumPy,
/// Python, C and LaTeX versions line by line.
struct Names {
    /// `primal[i]`: node i's variable, or nil for a scalar constant written inline as a number.
    private(set) var primal: [String?]
    /// `adjoint[i]`: the variable holding node i's adjoint ∂output/∂node.
    private(set) var adjoint: [String]
    private var taken: Set<String> = []

    init(_ tape: Tape) {
        primal = Array(repeating: nil, count: tape.count)
        adjoint = Array(repeating: "", count: tape.count)
        // The graph's names first, so a made-up name never takes one the user chose.
        for i in 0..<tape.count {
            if let name = tape.names[i], Names.isPlainIdentifier(name), !Names.isReserved(name), !taken.contains(name) {
                primal[i] = name
                taken.insert(name)
            }
        }
        var constants = 0
        for i in 0..<tape.count where primal[i] == nil {
            let e = tape.entries[i]
            if e.op == .constant {
                if tape.names[i] == nil && e.count == 1 && i != tape.output { continue }
                constants += 1
                primal[i] = unique("c\(constants)")
            } else if e.op.kind == .leaf {
                primal[i] = unique("x\(i + 1)")
            } else {
                primal[i] = unique("v\(i - tape.firstComputed + 1)")
            }
        }
        for i in 0..<tape.count {
            if let name = primal[i] { adjoint[i] = unique("d" + name) }
        }
    }

    private mutating func unique(_ base: String) -> String {
        var name = base
        while taken.contains(name) || Names.isReserved(name) { name += "_" }
        taken.insert(name)
        return name
    }

    /// A letter or `_`, then letters, digits and `_`, all ASCII: an identifier in Python, C
    /// and LaTeX alike (Python would fold `x₁` into `x1`; C compilers differ on Unicode).
    static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// Keywords and library names of the generated languages, the helpers the programs
    /// define, and the loop indices and accumulators (`i`, `j`, `k`, `l`, `acc3`).
    static func isReserved(_ s: String) -> Bool {
        if reserved.contains(s) { return true }
        for prefix in ["acc", "k", "l"] where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            if !rest.isEmpty && rest.allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    static let reserved: Set<String> = [
        // Python keywords, and the builtins and modules the programs call
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "abs", "max", "min", "sum", "range", "len", "float", "int", "list", "print", "repr", "str",
        "isinstance", "zip", "math", "np", "numpy",
        // C keywords and the library names the programs call
        "auto", "case", "char", "const", "default", "do", "double", "enum", "extern", "goto", "inline",
        "long", "register", "restrict", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "main", "sin", "cos", "tan", "exp", "log",
        "log1p", "sqrt", "tanh", "atanh", "fabs", "fmax", "pow", "floor", "isnan", "isinf", "printf",
        "fputs", "snprintf", "strtod", "stdout", "NULL", "INFINITY", "NAN",
        // The programs' helpers and loop indices
        "as_json", "sigmoid", "softmax", "print_number", "print_tensor", "i", "j", "k", "l", "acc",
        "lgamma", "digamma", "trigamma", "psi", "psi1",
    ]
}
