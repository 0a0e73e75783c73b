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
                // Only a scalar is written inline as a number: a one-element matrix [[2]]
                // keeps its form (the writers index it, and `@` needs its shape).
                if tape.names[i] == nil && e.count == 1 && e.rank == 0 && i != tape.output { continue }
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

    /// Keywords, built-ins and library names of the generated languages, the helpers the
    /// programs define, and the loop indices and accumulators (`i`, `j`, `k`, `l`, `acc3`): a
    /// graph's node named `sum`, `conv`, `_Bool` or `EOF` gets a trailing `_` instead. C keeps
    /// every name that starts with `_` and a capital, or with two `_`, for itself.
    static func isReserved(_ s: String) -> Bool {
        if reserved.contains(s) { return true }
        if s.hasPrefix("__") { return true }
        if s.hasPrefix("_"), let second = s.unicodeScalars.dropFirst().first, ("A"..."Z").contains(second) { return true }
        for prefix in ["acc", "k", "l"] where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            if !rest.isEmpty && rest.allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    static let reserved: Set<String> = python.union(c).union(helpers)

    /// Python's keywords (soft ones too) and every name of its `builtins` module that a
    /// program could call, and the modules the programs import.
    static let python: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "match", "case", "type", "_",
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes",
        "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict",
        "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset",
        "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next",
        "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed",
        "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple",
        "vars", "zip", "Ellipsis", "NotImplemented", "Exception", "BaseException",
        "math", "np", "numpy", "json", "sys",
    ]

    /// C's keywords (C99 to C23), and the functions and macros of <math.h>, <stdio.h> and
    /// <stdlib.h> a program calls or that are macros (a macro is replaced wherever the name
    /// appears, a local variable cannot hide it).
    static let c: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
        "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
        "volatile", "while", "bool", "true", "false", "nullptr", "alignas", "alignof", "constexpr",
        "static_assert", "thread_local", "typeof", "typeof_unqual", "main",
        "sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "tanh", "atanh", "fabs", "fmax", "pow", "floor",
        "lgamma", "printf", "fputs", "snprintf", "strtod",
        "isnan", "isinf", "isfinite", "isnormal", "signbit", "fpclassify", "isgreater", "isgreaterequal",
        "isless", "islessequal", "islessgreater", "isunordered", "math_errhandling", "HUGE_VAL", "HUGE_VALF",
        "HUGE_VALL", "INFINITY", "NAN", "MATH_ERRNO", "MATH_ERREXCEPT", "FP_NAN", "FP_INFINITE", "FP_ZERO",
        "FP_NORMAL", "FP_SUBNORMAL", "FP_ILOGB0", "FP_ILOGBNAN", "FP_FAST_FMA", "FP_FAST_FMAF", "FP_FAST_FMAL",
        "EOF", "BUFSIZ", "FILENAME_MAX", "FOPEN_MAX", "L_tmpnam", "SEEK_CUR", "SEEK_END", "SEEK_SET",
        "TMP_MAX", "FILE", "fpos_t", "size_t", "stdin", "stdout", "stderr", "getc", "putc", "getchar",
        "putchar", "EXIT_FAILURE", "EXIT_SUCCESS", "MB_CUR_MAX", "RAND_MAX", "NULL", "errno",
        "assert", "unix", "linux", "i386",
    ]

    /// The helpers and variables the programs define, in any language.
    static let helpers: Set<String> = [
        "as_json", "sigmoid", "softmax", "print_number", "print_tensor", "print_nested", "i", "j", "k", "l",
        "acc", "digamma", "trigamma", "psi", "psi1", "flat", "shaped",
        "conv", "conv_input", "conv_weight", "conv_windows", "conv_loop", "maxpool", "maxpool_back",
        "avgpool", "avgpool_back", "pool_windows", "pool_loop", "first_max", "bias_add", "bias_back",
        "channel_loop", "reshape", "slice_along", "slice_back", "concat_along", "sum_along", "sum_back", "axis_loop",
    ]
}
