import Codegen
import GraphCore
import GraphLanguage

/// libFuzzer's entry point: one input, as bytes. A failed check traps, which libFuzzer reports
/// as a crash and saves the input that caused it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraphLanguage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    GraphLanguageChecks.check(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// What must hold for any input at all, as a file, as a typed expression and as a `--set`
/// value: no trap (codegen in all four languages included); a failure is at most `Limits.maximumDiagnostics` diagnostics (plus a
/// summary), each inside the text, rendered in bounded size; a success evaluates in all three
/// ways; a program that parses prints back as source that parses to the same program.
enum GraphLanguageChecks {
    /// Generous upper bound of one rendered diagnostic: a header with a clipped message, a
    /// window of the line, the caret line and a clipped hint (4 bytes per scalar, 8 scalars per
    /// shown character at most).
    static let bytesPerDiagnostic = 8_192

    static func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let file = SourceFile(name: "fuzz.grad", text: text)
        for mode in [GraphLoader.Mode.file, .expression] {
            switch GraphLoader.load(file, graphName: "fuzz", mode: mode) {
            case .failure(let failure): checkBounded(failure, in: file)
            case .success(let graph): exercise(graph)
            }
        }
        if case .failure(let failure) = GraphLoader.load(expression: "sum(x)", values: [("x", text)]) {
            checkBounded(failure, in: nil)
        }
        checkRoundTrip(file)
    }

    private static func checkBounded(_ failure: LoadFailure, in file: SourceFile?) {
        let diagnostics = failure.diagnostics
        precondition(diagnostics.count <= Limits.maximumDiagnostics + 1, "\(diagnostics.count) diagnostics")
        if let file, let failureFile = failure.file {
            precondition(failureFile.text == file.text)
            let bytes = file.text.utf8.count
            for d in diagnostics {
                precondition(d.range.start.line >= 1 && d.range.start.line <= file.lineCount, "line \(d.range.start.line) of \(file.lineCount)")
                precondition(d.range.start.offset <= d.range.end.offset && d.range.end.offset <= bytes, "range \(d.range) of \(bytes) bytes")
            }
        }
        for useColor in [false, true] {
            let rendered = failure.rendered(useColor: useColor)
            let bound = (diagnostics.count + 1) * bytesPerDiagnostic
            precondition(rendered.utf8.count <= bound, "\(rendered.utf8.count) bytes rendered for \(diagnostics.count) diagnostics")
        }
    }

    /// Forward, tangent and adjoint sweeps over a small enough tape.
    private static func exercise(_ graph: Graph) {
        let tape = graph.tape
        precondition(graph.ranges.count == tape.count)
        precondition(tape.valueCount <= Limits.maximumGraphValues)
        guard tape.valueCount <= 100_000 else { return }
        let values = tape.evaluate()
        _ = tape.adjoints(values: values)
        if let leaf = tape.differentiableLeaves.first {
            _ = tape.tangents(values: values, seed: tape.tangentSeed(leaf: leaf))
        }
        // Every language's program (a trap in a writer is a crash); the programs are run and
        // compared with eval on random graphs by CodegenTests' RandomGraphCodeTests.
        guard tape.valueCount <= 10_000 else { return }
        for language in CodeLanguage.allCases {
            let text = Codegen.program(tape: tape, outputName: graph.outputName, language: language, origin: "fuzz\n.grad")
            precondition(!text.contains("fuzz\n"), "a line break of the origin reached the \(language) program")
        }
    }

    private static func checkRoundTrip(_ file: SourceFile) {
        let (program, diagnostics) = Parser.parse(file)
        // A program with `for` loops is printed unrolled, its iterations' values named `h@t=2`,
        // which no file may write: there is no source to round-trip.
        guard diagnostics.isEmpty, program.loops.isEmpty else { return }
        let printed = program.description
        let (again, errors) = Parser.parse(SourceFile(name: "printed.grad", text: printed))
        precondition(errors.isEmpty, "the printed program does not parse: \(printed.debugDescription)")
        precondition(again.description == printed, "printing is not stable: \(printed.debugDescription) → \(again.description.debugDescription)")
    }
}
