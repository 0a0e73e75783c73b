/// Colours and attributes for every `Role`: what a pane's roles look like on screen (and in the
/// Graphviz export).
///
/// A theme is always complete. The built-in `Theme.default` is the schema; a theme file only
/// overrides the roles it names, one `role = "#RRGGBB"` per line:
///
///     # gradstep dark theme
///     background = "#1e1e2e"    # comment allowed after the value
///     value      = "#89b4fa"
///
/// `"default"` instead of a colour means the terminal's own colour. Attributes (a bold title,
/// a reversed current node) come from the built-in default and are the same in every theme.
public struct Theme: Hashable, Sendable {
    /// One role's look: a colour (nil: the terminal's default) and attributes.
    public struct Entry: Hashable, Sendable {
        public var color: Color?
        public var attributes: Attributes

        public init(_ color: Color?, _ attributes: Attributes = []) {
            self.color = color
            self.attributes = attributes
        }
    }

    public var name: String
    private var entries: [Role: Entry]

    /// A theme from `base` with some roles changed.
    public init(name: String, base: Theme = .default, overriding changes: [Role: Entry] = [:]) {
        self.name = name
        self.entries = base.entries.merging(changes) { $1 }
    }

    private init(name: String, complete entries: [Role: Entry]) {
        self.name = name
        self.entries = entries
    }

    public subscript(role: Role) -> Entry {
        get { entries[role] ?? Entry(nil) }
        set { entries[role] = newValue }
    }

    /// The role's own colour, as written in the theme file.
    public func color(for role: Role) -> Color? { self[role].color }

    /// The colour to draw a cell's character in. `background` cells use the `text` colour and
    /// the status bar's fill uses `status_text`.
    public func foreground(for role: Role) -> Color? {
        switch role {
        case .background: self[.text].color
        case .statusBar: self[.statusText].color
        default: self[role].color
        }
    }

    /// The colour behind a cell: the status bar's colour on the status bar, else the theme's
    /// `background` (nil: the terminal's own background).
    public func background(for role: Role) -> Color? {
        switch role {
        case .statusBar, .statusText: self[.statusBar].color
        default: self[.background].color
        }
    }

    /// The role's attributes in colour mode.
    public func attributes(for role: Role) -> Attributes { self[role].attributes }

    /// Attributes that keep roles apart on a terminal without colours (and in greyscale
    /// screenshots): the current node reversed, errors bold, kinks underlined, hints dim.
    public static func monochromeAttributes(for role: Role) -> Attributes {
        switch role {
        case .current: [.reverse, .bold]
        case .selected, .statusBar, .statusText: .reverse
        case .title, .focusBorder, .header, .output, .key, .error: .bold
        case .kink, .warning, .adjoint: .underline
        case .muted, .done, .constant, .edge, .border, .partial: .dim
        case .background, .text, .value, .tangent, .input, .param, .info: []
        }
    }

    // MARK: - The built-in default

    /// The built-in theme and the schema for theme files. Its text and background are the
    /// terminal's own, so it reads on dark and light terminals; the other colours are
    /// mid-tones from the xterm 256-colour cube.
    public static let `default`: Theme = {
        func c(_ hex: String) -> Color { Color(hex: hex)! }
        return Theme(name: "default", complete: [
            .background: Entry(nil),
            .text: Entry(nil),
            .muted: Entry(c("#8a8a8a")),
            .border: Entry(c("#6c6c6c")),
            .focusBorder: Entry(c("#5fafd7"), .bold),
            .title: Entry(c("#5fafd7"), .bold),
            .header: Entry(c("#8787af"), .bold),
            .value: Entry(c("#5f87d7")),
            .tangent: Entry(c("#5faf5f")),
            .adjoint: Entry(c("#d7875f")),
            .partial: Entry(c("#af8787")),
            .current: Entry(c("#d7af00"), [.reverse, .bold]),
            .done: Entry(c("#87af87")),
            .selected: Entry(c("#5fafd7"), .reverse),
            .input: Entry(c("#87afd7")),
            .param: Entry(c("#af87d7")),
            .constant: Entry(c("#8a8a8a")),
            .output: Entry(c("#d75f87"), .bold),
            .kink: Entry(c("#d7005f"), [.bold, .underline]),
            .edge: Entry(c("#6c6c6c")),
            .error: Entry(c("#d70000"), .bold),
            .warning: Entry(c("#d7af00")),
            .info: Entry(c("#5fafd7")),
            .statusBar: Entry(c("#303030")),
            .statusText: Entry(c("#d0d0d0")),
            .key: Entry(c("#d7af00"), .bold),
        ])
    }()
}

// MARK: - Theme files

/// A problem in a theme file. The line is ignored; the rest of the file still applies.
///
///     dark.theme:7: warning: unknown role 'valu' (did you mean 'value'?)
public struct ThemeWarning: Hashable, Sendable, CustomStringConvertible {
    /// The file's name (not its whole path), as shown in the message.
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): warning: \(message)" }
}

extension Theme {
    /// Reads theme file text over `base`: every role the file sets replaces the base's colour;
    /// everything else stays as in `base`. Bad lines become warnings and are skipped.
    public static func parse(
        _ text: String, name: String, file: String, base: Theme = .default
    ) -> (theme: Theme, warnings: [ThemeWarning]) {
        var theme = base
        theme.name = name
        var warnings: [ThemeWarning] = []
        var seen: [Role: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            func warn(_ message: String) {
                warnings.append(ThemeWarning(file: file, line: number, message: message))
            }
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                warn("expected 'role = \"#RRGGBB\"', found '\(line)'")
                continue
            }
            let key = line[..<equals].trimmingWhitespace()
            let rest = line[line.index(after: equals)...].trimmingWhitespace()
            guard let role = Role(rawValue: key) else {
                let hint = suggestion(for: key).map { " (did you mean '\($0.name)'?)" } ?? ""
                warn(key.isEmpty ? "missing role name before '='" : "unknown role '\(key)'\(hint)")
                continue
            }
            guard rest.hasPrefix("\"") else {
                warn("expected a quoted colour like \"#89b4fa\" for '\(key)'")
                continue
            }
            let afterQuote = rest.dropFirst()
            guard let close = afterQuote.firstIndex(of: "\"") else {
                warn("missing closing quote in the colour for '\(key)'")
                continue
            }
            let value = String(afterQuote[..<close])
            let trailing = afterQuote[afterQuote.index(after: close)...].trimmingWhitespace()
            if !trailing.isEmpty && !trailing.hasPrefix("#") {
                warn("unexpected '\(trailing)' after the colour for '\(key)'")
                continue
            }
            let color: Color?
            if value == "default" {
                color = nil
            } else if let parsed = Color(hex: value) {
                color = parsed
            } else {
                warn("malformed colour '\(value)' for '\(key)' (expected \"#RRGGBB\" or \"default\")")
                continue
            }
            if let earlier = seen[role] {
                warn("'\(key)' is set again (line \(earlier) is overridden)")
            }
            seen[role] = number
            theme[role].color = color
        }
        return (theme, warnings)
    }

    /// The role whose name is closest to a misspelt one, if any is close.
    static func suggestion(for key: String) -> Role? {
        let normal = key.lowercased().filter { $0 != "_" && $0 != "-" }
        if let exact = Role.allCases.first(where: { $0.name.filter { $0 != "_" } == normal }) {
            return exact
        }
        let limit = normal.count >= 4 ? 2 : 1
        let scored = Role.allCases.map { ($0, editDistance(Array(normal), Array($0.name.filter { $0 != "_" }))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        let chars = Array(self)
        guard let first = chars.firstIndex(where: { !$0.isWhitespace }),
              let last = chars.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(chars[first...last])
    }
}
