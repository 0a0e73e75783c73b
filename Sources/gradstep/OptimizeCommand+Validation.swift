import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Optimize

/// `optimize --validation D=FILE.csv --patience K`: the loss on held-out data at every step,
/// and early stopping on it (course item B63).
extension OptimizeCommand {
    /// The most steps --patience may wait (more is no early stopping at all).
    static let maximumPatience = 1_000_000

    func validateEarlyStopping() throws {
        if let patience {
            guard validation != nil else { throw ValidationError("--patience watches a validation loss: give --validation D=FILE.csv too") }
            guard (1...Self.maximumPatience).contains(patience) else {
                throw ValidationError("--patience must be 1 to \(Self.maximumPatience) steps, got \(patience)")
            }
        }
        if let validation, Self.validationParts(validation) == nil {
            throw ValidationError("--validation \(validation): give a data set's name and a CSV file, e.g. --validation D=val.csv")
        }
    }

    /// `D=FILE` split at its first `=`; nil when either side is empty.
    static func validationParts(_ text: String) -> (name: String, path: String)? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces), path = String(text[text.index(after: eq)...])
        return name.isEmpty || path.isEmpty ? nil : (name, path)
    }

    /// The validation table's file, which `--plot` may not replace.
    var validationFile: [String] { validation.flatMap(Self.validationParts).map { [$0.path] } ?? [] }

    /// The graph reloaded with the named data set's rows replaced by the validation file's,
    /// as an objective over the same variables; nil without --validation.
    func earlyStopping(_ g: Graph, variables: Variables) throws -> EarlyStopping? {
        guard let validation, let (name, path) = Self.validationParts(validation) else { return nil }
        guard let declared = g.dataSets.first(where: { $0.name == name }) else {
            let names = g.dataSets.map(\.name)
            let hint = names.isEmpty ? "; the graph declares no data (add e.g. 'data D = \"train.csv\"')"
                : suggestion(for: name, among: names).map { "; did you mean '\($0)'?" } ?? " (its data sets: \(names.joined(separator: ", ")))"
            throw Failure(text: "error: --validation \(validation): the graph has no data set named '\(name)'\(hint)\n")
        }
        try InputFile.check(path)
        let held: DataSet
        do {
            held = try DataSet.read(file: path)
        } catch {
            throw Failure(text: "error: --validation: \(error.message)\n" + (error.hint.map { "  = hint: \($0)\n" } ?? ""))
        }
        guard held.columns == declared.columns else {
            throw Failure(text: "error: --validation \(validation): \(path)'s columns (\(held.columns.joined(separator: ", "))) are not \(name)'s (\(declared.columns.joined(separator: ", ")))\n")
        }
        var options = graph
        let rows = (0..<held.rows).map { r in
            "[" + held.values[r * held.columns.count ..< (r + 1) * held.columns.count].map(Format.exact).joined(separator: ",") + "]"
        }
        options.values.append("\(name)=[" + rows.joined(separator: ",") + "]")
        let heldGraph = try options.load()
        do {
            let objective = try Objective(tape: heldGraph.tape, variables: variables.names.map { heldGraph.node(named: $0)! })
            return EarlyStopping(validation: objective, patience: patience)
        } catch {
            throw Failure(text: "error: --validation: \(error.description)\n")
        }
    }
}
