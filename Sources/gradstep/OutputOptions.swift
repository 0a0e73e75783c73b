import Foundation
import GraphExport
import GraphLanguage

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
    /// The graph file, if any: what an output may not replace before the graph is loaded.
    var inputFiles: [String] { (file.map { [$0] } ?? []) + tables.compactMap { $0.split(separator: "=", maxSplits: 1).last.map(String.init) } }

    /// Every file the loaded graph was read from: the graph file and the CSV table of each
    /// `data` statement (`codegen g.grad --out points.csv` would otherwise replace the table
    /// the graph reads). A table's name is found as the loader finds it: relative to the graph
    /// file's folder, or to the working folder for `-e`.
    func inputFiles(of g: Graph) -> [String] {
        let folder = file.map { ($0 as NSString).deletingLastPathComponent } ?? ""
        return inputFiles + g.dataSets.map { table in
            table.path.hasPrefix("/") || folder.isEmpty ? table.path : (folder as NSString).appendingPathComponent(table.path)
        }
    }
}
