import Foundation
import GraphCore

// The leaves of a program: `input`, `param` and `const` declarations (their literal or
// initialiser values, or a `--set` override), `data NAME = "file.csv"` tables, and the free
// names of a typed expression, which become inputs.
extension Lowering {
    mutating func lowerLeaves() {
        for k in statements.indices {
            let op: Op
            switch statements[k].kind {
            case .input: op = .input
            case .param: op = .param
            case .const: op = .constant
            case .data:
                lowerData(k)
                continue
            default: continue
            }
            guard isDefinition[k] else { continue }
            let s = statements[k]
            guard let name = s.name, let e = s.expression else { continue }
            var literal: (values: [Double], shape: Shape)
            switch Literal.evaluate(e, shapesOnly: builder.shapesOnly) {
            case .success(let l): literal = l
            case .failure(let f):
                error("the value of \(s.kind.rawValue) '\(name)' must be a literal: \(f.message)", at: f.range,
                      hint: "write a number such as 2 or -0.5, or a tensor such as [1, 2] or [[1, 2], [3, 4]]")
                failed.insert(name)
                continue
            }
            if !overrides.isEmpty, let o = overrides[name] {
                literal = o
                usedOverrides.insert(name)
            }
            statementNodes[k] = leaf(op, literal.shape, literal.values, name: name, range: s.nameRange)
            if statementNodes[k] == nil { failed.insert(name) }
        }
    }

    /// `data D = "file.csv"`: the file's numbers as a const matrix (or `--set D=...` instead).
    mutating func lowerData(_ k: Int) {
        let s = statements[k]
        guard isDefinition[k], let name = s.name, let path = s.path else { return }
        let folder = mode == .file && !path.text.hasPrefix("/")
            ? URL(fileURLWithPath: file.name).deletingLastPathComponent()
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let table: DataSet
        do {
            table = try DataSet.read(path.text.hasPrefix("/") ? URL(fileURLWithPath: path.text) : folder.appendingPathComponent(path.text),
                                     name: name, path: path.text)
        } catch {
            self.error(error.message, at: path.range, hint: error.hint)
            failed.insert(name)
            return
        }
        dataSets.append(table)
        var literal = (values: table.values, shape: Shape.matrix(table.rows, table.columns.count))
        if let o = overrides[name] {
            literal = o
            usedOverrides.insert(name)
        }
        statementNodes[k] = leaf(.constant, literal.shape, literal.values, name: name, range: s.nameRange)
        // Mini-batches and held-out rows replace these numbers: nothing may be folded from them.
        if let node = statementNodes[k] { builder.markSwappable(node) }
    }

    /// In an expression, names used but not defined are inputs, in order of first use.
    mutating func addFreeInputs() {
        var seen: Set<String> = []
        for s in statements {
            guard let e = s.expression else { continue }
            let words = Set(LayerFunction.words(in: e))
            Self.forEachName(in: e) { name, range in
                guard definition(of: name) == nil && !seen.contains(name) && !words.contains(range) else { return }
                seen.insert(name)
                guard let o = overrides[name] else {
                    error("no value for input '\(name)'", at: range, hint: "give it one with --set \(name)=VALUE")
                    failed.insert(name)
                    return
                }
                usedOverrides.insert(name)
                guard let node = leaf(.input, o.shape, o.values, name: name, range: range) else {
                    failed.insert(name)
                    return
                }
                freeInputs[name] = node
            }
        }
    }
}
