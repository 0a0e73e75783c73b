import Foundation
import GraphCore
import GraphExport
import GraphLanguage

// The `:` command line. Every command answers on screen at once: it changes the state and says
// so, or returns an effect for the shell and says what is on its way (`loading big.grad…`). A
// command that fails leaves an error message (shown above the prompt) and puts its text back
// in the prompt, so nothing typed is lost; typing `:` there starts a fresh command line.

extension ExplorerState {
    mutating func run(command text: String) -> [Effect] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let verb = String(trimmed.prefix { !$0.isWhitespace })
        let rest = trimmed.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
        func failed(_ why: String, detail: [String] = []) -> [Effect] {
            message = .error(why, detail: detail)
            prompt = Prompt(kind: .command, text: text, restored: true)
            return []
        }
        /// Starts a background load, forgetting any load still on its way.
        func load(_ what: String, _ effect: (Int) -> Effect) -> [Effect] {
            loadRequest += 1
            loading = what
            pendingCommand = text
            message = .info("loading \(what)… (Escape stops)")
            return [effect(loadRequest)]
        }
        switch verb {
        case "q", "quit", "exit":
            return [.quit]
        case "help", "h":
            showHelp = true
        case "expr", "e":
            guard !rest.isEmpty else { return failed(":expr needs an expression, e.g. :expr sin(x)*y @ x=1, y=2") }
            return load("the expression") { .expression(rest, request: $0) }
        case "open", "o", "edit":
            guard !rest.isEmpty else { return failed(":open needs a file, e.g. :open Graphs/baydin.grad") }
            let path = Self.absolutePath(rest)
            return load((path as NSString).lastPathComponent) { .open(path: path, request: $0) }
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
                if reference.contains("=") || reference.hasPrefix("[") {
                    // A direction (`x=[1, -2, 0.5]`), not one element.
                    switch directionSeed(reference) {
                    case .success(let seed): tangentSeed = seed
                    case .failure(let error): return failed(error.text)
                    }
                } else {
                    switch ElementReference.seed(reference, in: tape) {
                    case .success(let seed): tangentSeed = seed
                    case .failure(let error): return failed(error.description)
                    }
                }
            }
            outbox += reduce(.mode(phase))
        case "quiz":
            if rest == "off" { stopQuiz(); break }
            guard rest.isEmpty || Phase(rawValue: rest) != nil else { return failed(":quiz takes primal, forward, reverse or off") }
            startQuiz(Phase(rawValue: rest) ?? phase)
        case "seed":
            let n = tape.entries[tape.output].count
            guard let v = Self.parseValues(rest), v.count == 1 || v.count == n, v.allSatisfy(\.isFinite) else {
                return failed(":seed takes a number" + (n > 1 ? " or a tensor of the output's \(n) elements (a vector-Jacobian product)" : "") + ", e.g. :seed 2")
            }
            (outputSeed, outputSeedTensor) = v.count == 1 ? (v[0], nil) : (1, v)
            rebuildStepper(phase: phase, position: stepper.position)
            message = .info("output seed \(tape.adjointLabel(tape.output)) = \(outputSeedText)")
        case "checkpoint":
            if let why = checkpointCommand(rest) { return failed(why) }
        case "goto", "g":
            let last = stepper.count
            guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return failed(":goto takes a step number from 0 to \(last), e.g. :goto \(min(3, last))")
            }
            guard let n = Int(rest), n <= last else {
                return failed("no step \(rest): \(phase.rawValue) mode has steps 0 to \(last)")
            }
            stepper.go(to: n)
            selection = stepper.current
            if let node = selection { reveal(node) }
            message = .info("step \(n) of \(last)")
        case "granularity":
            guard let target = Granularity(rawValue: rest) else { return failed(":granularity takes scalar or tensor") }
            setGranularity(target)
        case "optimize", "optimise", "opt", "iteration", "iter":
            return optimizeCommand(verb, rest, text: text)
        case "theme":
            guard !rest.isEmpty else { return failed(":theme needs a name, e.g. :theme light") }
            pendingCommand = text
            message = .info("loading theme \(rest)…")
            return [.loadTheme(name: rest)]
        case "export", "export!":
            switch exportRequest(rest, force: verb == "export!") {
            case .success(let request):
                message = .info("exporting \(request.file)…")
                return [.export(request)]
            case .failure(let why):
                return failed(why.text)
            }
        default:
            return failed("unknown command ':\(verb)' (? lists the commands)")
        }
        return []
    }

    /// What `:export [step] [FORMAT] [FILE]` writes: the whole sweep, or with `step` the sweep
    /// as it stands at the step on screen; FORMAT svg by default (or the file's extension);
    /// FILE relative to the current folder, `.FORMAT` added when it has no extension, and by
    /// default `NAME-MODE.FORMAT` (`baydin-reverse.svg`, `baydin-reverse-step3.svg`). A file whose extension is not the
    /// format's is refused rather than written under a misleading name.
    func exportRequest(_ rest: String, force: Bool) -> Result<ExportRequest, CommandError> {
        var words = rest.split(separator: " ").map(String.init)
        // `:export step …`: the picture of the step on screen, not of the whole sweep.
        let step = words.first == "step" ? stepper.position : nil
        if step != nil { words.removeFirst() }
        let formats = ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")
        var format = ImageFormat.svg
        if let first = words.first, let f = ImageFormat(rawValue: first.lowercased()) {
            format = f
            words.removeFirst()
        } else if let first = words.first, let f = ImageFormat(rawValue: (first as NSString).pathExtension.lowercased()) {
            format = f
        } else if let first = words.first, words.count > 1 || !first.contains(".") {
            return .failure(CommandError("unknown format '\(first)': :export takes \(formats), then a file name"))
        }
        guard words.count <= 1 else {
            return .failure(CommandError(":export takes one file name (no spaces), e.g. :export svg \(graph.name).svg"))
        }
        let stepPart = step.map { "-step\($0)" } ?? ""
        var file = words.first ?? "\(BatchExport.fileName(graph.name))-\(phase.rawValue)\(stepPart).\(format.rawValue)"
        let ext = (file as NSString).pathExtension
        if ext.isEmpty {
            file += ".\(format.rawValue)"
        } else if ext.lowercased() != format.rawValue {
            return .failure(CommandError("\(file): :export \(format.rawValue) writes .\(format.rawValue) files; name it \((file as NSString).deletingPathExtension).\(format.rawValue)"))
        }
        let path = Self.absolutePath(file)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        guard !name.isEmpty, !name.hasPrefix(".") else {
            return .failure(CommandError("\(file): give the picture a name, e.g. :export \(format.rawValue) \(graph.name).\(format.rawValue)"))
        }
        var request = ExportRequest(file: path, format: format, force: force, name: name, tape: tape, phase: phase,
                                    values: evaluation.values, seedLeaf: seedLeaf, outputSeed: outputSeed)
        request.folding = folding.groups.isEmpty ? nil : folding
        request.seedElement = tangentSeed.element
        request.seedDirection = tangentSeed.direction
        if phase == .reverse { request.outputSeedTensor = outputSeedTensor }
        request.step = step
        return .success(request)
    }

    /// `path` made absolute against the current folder, `~` expanded, `.` and `..` resolved.
    static func absolutePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded)
        return url.standardizedFileURL.path
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


/// Why a command was refused, in words for the message line.
struct CommandError: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
