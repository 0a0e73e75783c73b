import Screen

/// One key binding: which keys, in which pane, do what. The same table drives the reducer, the
/// status bar's key hints, the `?` help overlay and the README's key table.
public struct Binding: Sendable {
    /// Key names as `Key(name:)` reads them: `n`, `space`, `C-c`, `up`.
    public var keys: [String]
    public var action: Action
    /// What it does, for the help overlay and the README.
    public var description: String
    /// Shown in the status bar's key hints.
    public var inFooter: Bool
    /// The pane that must have the focus, or nil for everywhere.
    public var focus: Focus?

    public init(_ keys: [String], _ action: Action, _ description: String,
                footer: Bool = false, focus: Focus? = nil) {
        self.keys = keys
        self.action = action
        self.description = description
        inFooter = footer
        self.focus = focus
    }
}

/// The explorer's keys. Remap a key by editing `Keymap.default`; nothing else names keys.
///
///     Keymap.default.action(for: Key(name: "n")!, focus: .graph)   // .next
///     print(Keymap.default.markdownTable())                        // for the README
public struct Keymap: Sendable {
    public var bindings: [Binding]

    public init(_ bindings: [Binding]) { self.bindings = bindings }

    public static let `default` = Keymap([
        Binding(["n", "space"], .next, "next step", footer: true),
        Binding(["p", "backspace"], .previous, "previous step", footer: true),
        Binding(["g", "home"], .first, "first step (nothing done yet)"),
        Binding(["G", "end"], .last, "last step (the sweep complete)"),
        Binding(["P"], .togglePlay, "play / pause", footer: true),
        Binding(["+", "="], .faster, "play faster"),
        Binding(["-"], .slower, "play slower"),
        Binding(["v"], .mode(.primal), "primal mode (evaluate values)", footer: true),
        Binding(["f"], .mode(.forward), "forward mode (tangents)", footer: true),
        Binding(["r"], .mode(.reverse), "reverse mode (adjoints)", footer: true),
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
        Binding(["e"], .edit, "edit the selected input's value", footer: true),
        Binding([":"], .openCommand, "command line (:help lists commands)", footer: true),
        Binding(["/"], .openSearch, "search a node by name, label (v3) or op (sin)"),
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
        Binding(["x"], .neuronsOfSelection, "neuron view of the selected node alone, the rest folded as tensors (in the neuron view: open / fold the node's neurons)"),
        Binding(["?"], .toggleHelp, "help", footer: true),
        Binding(["q"], .quit, "quit", footer: true),
    ])

    /// The action bound to `key` in the focused pane: a binding for that pane wins over a
    /// global one.
    public func action(for key: Key, focus: Focus) -> Action? {
        let name = key.name
        if let b = bindings.first(where: { $0.focus == focus && $0.keys.contains(name) }) { return b.action }
        return bindings.first(where: { $0.focus == nil && $0.keys.contains(name) })?.action
    }

    /// Short hints for the status bar: `n next  p prev …`.
    public var footerHints: [(keys: String, description: String)] {
        bindings.filter(\.inFooter).map { ($0.keys[0], Self.shortDescription($0.description)) }
    }

    /// The first word of a description (`next step` → `next`), for the footer.
    static func shortDescription(_ text: String) -> String {
        let word = text.split(separator: " ").first.map(String.init) ?? text
        return word == "previous" ? "prev" : word
    }

    /// `n, space` as shown in the help overlay.
    static func keyList(_ keys: [String]) -> String { keys.joined(separator: ", ") }

    /// The key table in Markdown, for the README.
    public func markdownTable() -> String {
        var lines = ["| Keys | Action |", "|---|---|"]
        for b in bindings {
            let keys = b.keys.map { "`\($0 == "|" ? "\\|" : $0)`" }.joined(separator: " ")
            lines.append("| \(keys) | \(b.description) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `:` commands, for the help overlay and the README.
    public static let commands: [(syntax: String, description: String)] = [
        (":expr EXPR @ x=1, y=2", "explore a typed expression (free names are inputs)"),
        (":open FILE", "open a .grad file"),
        (":set NAME=VALUE", "change an input, recomputing only what depends on it"),
        (":mode primal|forward|reverse [INPUT]", "switch mode; forward seeds INPUT or one element, W[2,0]"),
        (":seed V", "reverse mode: the output's adjoint seed"),
        (":export [svg|png|pdf|dot] [FILE]", "write the graph as `gradstep export` does"),
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
