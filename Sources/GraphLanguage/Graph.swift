import GraphCore

/// A program turned into a tape, with what is needed to talk about it in the user's terms:
/// its name, the source it came from, and where each node was written.
public struct Graph: Sendable {
    /// The graph's name: the file name without `.grad`, or `expression` for `-e`.
    public var name: String
    public var tape: Tape
    /// The name the output goes by (`y`), for reports such as `--json`'s `"output"`.
    public var outputName: String
    public var source: SourceFile
    /// Where each tape node was written (nil for nodes the lowering made up).
    public var ranges: [SourceRange?]
    /// Every name the program defines, and its tape index.
    public var symbols: [String: Int]

    /// Inputs and params, in tape order (which is declaration order).
    public var differentiableLeaves: [(name: String, node: Int)] {
        tape.differentiableLeaves.map { (tape.names[$0] ?? tape.label($0), $0) }
    }

    /// The tape index of a named node.
    public func node(named name: String) -> Int? { symbols[name] }
}

/// Why a graph could not be loaded: located diagnostics in a source file, or a plain message
/// (a file that cannot be read, a `--set` for a name that does not exist).
public struct LoadFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var file: SourceFile?
    public var message: String?

    public init(_ diagnostics: [Diagnostic], in file: SourceFile) {
        self.diagnostics = diagnostics
        self.file = file
    }

    public init(message: String) {
        diagnostics = []
        self.message = message
    }

    /// The errors as a user reads them: `file:line:col: error: …`, the line, a caret.
    public func rendered(useColor: Bool = false) -> String {
        if let file, !diagnostics.isEmpty {
            return DiagnosticRenderer(useColor: useColor).render(diagnostics, in: file)
        }
        return "error: \(message ?? "could not load the graph")\n"
    }
}
