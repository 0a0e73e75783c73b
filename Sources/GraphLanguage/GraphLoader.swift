import Foundation
import GraphCore

/// Turns source text into a `Graph`: parse, resolve names (statements may come in any order),
/// reject cycles, check shapes, build the tape once.
///
/// ```swift
/// let graph = try GraphLoader.load(path: "Graphs/baydin.grad").get()
/// let values = graph.tape.evaluate()
/// ```
/// Every problem found is reported, not just the first: each as a `Diagnostic` with the exact
/// source range, a caret, and a "did you mean" hint for misspelt names and functions.
public enum GraphLoader {
    /// How free names (used but never defined) are treated.
    public enum Mode: Sendable {
        /// A `.grad` file: a free name is an error.
        case file
        /// A typed expression (`-e`): free names are inputs, in order of first use, whose
        /// values must come from `values`.
        case expression
    }

    /// Reads and loads a `.grad` file.
    ///
    /// `shapesOnly` reads the structure and shapes without keeping any numbers, under the
    /// larger `Limits.maximumShapeOnly…` limits (see `TapeBuilder.shapesOnly`): for
    /// `gradstep info` on a network too large to evaluate.
    public static func load(path: String, values: [(name: String, text: String)] = [],
                            shapesOnly: Bool = false) -> Result<Graph, LoadFailure> {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return .failure(LoadFailure(message: "no such file: \(path)"))
        }
        guard !isFolder.boolValue else {
            return .failure(LoadFailure(message: "\(path) is a folder; give a .grad file"))
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > Limits.maximumSourceBytes {
            return .failure(LoadFailure(message: tooLarge(path, bytes: size)))
        }
        let name = url.deletingPathExtension().lastPathComponent
        switch program(at: path) {
        case .success(let text):
            return load(SourceFile(name: path, text: text), graphName: name, mode: .file, values: values, shapesOnly: shapesOnly)
        case .failure(let failure):
            return .failure(failure)
        }
    }

    /// The program text of the file at `path`: its UTF-8 text, or the program an importer makes
    /// of a model in another format (an .onnx file). The file's bytes are read and let go in
    /// here, so they are not held (a second copy of the text) while the program loads.
    private static func program(at path: String) -> Result<String, LoadFailure> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LoadFailure(message: "cannot read \(path)"))
        }
        if let importer = GraphImporters.importer(for: path) {
            return importer(data, path).mapError { LoadFailure(message: $0.message) }
        }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(invalidUTF8(data, path: path)) }
        return .success(text)
    }

    /// The first byte of `data` that is not UTF-8, as a located error on its line (shown with
    /// U+FFFD for the bad bytes), so the file can be fixed where it is wrong.
    static func invalidUTF8(_ data: Data, path: String) -> LoadFailure {
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let u): offset += UTF8.width(u)
            case .emptyInput, .error: break decoding
            }
        }
        let bytes = [UInt8](data)
        let lineStart = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = bytes[..<lineStart].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        let byte = offset < bytes.count ? bytes[offset] : 0
        let start = SourceLocation(line: line, column: column, offset: offset)
        let end = SourceLocation(line: line, column: column + 1, offset: offset + 1)
        let file = SourceFile(name: path, text: String(decoding: data, as: UTF8.self))
        let hex = String(byte, radix: 16, uppercase: true)
        return LoadFailure([Diagnostic(.error, "this is not UTF-8 text (byte 0x\(hex.count == 1 ? "0" : "")\(hex))", at: SourceRange(start, end),
                                       hint: "gradstep reads graph files as UTF-8; save the file as UTF-8 (is it a graph file?)")], in: file)
    }

    /// Why a source of `bytes` bytes is refused: it is over `Limits.maximumSourceBytes`.
    static func tooLarge(_ what: String, bytes: Int) -> String {
        "\(what) is \(Limits.describe(bytes: bytes)) (\(Limits.grouped(bytes)) bytes); "
            + "gradstep reads graphs of at most \(Limits.describe(bytes: Limits.maximumSourceBytes))"
    }

    /// Loads a typed expression or program (`-e`); its diagnostics are located as `-e:1:5`.
    public static func load(expression: String, values: [(name: String, text: String)] = [],
                            shapesOnly: Bool = false) -> Result<Graph, LoadFailure> {
        guard expression.utf8.count <= Limits.maximumSourceBytes else {
            return .failure(LoadFailure(message: tooLarge("the expression", bytes: expression.utf8.count)))
        }
        return load(SourceFile(name: "-e", text: expression), graphName: "expression", mode: .expression, values: values,
                    shapesOnly: shapesOnly)
    }

    /// Loads source text. `values` override (or, for free names of an expression, give) the
    /// values of inputs, params and consts, as `--set NAME=VALUE` does.
    ///
    /// A file written in order in the simplest forms is loaded in one pass without a syntax
    /// tree (`SinglePassLoader`), into the same graph; `singlePass: false` always takes the
    /// parser and the lowering, for the benchmark's and the tests' comparison of the two.
    public static func load(_ file: SourceFile, graphName: String, mode: Mode,
                            values: [(name: String, text: String)] = [], shapesOnly: Bool = false,
                            singlePass: Bool = true) -> Result<Graph, LoadFailure> {
        if singlePass, mode == .file, values.isEmpty,
           let graph = SinglePassLoader.load(file, graphName: graphName, shapesOnly: shapesOnly) {
            return .success(graph)
        }
        return onLoadingStack { loadHere(file, graphName: graphName, mode: mode, values: values, shapesOnly: shapesOnly) }
    }

    /// Runs `work` on a thread with a stack of `Limits.loadingStackBytes` and waits for it.
    /// The parser and the lowering recurse as deep as the limits allow, which a debug build's
    /// 7 KB frames would take past the main thread's 8 MB (and a test's or a task's thread
    /// has less): a sum of 1,000 terms, or `def` calls nested 2,000 deep.
    static func onLoadingStack(_ work: @escaping () -> Result<Graph, LoadFailure>) -> Result<Graph, LoadFailure> {
        let box = LoadBox()
        box.work = work
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = box.work?()
            box.work = nil
            done.signal()
        }
        thread.stackSize = Limits.loadingStackBytes
        thread.start()
        done.wait()
        return box.result!
    }

    private static func loadHere(_ file: SourceFile, graphName: String, mode: Mode,
                                 values: [(name: String, text: String)], shapesOnly: Bool) -> Result<Graph, LoadFailure> {
        var lowering: Lowering
        // In a scope of its own, so that the lowering holds the only reference to the parsed
        // statements once it starts, and can free each syntax tree as soon as it is lowered.
        do {
            let (program, syntaxErrors, names) = Parser.parseResolvingNames(file)
            if syntaxErrors.containsErrors { return .failure(LoadFailure(syntaxErrors, in: file)) }
            var overrides: [String: (values: [Double], shape: Shape)] = [:]
            for (name, text) in values {
                switch Literal.parse(text, shapesOnly: shapesOnly) {
                case .success(let literal): overrides[name] = literal
                case .failure(let why):
                    // A value of a million characters is not echoed whole.
                    let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
                    return .failure(LoadFailure(message: "--set \(name)=\(shown): \(why.message)"))
                }
            }
            lowering = Lowering(file: file, program: program, names: names, mode: mode, overrides: overrides)
        }
        lowering.builder.shapesOnly = shapesOnly
        lowering.run()
        if lowering.collector.containsErrors {
            return .failure(LoadFailure(lowering.diagnostics, in: file))
        }
        if let problem = lowering.unusedOverride() { return .failure(LoadFailure(message: problem)) }
        guard let result = lowering.finish(graphName: graphName) else {
            return .failure(LoadFailure(lowering.diagnostics, in: file))
        }
        return .success(result)
    }
}

/// A literal value: a number or a tensor of numbers, as in `input x = [1, 2]` or `--set x=3`.
/// Why an expression is not a literal, and where.
struct LiteralError: Error {
    var message: String
    var range: SourceRange
}

enum Literal {
    /// Reads `--set` text with the graph language's own parser.
    static func parse(_ text: String, shapesOnly: Bool = false) -> Result<(values: [Double], shape: Shape), LiteralError> {
        let file = SourceFile(name: "--set", text: text)
        let (program, errors) = Parser.parse(file)
        // The lexer's own words first: "number '1e400' is out of range" says more than "must be a number".
        if let first = errors.first(where: { $0.severity == .error }) {
            return .failure(LiteralError(message: first.message + (first.hint.map { " (\($0))" } ?? ""), range: first.range))
        }
        guard program.statements.count == 1,
              let s = program.statements.first, s.kind == .expression, let e = s.expression else {
            // The parser's own word, when it has one, says which limit or character is wrong.
            let why = errors.first.map { " (\($0.message))" } ?? ""
            return .failure(LiteralError(message: "the value must be a number or a tensor literal such as [1, 2]" + why, range: SourceRange(at: .start)))
        }
        return evaluate(e, shapesOnly: shapesOnly)
    }

    /// The numbers of a literal expression (`2`, `-1.5`, `[[1, 2], [3, 4]]`), or why it is not one.
    static func evaluate(_ e: Expr, shapesOnly: Bool = false) -> Result<(values: [Double], shape: Shape), LiteralError> {
        switch e.kind {
        case .number(let x): return .success(([x], .scalar))
        case .unary(let op, let inner):
            return evaluate(inner).flatMap { lit in
                guard lit.shape.isScalar else { return .failure(LiteralError(message: "negate the elements of a tensor literal one by one", range: e.range)) }
                return .success(([op == .negate ? -lit.values[0] : lit.values[0]], .scalar))
            }
        case .tensor(let elements):
            guard !elements.isEmpty else { return .failure(LiteralError(message: "a tensor literal needs at least one element", range: e.range)) }
            // Nested brackets, outermost first: each element is a number, or every element a
            // tensor of one shape (rows of a matrix, matrices of a rank-3 tensor, …).
            var values: [Double] = []
            var inner: Shape?
            for (k, element) in elements.enumerated() {
                let isNested: Bool
                if case .tensor = element.kind { isNested = true } else { isNested = false }
                if k > 0, isNested != (inner.map { !$0.isScalar } ?? false) {
                    return .failure(LiteralError(message: "mixing numbers and rows in one tensor literal", range: element.range))
                }
                switch evaluate(element) {
                case .failure(let f): return .failure(f)
                case .success(let part):
                    if !isNested, !part.shape.isScalar { return .failure(LiteralError(message: "expected a number", range: element.range)) }
                    if isNested, part.shape.rank >= 4 {
                        return .failure(LiteralError(message: "tensors have at most four dimensions (N, C, H, W)", range: element.range))
                    }
                    if let first = inner, first != part.shape {
                        if first.rank == 1 {
                            return .failure(LiteralError(message: "ragged matrix: row \(k + 1) has \(part.values.count) element\(part.values.count == 1 ? "" : "s"), row 1 has \(first.count)", range: element.range))
                        }
                        return .failure(LiteralError(message: "ragged tensor: element \(k + 1) has shape \(part.shape), element 1 has \(first)", range: element.range))
                    }
                    inner = part.shape
                    values += part.values
                }
            }
            return .success((values, .tensor([elements.count] + (inner?.dims ?? []))))
        case .call(let name, _, let arguments):
            if let initialised = InitialiserCall.evaluate(name: name, arguments: arguments, range: e.range, withValues: !shapesOnly) {
                return initialised
            }
            return .failure(LiteralError(message: "expected a number, a tensor literal such as [1, 2], or an initialiser such as xavier([7, 5], 1)", range: e.range))
        default:
            return .failure(LiteralError(message: "expected a number or a tensor literal such as [1, 2]", range: e.range))
        }
    }
}

/// The work of `GraphLoader.onLoadingStack` and its answer, handed between two threads: the
/// waiting thread reads `result` only after the semaphore says the other is done with it.
private final class LoadBox: @unchecked Sendable {
    var work: (() -> Result<Graph, LoadFailure>)?
    var result: Result<Graph, LoadFailure>?
}
