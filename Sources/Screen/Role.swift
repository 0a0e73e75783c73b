/// What a cell *means*, not what colour it has. Panes draw with roles; a `Theme` turns roles into
/// colours for the terminal, and the Graphviz export uses the same roles for node colours.
///
/// The raw value is the key used in theme files (`status_bar = "#313244"`).
public enum Role: String, CaseIterable, Hashable, Sendable, Codable {
    // MARK: Screen
    /// Empty space; its colour is the background of the whole screen.
    case background
    /// Ordinary text.
    case text
    /// Secondary text: hints, units, the parts of a formula that are not the point.
    case muted
    /// Pane borders.
    case border
    /// The border of the pane that has the keyboard focus.
    case focusBorder = "focus_border"
    /// Pane titles.
    case title
    /// Table headers (the trace table's column names).
    case header

    // MARK: Automatic differentiation
    /// Primal values.
    case value
    /// Tangents (forward mode, dual parts).
    case tangent
    /// Adjoints (reverse mode, cotangents).
    case adjoint
    /// A partial adjoint: a sum that has received some but not all of its terms, so not yet
    /// ∂y/∂vᵢ. Drawn apart from final adjoints, with its count (`1/2`).
    case partial
    /// The node or tape entry the stepper is at.
    case current
    /// Nodes the current sweep has already visited.
    case done
    /// The node or row the user selected.
    case selected
    /// Input variables v₋ₙ..v₀.
    case input
    /// Parameters (weights) that gradients are taken with respect to.
    case param
    /// Constants.
    case constant
    /// The output y.
    case output
    /// A non-differentiable point (relu at 0, abs at 0): a subgradient was chosen.
    case kink
    /// Graph edges.
    case edge

    // MARK: Messages and chrome
    case error
    case warning
    case info
    /// The status bar's fill.
    case statusBar = "status_bar"
    /// Text on the status bar.
    case statusText = "status_text"
    /// Key names in the footer and the help overlay.
    case key

    /// The name used in theme files.
    public var name: String { rawValue }
}

/// Text attributes that every terminal can show, with or without colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let reverse = Attributes(rawValue: 1 << 1)
    public static let dim = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)

    /// Names as written in tests and docs: `"bold+reverse"`, or `""` for none.
    public var names: String {
        [(Attributes.bold, "bold"), (.reverse, "reverse"), (.dim, "dim"), (.underline, "underline")]
            .filter { contains($0.0) }.map(\.1).joined(separator: "+")
    }
}

/// How a cell is drawn: its role, plus attributes added by the pane (a bold title, say). The
/// theme may add attributes of its own for the role.
///
///     canvas.put("v₂", x: 1, y: 0, style: Style(.current, .bold))
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var role: Role
    public var attributes: Attributes

    public init(_ role: Role, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let text = Style(.text)
    public static let background = Style(.background)

    public func adding(_ extra: Attributes) -> Style { Style(role, attributes.union(extra)) }

    /// `value` or `value+bold`.
    public var description: String {
        attributes.isEmpty ? role.name : "\(role.name)+\(attributes.names)"
    }
}
