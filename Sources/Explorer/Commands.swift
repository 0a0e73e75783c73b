import Foundation
import GraphCore
import GraphExport
import GraphLanguage

// The `:` command line. Every command either changes the state at once, or returns an effect
// for the shell; a command that fails leaves an error message and puts its text back in the
// prompt, so nothing typed is lost.

extension ExplorerState {
    mutating func run(command text: String) -> [Effect] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let verb = String(trimmed.prefix { !$0.isWhitespace })
        let rest = trimmed.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
        func failed(_ why: String, detail: [String] = []) -> [Effect] {
            message = .error(why, detail: detail)
            prompt = Prompt(kind: .command, text: text)
            return []
        }
        switch verb {
        case "q", "quit", "exit":
            return [.quit]
        case "help", "h":
            showHelp = true
        case "expr", "e":
            guard !rest.isEmpty else { return failed(":expr needs an expression, e.g. :expr sin(x)*y @ x=1, y=2") }
            let (expression, values) = Self.splitAssignments(rest)
            switch GraphLoader.load(expression: expression, values: values) {
            case .success(let g): adopt(g)
            case .failure(let f): fail(f, restoring: text)
            }
        case "open", "o", "edit":
            guard !rest.isEmpty else { return failed(":open needs a file, e.g. :open Graphs/baydin.grad") }
            pendingCommand = text
            return [.open(path: rest)]
        case "set":
            let (_, pairs) = Self.splitAssignments("@ " + rest)
            guard !pairs.isEmpty else { return failed(":set needs NAME=VALUE, e.g. :set x1=3") }
            for (name, value) in pairs {
                guard let node = graph.node(named: name), tape.entries[node].op.kind == .leaf else {
                    let names = graph.differentiableLeaves.map(\.name).joined(separator: ", ")
                    return failed("no input named '\(name)' (inputs: \(names))")
                }
                if !setValue(node, value) {
                    prompt = Prompt(kind: .command, text: text)
                    return []
                }
            }
        case "mode", "m":
            let words = rest.split(separator: " ").map(String.init)
            guard let first = words.first, let phase = Phase(rawValue: first) else {
                return failed(":mode takes primal, forward or reverse")
            }
            if phase == .forward, words.count > 1 {
                // `W[2, 0]` may have been split at its space.
                let reference = words.dropFirst().joined(separator: " ")
                switch TangentSeed.parse(reference, in: tape, node: graph.node(named:)) {
                case .success(let seed): tangentSeed = seed
                case .failure(let error): return failed(error.description)
                }
            }
            _ = reduce(.mode(phase))
        case "seed":
            guard let v = Self.parseValues(rest), v.count == 1 else { return failed(":seed takes a number, e.g. :seed 2") }
            outputSeed = v[0]
            rebuildStepper(phase: phase, position: stepper.position)
            message = .info("output seed \(tape.adjointLabel(tape.output)) = \(Format.short(outputSeed))")
        case "goto", "g":
            guard let n = Int(rest) else { return failed(":goto takes a step number") }
            stepper.go(to: n)
            selection = stepper.current
            if let node = selection { reveal(node) }
        case "theme":
            guard !rest.isEmpty else { return failed(":theme needs a name, e.g. :theme light") }
            pendingCommand = text
            return [.loadTheme(name: rest)]
        case "export":
            let words = rest.split(separator: " ").map(String.init)
            guard let format = ImageFormat(rawValue: words.first ?? "svg") else {
                return failed(":export takes svg, png, pdf or dot")
            }
            let path = words.count > 1 ? words[1]
                : "\(graph.name)-\(phase.rawValue)-step\(stepper.position).\(format.rawValue)"
            let dot = DotWriter.dot(frame: stepper, name: graph.name)
            message = .info("exporting \(path)…")
            return [.export(dot: dot, format: format, path: path)]
        default:
            return failed("unknown command ':\(verb)' (? lists the commands)")
        }
        return []
    }

    /// Splits `sin(x)*y @ x=1, y=[1, 2]` into the expression and its `name=value` pairs. The `@`
    /// that starts the pairs is the last one followed by `name=` (so `A @ B` stays matmul);
    /// pairs are separated by commas outside brackets.
    static func splitAssignments(_ text: String) -> (String, [(name: String, text: String)]) {
        let chars = Array(text)
        for i in chars.indices.reversed() where chars[i] == "@" {
            let tail = String(chars[(i + 1)...]).trimmingCharacters(in: .whitespaces)
            guard let eq = tail.firstIndex(of: "="),
                  tail[..<eq].trimmingCharacters(in: .whitespaces).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                  !tail[..<eq].trimmingCharacters(in: .whitespaces).isEmpty
            else { continue }
            var pairs: [(name: String, text: String)] = []
            var depth = 0, current = ""
            func flush() {
                let part = current.trimmingCharacters(in: .whitespaces)
                if let eq = part.firstIndex(of: "=") {
                    pairs.append((part[..<eq].trimmingCharacters(in: .whitespaces),
                                  part[part.index(after: eq)...].trimmingCharacters(in: .whitespaces)))
                }
                current = ""
            }
            for c in tail {
                if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
                if c == "," && depth == 0 { flush() } else { current.append(c) }
            }
            flush()
            return (String(chars[..<i]).trimmingCharacters(in: .whitespaces), pairs)
        }
        return (text, [])
    }
}
