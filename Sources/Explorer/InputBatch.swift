import Screen

// A backlog of input, taken in at once. The shell reads every key that is waiting (a paste, a
// held-down key, keys typed while a big graph was being drawn) and hands them over together;
// the explorer answers as if they had come one by one, but without paying for each: the screen
// is drawn once per batch, text typed into the prompt is inserted in one go, a run of step keys
// moves the sweep once, a burst of resizes takes the last size, and a `q` that will quit does
// so before the keys queued ahead of it.

extension ExplorerState {
    /// Applies `actions` in order, with the same result as `reduce(_:)` on each in turn (except
    /// that after a run of steps the view pans straight to where the run ends), and returns
    /// the effects. It stops early, returning what it has, when `interrupted()` turns
    /// true (checked between actions: Ctrl-C is never stuck behind a backlog) or at a `.quit`
    /// effect; a `q` key that quits wherever it stands in the batch quits at once.
    ///
    ///     let effects = state.reduce(batch: events.map(Action.input)) { terminal.interrupted }
    @discardableResult
    public mutating func reduce(batch actions: [Action], interrupted: () -> Bool = { false }) -> [Effect] {
        if quitsAhead(actions) { return [.quit] }
        var effects: [Effect] = []
        var i = 0
        while i < actions.count, !interrupted() {
            if let typed = typedRun(actions, from: i) {
                insert(typed.text)
                i = typed.end
                continue
            }
            // Only the last size of a burst of resizes is drawn (and a fit layout chosen for).
            if case .input(.resize) = actions[i], actions[(i + 1)...].contains(where: Self.isResize) {
                i += 1
                continue
            }
            if let run = stepRun(actions, from: i) {
                step(by: run.steps)
                i = run.end
                continue
            }
            let out = reduce(actions[i])
            effects += out
            if out.contains(.quit) { break }
            i += 1
        }
        return effects + takeOutbox()
    }

    /// True when the batch holds a key that quits in the state it will find. The keys ahead
    /// of it are looked up in the keymap of the mode they meet; those that may change the mode
    /// cheaply (opening the command line, typing into it, the help, the focus) are run on a
    /// scratch copy by the reducer itself, those that cannot change it are passed over, and any
    /// other (an Enter, which may run a command that reopens the prompt; a view or a quiz
    /// opening) stops the look-ahead.
    func quitsAhead(_ actions: [Action]) -> Bool {
        var scratch = self
        for action in actions {
            guard case .input(.key(let key)) = action,
                  let bound = keymap.action(for: key, mode: scratch.mode, focus: scratch.focus) else { continue }
            switch bound.lookAhead {
            case .quits: return true
            case .keepsMode: continue
            case .changesMode: scratch.reduce(bound)
            case .unknown: return false
            }
        }
        return false
    }

    private static func isResize(_ action: Action) -> Bool {
        if case .input(.resize) = action { true } else { false }
    }

    /// Characters typed into an open prompt from `start` on, while it stays open.
    private func typedRun(_ actions: [Action], from start: Int) -> (text: String, end: Int)? {
        guard prompt != nil else { return nil }
        var text = "", end = start
        while end < actions.count, case .input(.key(.character(let c))) = actions[end] {
            text.append(c)
            end += 1
        }
        return end > start ? (text, end) : nil
    }

    /// A run of the same step key (`n`, `p`) from `start` on: the steps it takes, forward
    /// positive. A single key goes through `reduce` as usual.
    private func stepRun(_ actions: [Action], from start: Int) -> (steps: Int, end: Int)? {
        guard prompt == nil, !showHelp, case .input(.key(let key)) = actions[start] else { return nil }
        let direction: Int
        switch keymap.action(for: key, mode: mode, focus: focus) {
        case .next?, .optimization(.nextIteration)?: direction = 1
        case .previous?, .optimization(.previousIteration)?: direction = -1
        default: return nil
        }
        var end = start + 1
        while end < actions.count, case .input(.key(let other)) = actions[end], other == key { end += 1 }
        return end - start > 1 ? (direction * (end - start), end) : nil
    }

    /// `steps` steps forward (or back when negative) at once, as that many `n` (`p`) keys would
    /// take them: stops at the ends, and reaching the end stops playing.
    mutating func step(by steps: Int) {
        if stepIterations(by: steps) { return }
        let target = stepper.position + steps
        if steps > 0 && target > stepper.count { playing = false }
        let clamped = max(0, min(stepper.count, target))
        guard clamped != stepper.position || steps < 0 else { return }
        stepper.go(to: clamped)
        selection = stepper.current
        if let node = selection { reveal(node) }
    }
}

/// What a bound action can do to the mode, for the batch's look-ahead to a quitting key.
enum LookAhead {
    case quits
    /// Steps, selects, pans, switches view inside the mode: the next key meets the same mode.
    case keepsMode
    /// Opens or closes a line or the help, moves the focus: cheap to run on a copy.
    case changesMode
    /// Runs a command, opens a view or a quiz, or may close the line: what follows is not
    /// known without doing the work.
    case unknown
}

extension Action {
    var lookAhead: LookAhead {
        switch self {
        case .quit: .quits
        case .next, .previous, .first, .last, .togglePlay, .faster, .slower, .mode, .cycleSeed,
             .up, .down, .left, .right, .pan, .selectOperand, .selectConsumer, .selectNext, .selectPrevious,
             .toggleFit, .centre, .searchNext, .toggleGroup, .toggleAllGroups, .granularity, .neuronsOfSelection, .toggleDual, .dismiss:
            .keepsMode
        case .focusNext, .openCommand, .openSearch, .edit, .toggleHelp, .help: .changesMode
        // Typing and moving the cursor leave the line open (a 50 KB paste must not be typed
        // twice); Escape and a Backspace on an empty line may close it.
        case .prompt(let p):
            switch p {
            case .insert, .deleteForward, .cursor, .home, .end, .clear, .history: .keepsMode
            case .cancel, .deleteBackward: .changesMode
            case .submit: .unknown
            }
        case .input, .tick, .quiz, .optimization, .derivatives, .command, .loaded, .themeLoaded, .notify, .layoutArrived:
            .unknown
        }
    }
}
