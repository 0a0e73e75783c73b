import Foundation
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
    /// Every name the program defines, and its tape index. Built on first use: a loaded
    /// 100,000-statement file need not hash 100,000 names until someone looks one up.
    public var symbols: [String: Int] {
        get { symbolTable.dictionary }
        set { symbolTable = SymbolTable(newValue) }
    }
    private var symbolTable: SymbolTable
    /// The tables loaded by `data NAME = "file.csv"` declarations, in source order (each is
    /// also a const matrix node named NAME).
    public var dataSets: [DataSet] = []
    /// The `group` blocks and `def` calls, as sets of tape nodes (blocks first, then calls,
    /// each in source order); pictures draw a folded group as one box.
    public var groups: [NodeGroup] = []
    /// The outputs `output loss, acc` names, in order, with their tape indices (the one
    /// output differentiated when there is no list); `Graph+Outputs.swift`.
    public var outputs: [(name: String, node: Int)] = []

    init(name: String, tape: Tape, outputName: String, source: SourceFile, ranges: [SourceRange?],
         symbols: [String: Int]) {
        self.init(name: name, tape: tape, outputName: outputName, source: source, ranges: ranges,
                  symbolTable: SymbolTable(symbols))
    }

    /// `symbols` given as names and their tape indices, in the order a dictionary would be
    /// filled (a later name replaces an equal earlier one).
    init(name: String, tape: Tape, outputName: String, source: SourceFile, ranges: [SourceRange?],
         symbolNames: [String], symbolNodes: [Int]) {
        self.init(name: name, tape: tape, outputName: outputName, source: source, ranges: ranges,
                  symbolTable: SymbolTable(names: symbolNames, nodes: symbolNodes))
    }

    private init(name: String, tape: Tape, outputName: String, source: SourceFile, ranges: [SourceRange?],
                 symbolTable: SymbolTable) {
        self.name = name
        self.tape = tape
        self.outputName = outputName
        self.source = source
        self.ranges = ranges
        self.symbolTable = symbolTable
    }

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
        return "error: \(DiagnosticRenderer.clipped(message ?? "could not load the graph"))\n"
    }
}

/// `Graph.symbols`, made into a dictionary the first time it is read. Immutable once made
/// (a `Graph` that sets `symbols` gets a new table), so copies of a graph may share it.
private final class SymbolTable: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String]
    private var nodes: [Int]
    private var built: [String: Int]?

    init(_ dictionary: [String: Int]) {
        names = []
        nodes = []
        built = dictionary
    }

    init(names: [String], nodes: [Int]) {
        precondition(names.count == nodes.count)
        self.names = names
        self.nodes = nodes
    }

    var dictionary: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        var symbols: [String: Int] = [:]
        symbols.reserveCapacity(names.count)
        for (name, node) in zip(names, nodes) { symbols[name] = node }
        built = symbols
        names = []
        nodes = []
        return symbols
    }
}
