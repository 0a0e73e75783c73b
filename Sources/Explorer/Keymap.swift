import Screen

/// What the keyboard is talking to: one mode at a time, each with its own keymap. The state
/// says which mode it is in (`ExplorerState.mode`); a key means what that mode's bindings say,
/// and nothing else decides what a key does.
public enum Mode: String, CaseIterable, Sendable {
    /// The graph, trace and inspector panes: stepping, selecting, switching views.
    case graph
    /// The optimisation pane (`O`, `:optimize`): the step keys move between iterations.
    case optimization
    /// The derivatives view (`d`) over the panes.
    case derivatives
    /// The `?` overlay.
    case help
    /// A line being typed: the `:` command line, `/` search, an input's value (`e`).
    case prompt
    /// The quiz's answer line.
    case answer

    /// The mode whose bindings apply to a key this mode does not bind.
    public var fallback: Mode? {
        switch self {
        case .optimization, .derivatives: .graph
        case .graph, .help, .prompt, .answer: nil
        }
    }

    /// A printable key that no binding takes is typed into the line.
    public var typesText: Bool { self == .prompt || self == .answer }

    /// The heading of the mode's keys in the help overlay and the manual.
    public var title: String {
        switch self {
        case .graph: "Exploring the graph"
        case .optimization: "In optimisation mode (the rest as when exploring)"
        case .derivatives: "In the derivatives view (the rest as when exploring)"
        case .help: "In this help"
        case .prompt: "Typing a command, a search or a value (other keys type)"
        case .answer: "Typing a quiz answer (other keys type)"
        }
    }
}

/// One key binding: which keys, in which pane, do what. The same table drives the reducer, the
/// status bar's key hints, the `?` help overlay and the manual's key table.
public struct Binding: Sendable {
    /// Key names as `Key(name:)` reads them: `n`, `space`, `C-c`, `up`.
    public var keys: [String]
    public var action: Action
    /// What it does, for the help overlay and the manual.
    public var description: String
    /// Its word in the status bar's key hints (`next`), or nil when it is not shown there.
    public var footer: String?
    /// Shown in the status bar whatever the room (help, quit, how to leave a line).
    public var essential: Bool
    /// The pane that must have the focus, or nil for everywhere.
    public var focus: Focus?

    public init(_ keys: [String], _ action: Action, _ description: String,
                footer: String? = nil, essential: Bool = false, focus: Focus? = nil) {
        self.keys = keys
        self.action = action
        self.description = description
        self.footer = footer
        self.essential = essential
        self.focus = focus
    }
}

/// The explorer's keys, mode by mode. Remap a key by editing `Keymap.default`; nothing else
/// names keys.
///
///     Keymap.default.action(for: Key(name: "n")!, mode: .graph, focus: .graph)   // .next
///     print(Keymap.default.markdownTable())                                       // for the manual
public struct Keymap: Sendable {
    public var modes: [Mode: [Binding]]

    public init(_ modes: [Mode: [Binding]]) { self.modes = modes }

    /// The bindings of one mode, in the order the help lists them.
    public func bindings(_ mode: Mode) -> [Binding] { modes[mode] ?? [] }

    /// Every binding of every mode, mode by mode.
    public var bindings: [Binding] { Mode.allCases.flatMap(bindings) }

    public static let `default` = Keymap([
        .graph: graphBindings,
        .optimization: [
            Binding(["n", "space"], .optimization(.nextIteration), "next iteration"),
            Binding(["p", "backspace"], .optimization(.previousIteration), "previous iteration"),
            Binding(["g", "home"], .optimization(.firstIteration), "iteration 0 (the start)"),
            Binding(["G", "end"], .optimization(.lastIteration), "the last iteration"),
            Binding(["j", "down"], .optimization(.scroll(1)), "scroll the update down a line"),
            Binding(["k", "up"], .optimization(.scroll(-1)), "scroll the update up a line"),
        ],
        .derivatives: [
            Binding(["escape"], .derivatives(.close), "close the derivatives view"),
        ],
        .help: [
            Binding(["?", "escape", "q", "enter"], .help(.close), "close the help"),
            Binding(["j", "down", "n"], .help(.scroll(1)), "scroll down a line"),
            Binding(["k", "up", "p"], .help(.scroll(-1)), "scroll up a line"),
            Binding(["space", "pagedown"], .help(.page(1)), "scroll down a page"),
            Binding(["pageup"], .help(.page(-1)), "scroll up a page"),
            Binding(["g", "home"], .help(.top), "back to the top"),
        ],
        .prompt: lineBindings(submit: ("run the command, search or set the value", "ok"),
                              cancel: ("cancel (a load on its way stops too)", "cancel"),
                              backspace: "delete the character before the cursor (on an empty line: cancel)")
            + [Binding(["up"], .prompt(.history(-1)), "command line: the previous command typed"),
               Binding(["down"], .prompt(.history(1)), "command line: the next command typed")],
        .answer: lineBindings(submit: ("check the answer", "check"),
                              hint: Binding(["?"], .prompt(.insert("?")), "typed alone then Enter: a hint (costs half a point)",
                                            footer: "+ Enter hint"),
                              cancel: ("stop the quiz (the score so far)", "stop quiz"),
                              backspace: "delete the character before the cursor"),
    ])

    private static let graphBindings: [Binding] = [
        Binding(["n", "space"], .next, "next step", footer: "next"),
        Binding(["p", "backspace"], .previous, "previous step", footer: "prev"),
        Binding(["g", "home"], .first, "first step (nothing done yet)"),
        Binding(["G", "end"], .last, "last step (the sweep complete)"),
        Binding(["P"], .togglePlay, "play / pause", footer: "play"),
        Binding(["+", "="], .faster, "play faster"),
        Binding(["-"], .slower, "play slower"),
        Binding(["v"], .mode(.primal), "primal mode (evaluate values)", footer: "primal"),
        Binding(["f"], .mode(.forward), "forward mode (tangents)", footer: "forward"),
        Binding(["r"], .mode(.reverse), "reverse mode (adjoints)", footer: "reverse"),
        Binding(["s"], .cycleSeed, "forward mode: seed the next input or element"),
        Binding(["up", "k"], .up, "trace: select the row above", focus: .trace),
        Binding(["down", "j"], .down, "trace: select the row below", focus: .trace),
        Binding(["up", "k"], .up, "inspector: scroll up", focus: .inspector),
        Binding(["down", "j"], .down, "inspector: scroll down", focus: .inspector),
        Binding(["up"], .pan(dx: 0, dy: -2), "graph: pan up", focus: .graph),
        Binding(["down"], .pan(dx: 0, dy: 2), "graph: pan down", focus: .graph),
        Binding(["left"], .pan(dx: -4, dy: 0), "graph: pan left", focus: .graph),
        Binding(["right"], .pan(dx: 4, dy: 0), "graph: pan right", focus: .graph),
        Binding(["h"], .selectOperand, "graph: select an operand of the selection", focus: .graph),
        Binding(["l"], .selectConsumer, "graph: select a consumer of the selection", focus: .graph),
        Binding(["j"], .selectNext, "graph: select the next node", focus: .graph),
        Binding(["k"], .selectPrevious, "graph: select the previous node", focus: .graph),
        Binding(["z"], .toggleFit, "graph: fit the whole graph in the pane on / off"),
        Binding(["c"], .centre, "graph: centre on the selection"),
        Binding(["o"], .toggleGroup, "graph: open / fold the group of the selection (a folded group is one box)"),
        Binding(["*"], .toggleAllGroups, "graph: open every group / fold them all"),
        Binding(["tab"], .focusNext, "focus the next pane"),
        Binding(["e"], .edit, "edit the selected input's value", footer: "edit"),
        Binding([":"], .openCommand, "command line (:help lists commands)", footer: "command"),
        Binding(["/"], .openSearch, "search a node by name, label (v3) or op (sin)"),
        Binding([";"], .searchNext, "the last search's next match (also / then Enter)"),
        Binding(["Q"], .quiz(nil), "quiz: hide the next value and type it (? in the answer: a hint)"),
        Binding(["O"], .optimization(.toggle), "optimisation mode on / off (n/p step iterations; :optimize sets options)"),
        Binding(["enter"], .optimization(.open), "optimisation: open the iteration into its reverse sweep / close it"),
        Binding(["D"], .toggleDual, "forward mode: dual numbers a + bε in the trace on / off"),
        Binding(["d"], .derivatives(.toggle), "derivatives view of the selection or output: AD, central difference, symbolic"),
        Binding(["H"], .derivatives(.sweep), "derivatives view: the h-sweep, difference error against h (log-log)"),
        Binding(["F"], .derivatives(.function), "derivatives view: f and f′ around the point"),
        Binding(["T"], .derivatives(.taylor), "derivatives view: f against its Taylor polynomials of order 1–3"),
        Binding(["J"], .derivatives(.jacobian), "derivatives view: the Jacobian of f (tensors too), by forward and by reverse mode"),
        Binding(["N"], .granularity(nil), "neuron view (one node per element and multiply-add) / tensor view; the selection goes along"),
        Binding(["x"], .neuronsOfSelection, "neurons of the selected node alone, the rest as tensor boxes (in the neuron view: open / fold a node)"),
        Binding(["escape"], .dismiss, "stop a load on its way, else clear the message line"),
        Binding(["?"], .toggleHelp, "help", footer: "help", essential: true),
        Binding(["q"], .quit, "quit", footer: "quit", essential: true),
    ]

    /// The keys of a line being typed; `submit` and `cancel` say what Enter and Escape do there.
    /// `hint`, when given, comes between them (the status bar shows them in this order).
    private static func lineBindings(submit: (String, String), hint: Binding? = nil, cancel: (String, String),
                                     backspace: String) -> [Binding] {
        [Binding(["enter"], .prompt(.submit), submit.0, footer: submit.1, essential: true)] + (hint.map { [$0] } ?? []) + [
            Binding(["escape"], .prompt(.cancel), cancel.0, footer: cancel.1, essential: true),
            Binding(["backspace"], .prompt(.deleteBackward), backspace),
            Binding(["delete"], .prompt(.deleteForward), "delete the character under the cursor"),
            Binding(["left"], .prompt(.cursor(-1)), "cursor left"),
            Binding(["right"], .prompt(.cursor(1)), "cursor right"),
            Binding(["home", "C-a"], .prompt(.home), "cursor to the start"),
            Binding(["end", "C-e"], .prompt(.end), "cursor to the end"),
            Binding(["C-u"], .prompt(.clear), "clear the line"),
        ]
    }

    /// The action `key` has in `mode` with `focus` on a pane: a binding for that pane wins over
    /// one for every pane, then the mode's fallback mode is asked; in a mode that types text, a
    /// printable key nothing binds is typed.
    public func action(for key: Key, mode: Mode, focus: Focus) -> Action? {
        let name = key.name
        var current: Mode? = mode
        while let m = current {
            let list = bindings(m)
            if let b = list.first(where: { $0.focus == focus && $0.keys.contains(name) })
                ?? list.first(where: { $0.focus == nil && $0.keys.contains(name) }) {
                return b.action
            }
            current = m.fallback
        }
        if mode.typesText, case .character(let c) = key { return .prompt(.insert(String(c))) }
        return nil
    }

    /// The status bar's key hints in `mode`.
    public func footerHints(_ mode: Mode) -> [(keys: String, description: String, essential: Bool)] {
        let own = bindings(mode).filter { $0.footer != nil }
        // A mode with no hints of its own (the help, a view over the panes) shows the graph's.
        let list = own.isEmpty ? bindings(mode.fallback ?? .graph).filter { $0.footer != nil } : own
        return list.map { (Self.label($0.keys[0]), $0.footer!, $0.essential) }
    }

    /// A key name as the status bar writes it: `Enter`, `Esc`, else the name.
    public static func label(_ name: String) -> String {
        switch name {
        case "enter": "Enter"
        case "escape": "Esc"
        default: name
        }
    }

    /// `n, space` as shown in the help overlay.
    static func keyList(_ keys: [String]) -> String { keys.joined(separator: ", ") }

    /// The key tables in Markdown, one a mode, for the manual.
    public func markdownTable() -> String {
        var lines: [String] = []
        for mode in Mode.allCases {
            if mode != .graph { lines += ["", "\(mode.title):", ""] }
            lines += ["| Keys | Action |", "|---|---|"]
            for b in bindings(mode) {
                let keys = b.keys.map { "`\($0 == "|" ? "\\|" : $0)`" }.joined(separator: " ")
                lines.append("| \(keys) | \(b.description) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `:` commands, for the help overlay and the manual.
    public static let commands: [(syntax: String, description: String)] = [
        (":expr EXPR @ x=1, y=2", "explore a typed expression (free names are inputs)"),
        (":open FILE", "open a .grad file"),
        (":set NAME=VALUE", "change an input, recomputing only what depends on it"),
        (":mode primal|forward|reverse [INPUT]", "switch mode; forward seeds INPUT, one element W[2,0] or a direction x=[1, -2]"),
        (":seed V", "reverse mode: the output's adjoint seed"),
        (":export [step] [svg|png|pdf|dot] [FILE]", "write the graph as `gradstep export` does (step: as at the step on screen)"),
        (":export! …", "the same, overwriting any file"),
        (":theme NAME", "switch theme (Themes/NAME.theme, or default)"),
        (":goto N", "go to step N"),
        (":quiz [primal|forward|reverse|off]", "quiz mode: type each next value; a score at the end"),
        (":optimize [--method M --lr η …]", "optimisation mode with `gradstep optimize`'s options"),
        (":iteration N", "optimisation mode: go to iteration N"),
        (":granularity scalar|tensor", "the neuron-level view (one node per element and multiply-add) or the tensor view"),
        (":quit", "quit (also :q)"),
    ]
}
