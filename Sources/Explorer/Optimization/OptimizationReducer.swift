import Foundation
import GraphCore
import OptimizeArguments
import Screen

/// What the optimisation mode's keys do (the keymap binds them).
public enum OptimizationAction: Sendable, Equatable {
    /// `O`: start optimisation mode (with the last `:optimize` options) or leave it.
    case toggle
    /// Enter: open the shown iteration into the reverse sweep that produced its gradient, or
    /// close it back to the optimisation pane.
    case open
    /// The step keys while the optimisation pane shows.
    case nextIteration, previousIteration, firstIteration, lastIteration
    /// Scroll the pane's text column down (positive) or up by lines.
    case scroll(Int)
}

extension ExplorerState {
    /// The optimisation mode's actions (its keymap binds the step keys to the iteration moves).
    mutating func reduce(_ action: OptimizationAction) {
        switch action {
        case .toggle:
            if optimization.session != nil {
                leaveOptimization()
            } else {
                startOptimization(optimization.arguments, command: nil)
            }
        case .open:
            guard let session = optimization.session else {
                message = .error("Enter opens an iteration in optimisation mode: press O, or :optimize --lr 0.001")
                return
            }
            if optimization.opened {
                optimization.opened = false
                goToIteration(optimization.iteration, session)  // undoes any :set made in the sweep
            } else {
                openIteration(session)
            }
        case .nextIteration, .previousIteration, .firstIteration, .lastIteration:
            guard let session = optimization.session else { return }
            var k = optimization.iteration
            switch action {
            case .nextIteration:
                guard k < session.steps else { playing = false; return }
                k += 1
            case .previousIteration: k = max(0, k - 1)
            case .firstIteration: k = 0
            case .lastIteration, .toggle, .open, .scroll: k = session.steps
            }
            goToIteration(k, session)
        case .scroll(let lines):
            optimization.scroll = max(0, min(optimization.scroll + lines, optimizationMaxScroll))
        }
    }

    /// How far the optimisation pane's text column scrolls on this screen.
    var optimizationMaxScroll: Int {
        guard let session = optimization.session else { return 0 }
        let screen = ScreenLayout(width: size.width, height: size.height)
        let inner = OptimizationText.inner(OptimizationText.columns(Rect(width: size.width, height: screen.message.y)).text)
        let count = OptimizationText.wrappedLines(session, optimization.iteration, width: inner.width, ascii: glyphs.isASCII).count
        return max(0, count - inner.height)
    }

    /// A run of n or p keys taken in at once (`InputBatch`): while the optimisation pane shows,
    /// it moves `steps` iterations instead of sweep steps. False when the pane is not showing.
    mutating func stepIterations(by steps: Int) -> Bool {
        guard optimization.isShowing, let session = optimization.session else { return false }
        let target = optimization.iteration + steps
        if steps > 0 && target > session.steps { playing = false }
        goToIteration(max(0, min(session.steps, target)), session)
        return true
    }

    /// `:optimize [OPTIONS]` (the options of `gradstep optimize`, parsed by the same parser) and
    /// `:iteration N`.
    mutating func optimizeCommand(_ verb: String, _ rest: String, text: String) -> [Effect] {
        let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        if verb.hasPrefix("iter") {
            guard let session = optimization.session else {
                message = .error(":iteration needs optimisation mode: press O, or :optimize --lr 0.001")
                return []
            }
            guard words.count == 1, let k = Int(words[0]), (0...session.steps).contains(k) else {
                message = .error(":iteration takes a number from 0 to \(session.steps)")
                prompt = Prompt(kind: .command, text: text, restored: true)
                return []
            }
            optimization.opened = false
            goToIteration(k, session)
            return []
        }
        startOptimization(words, command: text)
        return []
    }

    /// Runs the descent `words` describe and shows iteration 0; a refusal leaves an error (and a
    /// typed command back in the prompt). It starts from the current values, or in optimisation
    /// mode from the shown run's start, so methods are compared from the same point.
    mutating func startOptimization(_ words: [String], command: String?) {
        let session: OptimizationSession
        do {
            let arguments = try DescentArguments.parse(words)
            var start = evaluation
            if let old = optimization.session { start.set(old.leafValues(at: 0)) }
            session = try OptimizationSession(graph: graph, tape: start.tape, arguments: arguments)
        } catch {
            let text = (error as? DescentArguments.Problem)?.description
                ?? DescentArguments.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            message = .error(":optimize: " + text.replacingOccurrences(of: "Error: ", with: ""))
            if let command { prompt = Prompt(kind: .command, text: command, restored: true) }
            return
        }
        optimization = OptimizationMode()
        optimization.arguments = words
        optimization.session = session
        playing = false
        goToIteration(0, session)
        if session.status == .diverged {
            message = .error("\(session.outcome) (G shows the last iteration)")
        } else {
            message = .info("optimising \(session.outputName) over \(session.names.prefix(6).joined(separator: ", ")): \(session.arguments.setting); \(session.outcome)")
        }
    }

    /// Back to the graph at the values of the iteration shown.
    mutating func leaveOptimization() {
        let k = optimization.iteration
        let names = optimization.session?.names ?? []
        optimization = OptimizationMode(arguments: optimization.arguments)
        rebuildStepper(phase: phase, position: 0)
        message = .info("left optimisation mode; the inputs keep iteration \(k)'s values (\(names.prefix(4).joined(separator: ", ")))")
    }

    mutating func goToIteration(_ k: Int, _ session: OptimizationSession) {
        optimization.iteration = k
        evaluation.set(session.leafValues(at: k))
        rebuildStepper(phase: phase, position: 0)
        message = .info(iterationText(session))
    }

    /// Shows the reverse sweep at θₖ from its start: the adjoints it ends with are ∇L(θₖ),
    /// the gradient the update from θₖ used.
    mutating func openIteration(_ session: OptimizationSession) {
        let k = optimization.iteration
        evaluation.set(session.leafValues(at: k))
        (outputSeed, outputSeedTensor) = (1, nil)
        optimization.opened = true
        playing = false
        selection = nil
        rebuildStepper(phase: .reverse, position: 0)
        // The explorer's tape holds all the data: with mini-batches its sweep is the full
        // gradient, which the update did not use.
        let sweep = session.batchRows.isEmpty ? "the reverse sweep that gives ∇L(θ\(Self.subscripted(k)))"
            : "the reverse sweep on all \(session.dataRows) rows (the update took the gradient of its batch's \(session.batchRows[k].count))"
        message = .info("iteration \(k): \(sweep); n steps it, G completes it, Enter returns")
    }

    func iterationText(_ session: OptimizationSession) -> String {
        let k = optimization.iteration
        if k == session.steps, session.status == .diverged { return session.outcome }
        return "iteration \(k) of \(session.steps): L = \(Format.short(session.iterates[k].loss)) (n/p step, Enter opens its reverse sweep)"
    }

    /// `12` as `₁₂`.
    static func subscripted(_ k: Int) -> String {
        String(String(k).unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0x2080)!) })
    }
}

extension OptimizationMode {
    init(arguments: [String]) {
        self.init()
        self.arguments = arguments
    }
}
