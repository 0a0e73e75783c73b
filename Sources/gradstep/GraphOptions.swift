import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage

/// Where the graph comes from: a file, a typed expression, or the built-in example.
struct GraphOptions: ParsableArguments {
    @Argument(help: "A .grad graph file.", completion: .file(extensions: ["grad"]))
    var file: String?

    // Unconditional: an expression may begin with a minus (`-e '-x^2'`), which would
    // otherwise be read as an option.
    @Option(name: .customShort("e"), parsing: .unconditional,
            help: ArgumentHelp("An expression or program, e.g. 'sin(x)*y'; free names are inputs.", valueName: "expr"))
    var expression: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Give an input a value (repeatable): x=2, w=[1, -1].", valueName: "name=value"))
    var values: [String] = []

    @Option(name: .customLong("input-from"), help: ArgumentHelp("Give an input the numbers of a CSV table (repeatable): x=batch.csv. The rows after the header, read row by row, fill the input's shape (an ONNX model's (1, 1, 28, 28) image from one row of 784 columns).", valueName: "x=f.csv"))
    var tables: [String] = []

    /// True when neither FILE nor -e was given (the built-in example is used).
    var isBuiltIn: Bool { file == nil && expression == nil }

    func validate() throws {
        if file != nil && expression != nil {
            throw ValidationError("give either FILE or -e EXPR, not both")
        }
        try Self.validateAssignments(values)
    }

    /// Loads the graph, or throws a `Failure` carrying the rendered diagnostics.
    func load(shapesOnly: Bool = false, of: String? = nil) throws -> Graph {
        let pairs = Self.assignments(values) + (try tablePairs())
        return try load(pairs, shapesOnly: shapesOnly, of: of)
    }

    /// Loads with `pairs` as the `--set` values.
    func load(_ pairs: [(name: String, text: String)], shapesOnly: Bool, of: String?) throws -> Graph {
        let result: Result<Graph, LoadFailure>
        if let expression {
            result = GraphLoader.load(expression: expression, values: pairs, shapesOnly: shapesOnly)
        } else if let file {
            try InputFile.check(file)
            result = GraphLoader.load(path: file, values: pairs, shapesOnly: shapesOnly)
        } else {
            result = GraphLoader.load(SourceFile(name: "baydin (built-in)", text: builtInExample),
                                      graphName: "baydin", mode: .file, values: pairs, shapesOnly: shapesOnly)
        }
        switch result.flatMap({ g in of.map(g.differentiating) ?? .success(g) }) {
        case .success(let g): return g
        case .failure(let f): throw Failure(text: f.rendered(useColor: colorOnStderr))
        }
    }
}

extension GraphOptions {
    /// Loads with values that another option put among the `--set`s (`plot --wrt`'s start,
    /// `taylor --at`): a mistake in one of `names` is told as that option's, not as a `--set`
    /// the user never typed.
    func load(given option: String, names: [String]) throws -> Graph {
        do {
            return try load()
        } catch let failure as Failure {
            for name in names where failure.text.hasPrefix("error: --set \(name):") || failure.text.hasPrefix("error: --set \(name)=") {
                throw Failure(text: "error: \(option) " + failure.text.dropFirst("error: --set ".count), status: failure.status)
            }
            throw failure
        }
    }

    /// `--set` arguments as (name, value text) pairs: `x=2` → ("x", "2").
    static func assignments(_ values: [String]) -> [(name: String, text: String)] {
        values.map { v in
            let parts = v.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]).trimmingCharacters(in: .whitespaces), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// Each `--set` must read NAME=VALUE with a name; the argument is quoted as typed.
    static func validateAssignments(_ values: [String]) throws {
        for v in values {
            // Quoted as typed, but cut and with invisible characters escaped.
            guard v.contains("=") else { throw ValidationError("--set expects NAME=VALUE, got '\(Format.echoed(v, limit: 60))'") }
            if v.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--set expects NAME=VALUE, got '\(Format.echoed(v, limit: 60))' (no name before '=')")
            }
        }
    }
}

/// `--of NAME`: the output a command differentiates (the first of `output a, b` by default),
/// for the commands that differentiate; `GraphOptions.load(of:)` applies it.
struct OutputChoice: ParsableArguments {
    @Option(name: .customLong("of"), help: ArgumentHelp("The output to differentiate, by name (default: the first of 'output a, b', or the graph's only output).", valueName: "name"))
    var of: String?
}

/// The running example of Baydin et al. (2018), shown when no graph is given.
let builtInExample = """
    # f(x1, x2) = ln(x1) + x1*x2 - sin(x2), the running example of Baydin et al. (2018)
    input x1 = 2
    input x2 = 5
    y = ln(x1) + x1*x2 - sin(x2)
    """

extension Graph {
    /// Forward mode's seed from `--wrt` (`x1`, `W[2,0]`, or nil for the default); a name or
    /// element that is not there is a usage error (status 2) saying why.
    func tangentSeed(_ wrt: String?) throws -> TangentSeed? {
        guard let wrt else { return nil }
        return try ElementReference.seed(wrt, in: tape).get(option: "--wrt")
    }
}
