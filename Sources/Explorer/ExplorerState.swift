import GraphCore
import GraphLanguage
import Screen

/// Which pane has the keyboard focus (Tab cycles through them in this order).
public enum Focus: String, CaseIterable, Sendable {
    case graph, trace, inspector
}

/// A one-line editor at the bottom of the screen: the `:` command line, `/` search, or the
/// value of an input being edited (`e`).
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case command
        case search
        /// Editing the value of this leaf (tape index).
        case edit(node: Int)
        /// Quiz mode: the value of the step being asked (`v̄₀`).
        case answer(label: String)
    }

    public var kind: Kind
    public var text: String
    /// Cursor position in characters (0 … text.count).
    public var cursor: Int
    /// The text is a command that failed, put back to be fixed: typing `:` starts afresh.
    public var restored: Bool

    public init(kind: Kind, text: String = "", restored: Bool = false) {
        self.kind = kind
        self.text = text
        cursor = text.count
        self.restored = restored
    }

    /// What is drawn before the text: `:`, `/`, `x1 = `.
    func leader(_ tape: Tape) -> String {
        switch kind {
        case .command: ":"
        case .search: "/"
        case .edit(let node): "\(tape.displayName(node)) = "
        case .answer(let label): "\(label) = "
        }
    }
}

/// A line of feedback above the status bar, and for load errors the rendered diagnostic
/// (message, source line, caret) shown in a panel above the prompt.
public struct Message: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, error }
    public var kind: Kind
    public var text: String
    /// Extra lines (a diagnostic's source line and caret), shown in a panel.
    public var detail: [String]

    public init(_ kind: Kind, _ text: String, detail: [String] = []) {
        self.kind = kind
        self.text = text
        self.detail = detail
    }

    public static func info(_ text: String) -> Message { Message(.info, text) }
    public static func error(_ text: String, detail: [String] = []) -> Message { Message(.error, text, detail: detail) }
}

/// Everything the explorer shows, as plain data. Only `reduce(_:_:)` changes it; panes only
/// read it. A new graph, a new input value or a new mode replaces `stepper`; the layout is
/// kept as long as the graph's structure is the same.
public struct ExplorerState: Sendable {
    // MARK: The graph and its evaluation
    public internal(set) var graph: Graph
    /// The tape at the current input values, kept up to date incrementally by `:set` and `e`.
    public internal(set) var evaluation: Evaluation
    public internal(set) var stepper: Stepper
    /// What forward mode seeds: a leaf, or one element of it.
    public internal(set) var tangentSeed: TangentSeed
    /// Leaf whose tangent is seeded in forward mode.
    public var seedLeaf: Int { tangentSeed.leaf }
    /// The output's adjoint seed in reverse mode.
    public internal(set) var outputSeed: Double = 1
    /// A tensor output's seed element by element (`:seed [0, 1, 0]`, a VJP); nil when
    /// `outputSeed` seeds every element.
    public internal(set) var outputSeedTensor: [Double]?

    /// The seed as the status bar and the inspector write it: `2`, `[0, 1, 0]`.
    public var outputSeedText: String {
        outputSeedTensor.map { Format.tensor($0[...], tape.entries[tape.output].shape) } ?? Format.short(outputSeed)
    }
    /// Bumped whenever the graph's structure changes, so a late layout for an old graph is
    /// ignored.
    public internal(set) var generation = 0
    /// `:checkpoint K`: the checkpointed sweep whose counts the status line shows (reverse mode).
    public internal(set) var checkpoint: CheckpointedSweep?

    // MARK: The view
    public internal(set) var layout: GraphLayout
    public internal(set) var index: LayoutIndex
    /// The layout for the current box style is being computed in the background (graphs larger
    /// than `inlineLayoutLimit`); `layout` is empty until `.layoutArrived` brings it.
    public internal(set) var layoutPending = false
    /// Layouts computed for this graph, by box style (compact or not).
    var layouts: [Bool: CachedLayout] = [:]
    /// The generation and box style a background layout was last asked for.
    var layoutAsked: [Int]?
    /// Effects a state change asked for on its way (a layout), returned by the next `reduce`.
    var outbox: [Effect] = []
    /// Compact boxes (label only) with the whole graph scaled to fit: the `z` toggle.
    public internal(set) var compact = false
    /// Top-left of the graph pane's viewport, in layout cells.
    public internal(set) var pan = GraphLayout.Point(x: 0, y: 0)
    public internal(set) var selection: Int?
    public internal(set) var focus: Focus = .graph
    /// First line of the inspector shown (it scrolls while it has the focus).
    public internal(set) var inspectorScroll = 0
    public internal(set) var size: (width: Int, height: Int)
    public internal(set) var showHelp = false
    /// First line of the help overlay shown.
    public internal(set) var helpScroll = 0
    public internal(set) var prompt: Prompt?
    public internal(set) var message: Message?
    /// Recent `:` commands, newest last (up/down in the command line).
    public internal(set) var history: [String] = []
    /// The last text searched for (`/`), which `;` repeats.
    var lastSearch: String?
    /// A command whose result (a file, a theme) is on its way; put back in the prompt if it fails.
    var pendingCommand: String?
    /// The number of the last load asked for (`:open`, `:expr`); answers for others are stale.
    var loadRequest = 0
    /// What is loading in the background (`big.grad`), shown until its answer arrives.
    public internal(set) var loading: String?
    public internal(set) var themeName = "default"
    public internal(set) var theme: Theme = .default
    public internal(set) var glyphs: Glyphs
    /// Gradient descent stepped one iteration at a time (`O`, `:optimize`).
    public internal(set) var optimization = OptimizationMode()
    /// The derivatives view (`d`): ∂f/∂x by AD, central difference and symbolically; nil when closed.
    public internal(set) var derivatives: DerivativesView?
    /// The trace pane writes forward mode in dual numbers a + bε (`D`).
    public internal(set) var dualNumbers = false
    /// The neuron-level view (`N`, `:granularity`): the tensor graph it was expanded from;
    /// nil in the tensor view.
    public internal(set) var neurons: NeuronView?
    /// The graph's groups and which are open (`o`, `*`); read through `folding`.
    var groupFolding: GroupFolding

    // MARK: Playing
    public internal(set) var playing = false
    /// Index into `ExplorerState.speeds`.
    public internal(set) var speedIndex = 2
    public internal(set) var lastTick: Double?

    /// Steps per second that `+` and `-` choose from.
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8]
    /// The smallest screen the explorer draws into.
    public static let minimumSize = (width: 40, height: 12)
    /// Graphs with more nodes are laid out in the background (`LayoutUpgrades`), so the first
    /// screen shows at once; smaller ones are laid out on the spot (a few milliseconds).
    public static let inlineLayoutLimit = 3_000

    // MARK: Practice
    /// Quiz mode (`Q`, `:quiz`): the next value is hidden and typed in; nil when not quizzing.
    public internal(set) var quiz: QuizSession?
    /// The code of each step (`numpy: dh = dz * (z > 0)`), shown under the inspector.
    public internal(set) var code: CodeLines

    public let keymap: Keymap

    /// A state showing `graph` in `phase`, at step 0.
    public init(graph: Graph, phase: Phase = .primal, size: (width: Int, height: Int) = (80, 24),
                glyphs: Glyphs = .unicode, theme: Theme = .default, keymap: Keymap = .default) {
        self.graph = graph
        evaluation = Evaluation(graph.tape)
        let leaf = graph.tape.differentiableLeaves.first ?? 0
        tangentSeed = TangentSeed(leaf: leaf)
        stepper = Stepper(tape: evaluation.tape, values: evaluation.values, phase: phase, seedLeaf: leaf)
        layout = GraphLayout(boxes: [], edges: [], width: 0, height: 0, engine: .layered)
        index = LayoutIndex(layout)
        self.size = size
        self.glyphs = glyphs
        self.theme = theme
        themeName = theme.name
        self.keymap = keymap
        code = CodeLines(graph)
        groupFolding = GroupFolding(groups: graph.groups, nodeCount: graph.tape.count)
        relayout()
        // `start()` asks for the first background layout.
        (layoutAsked, outbox) = (nil, [])
        // The graph pane opens where the sweep starts.
        if let first = stepper.order.first { showNeighbourhood(first) }
    }

    /// The effects the state needs as it opens (a background layout): the shell runs them
    /// once, before the first key.
    public mutating func start() -> [Effect] {
        askLayout()
        return takeOutbox()
    }

    mutating func takeOutbox() -> [Effect] {
        defer { outbox = [] }
        return outbox
    }

    public var tape: Tape { evaluation.tape }

    public var phase: Phase { stepper.phase }
    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    /// What the keyboard talks to now, and so which keymap a key is looked up in: a line being
    /// typed, else the help overlay, else the view over the panes, else the graph.
    public var mode: Mode {
        if let p = prompt {
            if case .answer = p.kind { return .answer }
            return .prompt
        }
        if showHelp { return .help }
        if optimization.isShowing { return .optimization }
        if derivatives != nil { return .derivatives }
        return .graph
    }

    /// The node the inspector shows: the selection, else the node of the current step.
    public var inspected: Int? { selection ?? stepper.current }
    /// Steps per second while playing.
    public var speed: Double { Self.speeds[speedIndex] }
}
