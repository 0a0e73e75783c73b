import Foundation
import GraphCore
import GraphLanguage
import Screen

/// Applies one action to the state and returns the side effects the shell must run
/// (Bubble Tea's `Update`): `let effects = reduce(&state, .input(.key(Key(name: "n")!)))`.
@discardableResult
public func reduce(_ state: inout ExplorerState, _ action: Action) -> [Effect] {
    state.reduce(action)
}

extension ExplorerState {
    /// Applies one action; see `reduce(_:_:)`.
    @discardableResult
    public mutating func reduce(_ action: Action) -> [Effect] {
        let effects = apply(action)
        return effects + takeOutbox()
    }

    private mutating func apply(_ action: Action) -> [Effect] {
        // The views' own actions change what the derivatives view shows, not what it is of.
        switch action {
        case .optimization(let a): reduce(a); return []
        case .derivatives(let a): reduce(a); return []
        case .toggleDual: toggleDualNumbers(); return []
        default: break
        }
        defer { refreshDerivatives() }
        switch action {
        case .input(let event): return handle(event)
        case .tick(let now): return tick(now)
        case .next:
            if stepper.next() { followStep() } else { playing = false }
        case .previous:
            stepper.previous()
            followStep()
        case .first:
            stepper.go(to: 0)
            followStep()
        case .last:
            stepper.go(to: stepper.count)
            followStep()
        case .togglePlay:
            playing.toggle()
            lastTick = nil
            if playing && stepper.position == stepper.count { stepper.go(to: 0) }
            message = .info(playing ? "playing at \(Format.short(speed)) steps/s (+/- to change, P to pause)" : "paused")
        case .faster, .slower:
            speedIndex = max(0, min(Self.speeds.count - 1, speedIndex + (action.isFaster ? 1 : -1)))
            message = .info("speed \(Format.short(speed)) steps/s")
        case .mode(let phase):
            rebuildStepper(phase: phase, position: 0)
            followStep()
            message = .info(modeText)
        case .cycleSeed:
            let seeds = TangentSeed.all(tape)
            guard !seeds.isEmpty else { message = .error("this graph has no inputs to seed"); break }
            // From another mode, s enters forward mode with the seed it shows (x1 first); in
            // forward mode it moves to the next.
            let at = seeds.firstIndex(of: tangentSeed)
            let k = at.map { phase == .forward ? ($0 + 1) % seeds.count : $0 } ?? 0
            tangentSeed = seeds[k]
            rebuildStepper(phase: .forward, position: phase == .forward ? stepper.position : 0)
            message = .info(modeText)
        case .up: if focus == .inspector { scrollInspector(-1) } else { moveTraceSelection(-1) }
        case .down: if focus == .inspector { scrollInspector(1) } else { moveTraceSelection(1) }
        case .left: pan(dx: -4, dy: 0)
        case .right: pan(dx: 4, dy: 0)
        case .pan(let dx, let dy): pan(dx: dx, dy: dy)
        case .selectOperand:
            guard !selectGroupInput() else { break }
            let node = inspected ?? tape.output
            select(tape.entries[node].operands.first ?? node)
        case .selectConsumer:
            guard !selectGroupConsumer() else { break }
            let node = inspected ?? tape.output
            select((node + 1 ..< tape.count).first { tape.entries[$0].operands.contains(node) } ?? node)
        case .selectNext: select(min(tape.count - 1, (inspected ?? -1) + 1))
        case .selectPrevious: select(max(0, (inspected ?? tape.count) - 1))
        case .focusNext:
            let all = Focus.allCases
            focus = all[(all.firstIndex(of: focus)! + 1) % all.count]
        case .toggleFit:
            compact.toggle()
            relayout()
            // A layout larger than the pane may have an empty corner (a long chain of layers
            // runs along its bottom): show the selection, else where the sweep starts.
            if let node = inspected ?? (tape.count > 0 ? min(tape.firstComputed, tape.count - 1) : nil) { reveal(node) }
            let view = graphViewport
            if compact, !layoutPending, layout.width > view.width || layout.height > view.height {
                message = .info("z: no layout of these \(tape.count) nodes fits the \(view.width)×\(view.height) pane; this one is \(layout.width)×\(layout.height) (arrow keys pan\(folding.groups.isEmpty ? "" : ", o and * fold groups"))")
            }
        case .centre:
            if let node = inspected { centre(on: node) }
        case .edit:
            guard let node = inspected, tape.entries[node].op.kind == .leaf else {
                message = .error("select an input to edit (j/k or a click), then press e")
                break
            }
            let current = Format.tensor(evaluation.value(node), tape.entries[node].shape, number: Format.exact)
            prompt = Prompt(kind: .edit(node: node), text: current)
        case .openCommand:
            prompt = Prompt(kind: .command)
            if loading == nil { message = nil }
        case .openSearch: prompt = Prompt(kind: .search)
        case .searchNext: searchNext()
        case .toggleHelp:
            showHelp.toggle()
            helpScroll = 0
        case .help(let h): scrollHelp(h)
        case .prompt(let p): return edit(p)
        case .dismiss:
            if loading != nil { cancelLoad() } else { message = nil }
        case .quit: return [.quit]
        case .quiz(let phase): startQuiz(phase ?? self.phase)
        case .optimization, .derivatives, .toggleDual: break
        case .granularity(let target): setGranularity(target ?? (granularity == .tensor ? .scalar : .tensor))
        case .neuronsOfSelection: neuronsOfSelection()
        case .toggleGroup: toggleGroupOfSelection()
        case .toggleAllGroups: toggleAllGroups()
        case .command(let text): return run(command: text)
        case .loaded(let result, let request):
            guard request == loadRequest, loading != nil else { break }
            loading = nil
            switch result {
            case .success(let g): adopt(g)
            // The failed command comes back to be fixed, unless a new one is being typed.
            case .failure(let f): fail(f, restoring: prompt == nil ? pendingCommand : nil)
            }
            pendingCommand = nil
        case .themeLoaded(let name, let result):
            switch result {
            case .success(let t):
                theme = t
                themeName = name
                message = .info("theme \(name)")
            case .failure(let e):
                message = .error(e.description)
                prompt = pendingCommand.map { Prompt(kind: .command, text: $0, restored: true) }
            }
            pendingCommand = nil
        case .notify(let m): message = m
        case .layoutArrived(let l, let gen, let isCompact):
            guard gen == generation else { break }
            layouts[isCompact] = CachedLayout(layout: l)
            guard isCompact == compact else { break }
            let wasPending = layoutPending
            relayout()
            // The corner of a big layout may be empty (long edges run along its top): show the
            // node being inspected, else where the sweep starts.
            if wasPending, let node = inspected ?? (tape.count > 0 ? min(tape.firstComputed, tape.count - 1) : nil) { reveal(node) }
        }
        return []
    }

    // MARK: - Terminal events

    private mutating func handle(_ event: InputEvent) -> [Effect] {
        switch event {
        case .resize(let width, let height):
            let fitted = graphViewport
            size = (width, height)
            // The fit layout was chosen for the old pane.
            if compact, graphViewport != fitted, tape.count <= Self.inlineLayoutLimit { layouts[true] = nil; relayout() }
            clampPan()
            return []
        case .key(let key):
            guard let action = keymap.action(for: key, mode: mode, focus: focus) else { return [] }
            return apply(action)
        case .mouse(let x, let y, let kind):
            let screen = ScreenLayout(width: size.width, height: size.height)
            guard !isTooSmall, !showHelp, !optimization.isShowing, derivatives == nil, let pane = screen.pane(atX: x, y: y) else { return [] }
            switch kind {
            case .press(button: 1):
                focus = pane
                if pane == .graph, let node = graphNode(atX: x, y: y, in: screen.graph) { select(node) }
                if pane == .trace, let node = traceNode(atY: y, in: screen.trace) { select(node) }
            case .scrollUp: if pane == .graph { pan(dx: 0, dy: -2) } else { moveTraceSelection(-1) }
            case .scrollDown: if pane == .graph { pan(dx: 0, dy: 2) } else { moveTraceSelection(1) }
            default: break
            }
            return []
        }
    }

    private mutating func tick(_ now: Double) -> [Effect] {
        guard playing else { lastTick = nil; return [] }
        guard let last = lastTick else { lastTick = now; return [] }
        guard now - last >= 1 / speed else { return [] }
        lastTick = now
        return apply(optimization.isShowing ? .optimization(.nextIteration) : .next)
    }

    // MARK: - The prompt

    /// The help overlay's keys: close it, or scroll it within its list.
    private mutating func scrollHelp(_ action: HelpAction) {
        let page = HelpContent.visibleLines(size, keymap)
        switch action {
        case .close: showHelp = false
        case .scroll(let lines): helpScroll += lines
        case .page(let pages): helpScroll += pages * page
        case .top: helpScroll = 0
        }
        helpScroll = max(0, min(helpScroll, HelpContent.entries(keymap).count - page))
    }

    private mutating func edit(_ action: PromptAction) -> [Effect] {
        guard var p = prompt else { return [] }
        if case .insert(let text) = action {
            insert(text)
            return []
        }
        var chars = Array(p.text)
        p.restored = false
        switch action {
        case .insert: return []
        case .cancel:
            prompt = nil
            message?.detail = []
            if case .answer = p.kind { stopQuiz() }
            if loading != nil { cancelLoad() }
            return []
        case .submit:
            prompt = nil
            return submit(p)
        case .deleteBackward:
            if chars.isEmpty { if case .answer = p.kind {} else { prompt = nil }; return [] }
            if p.cursor > 0 { chars.remove(at: p.cursor - 1); p.cursor -= 1 }
        case .deleteForward: if p.cursor < chars.count { chars.remove(at: p.cursor) }
        case .cursor(let delta): p.cursor = max(0, min(chars.count, p.cursor + delta))
        case .home: p.cursor = 0
        case .end: p.cursor = chars.count
        case .clear: chars = []; p.cursor = 0
        case .history(let delta):
            guard p.kind == .command, !history.isEmpty else { return [] }
            let back = delta < 0
            let i = history.lastIndex(of: p.text).map { $0 + delta } ?? (back ? history.count - 1 : history.count)
            chars = i >= 0 && i < history.count ? Array(history[i]) : (back ? Array(history[0]) : [])
            p.cursor = chars.count
        }
        p.text = String(chars)
        prompt = p
        if p.kind == .search, let node = search(p.text) { select(node) }
        return []
    }

    /// Types `text` into the open prompt at the cursor, all at once (a paste is one insert, one
    /// search, one redraw). In a command prompt a `:` typed first starts a fresh command line:
    /// it clears a failed command put back for fixing, and is dropped on an empty line.
    mutating func insert(_ text: String) {
        guard var p = prompt, !text.isEmpty else { return }
        var text = Substring(text)
        if p.kind == .command, text.first == ":", p.restored || p.text.isEmpty {
            p = Prompt(kind: .command)
            message = nil
            text = text.drop { $0 == ":" }
        }
        p.restored = false
        let typed = text.filter { !$0.isNewline }
        guard !typed.isEmpty else { prompt = p; return }
        let before = p.text
        let at = p.text.index(p.text.startIndex, offsetBy: min(p.cursor, p.text.count))
        p.text.insert(contentsOf: typed, at: at)
        p.cursor += typed.count
        prompt = p
        guard p.kind == .search else { return }
        // As if typed one key at a time: the selection is the match for the longest text that
        // had one. Once no node matches, longer text matches none either, so halve the range.
        var (lo, hi) = (0, typed.count)  // the text with `lo` of the typed characters matched (or is `before`)
        func withTyped(_ k: Int) -> String {
            var t = before
            t.insert(contentsOf: typed.prefix(k), at: t.index(t.startIndex, offsetBy: min(p.cursor - typed.count, t.count)))
            return t
        }
        if search(p.text) != nil { lo = hi } else {
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if search(withTyped(mid)) != nil { lo = mid } else { hi = mid }
            }
        }
        if lo > 0, let node = search(withTyped(lo)) { select(node) }
    }

    /// Forgets the load on its way: its answer, when it comes, is ignored.
    mutating func cancelLoad() {
        guard let what = loading else { return }
        loadRequest += 1
        loading = nil
        pendingCommand = nil
        message = .info("stopped loading \(what)")
    }

    private mutating func submit(_ p: Prompt) -> [Effect] {
        switch p.kind {
        case .command:
            let text = p.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return [] }
            if history.last != text { history.append(text) }
            return run(command: text)
        case .search:
            // An empty search repeats the last one, to its next match (as vim's `/` Enter).
            guard !p.text.isEmpty else { searchNext(); return [] }
            lastSearch = p.text
            if let node = search(p.text) {
                select(node)
                message = .info(foundText(node, p.text))
            } else {
                message = .error("no node's name, label or op contains '\(p.text)'")
                prompt = p
            }
        case .edit(let node):
            if !setValue(node, p.text) { prompt = p }
        case .answer:
            answerQuiz(p.text)
        }
        return []
    }

    /// The node `text` names best: first one whose name or label (`v₃`, also typed `v3`) is
    /// exactly `text`, else the first whose name, label or op (`sin`, `+`, `·`) contains it.
    /// Case does not matter.
    func search(_ text: String) -> Int? {
        let needle = Self.plainDigits(text.lowercased())
        guard !needle.isEmpty else { return nil }
        if let exact = (0..<tape.count).first(where: { isExactMatch($0, needle) }) { return exact }
        return (0..<tape.count).first { isMatch($0, needle) }
    }

    /// Every node `text` matches, best first: the exact ones, then the others in tape order.
    func searchMatches(_ text: String) -> [Int] {
        let needle = Self.plainDigits(text.lowercased())
        guard !needle.isEmpty else { return [] }
        let exact = (0..<tape.count).filter { isExactMatch($0, needle) }
        return exact + (0..<tape.count).filter { !exact.contains($0) && isMatch($0, needle) }
    }

    private func isExactMatch(_ i: Int, _ needle: String) -> Bool {
        tape.names[i]?.lowercased() == needle || Self.plainDigits(tape.label(i)) == needle
    }

    private func isMatch(_ i: Int, _ needle: String) -> Bool {
        var words = [Self.plainDigits(tape.label(i)), tape.entries[i].op.name.lowercased(), GraphView.symbol(tape.entries[i].op)]
        if let name = tape.names[i] { words.append(name.lowercased()) }
        return words.contains { $0.contains(needle) }
    }

    /// `;` (or `/` Enter): the last search's match after the selection, round to the first.
    mutating func searchNext() {
        guard let text = lastSearch else {
            message = .error("no search to repeat: / searches a node by name, label or op")
            return
        }
        let matches = searchMatches(text)
        guard !matches.isEmpty else {
            message = .error("no node's name, label or op contains '\(text)'")
            return
        }
        let at = inspected.flatMap { matches.firstIndex(of: $0) }
        let node = matches[at.map { ($0 + 1) % matches.count } ?? 0]
        select(node)
        message = .info(foundText(node, text))
    }

    /// `found v₃ (sin), match 2 of 3 (; for the next)`.
    private func foundText(_ node: Int, _ text: String) -> String {
        let matches = searchMatches(text)
        let found = "found \(tape.displayName(node)) (\(tape.label(node)))"
        guard matches.count > 1, let k = matches.firstIndex(of: node) else { return found }
        return found + ", match \(k + 1) of \(matches.count) (; for the next)"
    }

    /// `v₋₁` as `v-1`: subscript digits and minus as plain ones, so `/v3` finds `v₃`.
    static func plainDigits(_ text: String) -> String {
        String(text.unicodeScalars.map { u -> Character in
            switch u.value {
            case 0x2080...0x2089: Character(Unicode.Scalar(u.value - 0x2080 + 0x30)!)
            case 0x208B, 0x2212: "-"
            default: Character(u)
            }
        })
    }

    // MARK: - Graph, values, stepper

    /// Shows a new graph: new evaluation, layout and stepper, same mode.
    mutating func adopt(_ g: Graph) {
        let phase = self.phase
        endQuiz()
        optimization = OptimizationMode()
        neurons = nil
        graph = g
        code = CodeLines(g)
        evaluation = Evaluation(g.tape)
        tangentSeed = TangentSeed(leaf: g.tape.differentiableLeaves.first ?? 0)
        generation += 1
        checkpoint = nil
        layouts = [:]
        groupFolding = GroupFolding(groups: g.groups, nodeCount: g.tape.count)
        pan = GraphLayout.Point(x: 0, y: 0)
        selection = nil
        relayout()
        rebuildStepper(phase: phase, position: 0)
        if let first = stepper.order.first { showNeighbourhood(first) }
        message = .info("\(g.name): \(g.tape.count) nodes")
    }

    /// Shows a load failure: the first line in the message line, the source line and caret
    /// in the panel above it; the previous graph stays, and the typed command is kept.
    mutating func fail(_ f: LoadFailure, restoring command: String?) {
        let lines = f.rendered().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
        message = .error(lines.first ?? "error", detail: Array(lines.dropFirst()))
        if let command { prompt = Prompt(kind: .command, text: command, restored: true) }
    }

    /// Gives leaf `node` a new value from text (`3`, `-1.5`, `[1, 2]`), recomputing only its
    /// downstream cone; false (with a message) if the text is not a value of the leaf's shape.
    @discardableResult
    mutating func setValue(_ node: Int, _ text: String) -> Bool {
        let e = tape.entries[node]
        guard e.op.kind == .leaf else {
            message = .error("\(tape.displayName(node)) is computed; only inputs, params and consts have values to set")
            return false
        }
        guard let values = Self.parseValues(text), values.count == e.count else {
            message = .error("'\(Format.echoed(text))' is not a value for \(tape.displayName(node)) (\(e.shape.isScalar ? "a number" : "a tensor \(e.shape)"))")
            return false
        }
        // As the command line's --set: 1e400 is out of range, not ∞.
        guard values.allSatisfy(\.isFinite) else {
            message = .error("'\(Format.echoed(text))' is out of range for \(tape.displayName(node)) (numbers must be finite, at most about 1.8e308)")
            return false
        }
        let recomputed = evaluation.set([(node, values)])
        rebuildStepper(phase: phase, position: stepper.position)
        message = .info("\(tape.displayName(node)) = \(Format.tensor(values[...], e.shape)): recomputed \(recomputed) node\(recomputed == 1 ? "" : "s") downstream; the explanation was rebuilt over all \(tape.count)")
        return true
    }

    /// Numbers of a value literal: `3`, `−1.5`, `[1, 2]`, `[[1, 2], [3, 4]]` (row-major).
    static func parseValues(_ text: String) -> [Double]? {
        let cleaned = text.replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
        let parts = cleaned.split(whereSeparator: { $0 == "," || $0 == " " })
        guard !parts.isEmpty else { return nil }
        var values: [Double] = []
        for part in parts {
            guard let x = Double(part) else { return nil }
            values.append(x)
        }
        return values
    }

    mutating func rebuildStepper(phase: Phase, position: Int) {
        if let v = outputSeedTensor, v.count != tape.entries[tape.output].count { outputSeedTensor = nil }
        stepper = Stepper(explanation: Explanation(tape: tape, values: evaluation.values, phase: phase, tangentSeed: tangentSeed,
                                                   outputSeed: outputSeed, outputSeedTensor: outputSeedTensor))
        stepper.go(to: position)
        // The code's seed line says the seed the sweep uses (`dy = np.array([0.0, 1.0, 0.0])`).
        let n = graph.tape.entries[graph.tape.output].count
        let seed = outputSeedTensor ?? (outputSeed == 1 ? nil : [Double](repeating: outputSeed, count: n))
        if seed != code.seed, seed == nil || graph.tape.count == tape.count { code = CodeLines(graph, seed: seed) }
    }
}

extension Action {
    var isFaster: Bool { if case .faster = self { true } else { false } }
}

/// A layout with its spatial index, computed once per graph structure and box style.
struct CachedLayout: Sendable {
    var layout: GraphLayout
    var index: LayoutIndex
    init(layout: GraphLayout) {
        self.layout = layout
        index = LayoutIndex(layout)
    }
}
