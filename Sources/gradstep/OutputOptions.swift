import Foundation
import GraphExport

/// Writes a command's output file through `OutputFile` (the rules `export` follows: no
/// folder, link, device, FIFO or the graph file being read, unless `--force`; a temporary
/// file renamed into place), with its refusal as the command's error.
func writeOutput(_ text: String, to path: String, force: Bool, inputs: [String]) throws {
    do {
        try OutputFile.write(Data(text.utf8), to: path, force: force, inputs: inputs)
    } catch {
        throw Failure(text: "error: \(error.description)\n")
    }
}

/// Throws what `writeOutput` would refuse, before a long run.
func checkOutput(_ path: String, force: Bool, inputs: [String]) throws {
    do {
        try OutputFile.check(path, force: force, inputs: inputs)
    } catch {
        throw Failure(text: "error: \(error.description)\n")
    }
}

extension GraphOptions {
    /// The files this graph is read from: the graph file, if any (an output may not replace it).
    var inputFiles: [String] { file.map { [$0] } ?? [] }
}
