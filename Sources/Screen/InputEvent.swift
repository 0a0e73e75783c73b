/// A key press, as the explorer's keymap sees it. Keys have stable textual names for keymap
/// tables, the help overlay and the README:
///
///     Key(name: "C-c") == .ctrl("c")
///     Key.character(" ").name == "space"
///
/// `Key(name: key.name) == key` for every key the terminal produces (`ctrl` takes a lowercase
/// letter).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    case enter, escape, backspace, tab, backTab
    case up, down, left, right
    case home, end, pageUp, pageDown
    case insert, delete
    /// Control plus a character: `ctrl("c")` is Ctrl-C (only when the terminal does not turn it
    /// into a signal), `ctrl(" ")` is Ctrl-Space.
    case ctrl(Character)
    /// F1 is `function(1)`.
    case function(Int)

    private static let named: [(String, Key)] = [
        ("enter", .enter), ("escape", .escape), ("backspace", .backspace), ("tab", .tab),
        ("backtab", .backTab), ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("home", .home), ("end", .end), ("pageup", .pageUp), ("pagedown", .pageDown),
        ("insert", .insert), ("delete", .delete), ("space", .character(" ")),
    ]

    /// Other spellings accepted by `init(name:)`.
    private static let aliases: [String: Key] = [
        "return": .enter, "ret": .enter, "esc": .escape, "bs": .backspace, "S-tab": .backTab,
        "pgup": .pageUp, "pgdn": .pageDown, "del": .delete, "ins": .insert,
    ]

    /// `n`, `N`, `space`, `enter`, `C-c`, `F5`, `pageup`, ...
    public var name: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .ctrl(" "): return "C-space"
        case .ctrl(let c): return "C-\(c)"
        case .function(let n): return "F\(n)"
        default: return Self.named.first { $0.1 == self }!.0
        }
    }

    public var description: String { name }

    /// Parses a key name as written by `name`, plus a few aliases (`esc`, `return`, `pgup`,
    /// `S-tab`, `C-C` = `C-c`). Nil for anything else.
    public init?(name: String) {
        if let key = Self.named.first(where: { $0.0 == name })?.1 ?? Self.aliases[name] {
            self = key
        } else if name.hasPrefix("C-"), name.count > 2 {
            let rest = String(name.dropFirst(2))
            if rest == "space" {
                self = .ctrl(" ")
            } else if rest.count == 1, let c = rest.lowercased().first {
                self = .ctrl(c)
            } else {
                return nil
            }
        } else if name.count >= 2, name.first == "F", let n = Int(name.dropFirst()), (1...63).contains(n) {
            self = .function(n)
        } else if name.count == 1, let c = name.first {
            self = .character(c)
        } else {
            return nil
        }
    }
}

/// What a mouse did.
public enum MouseKind: Hashable, Sendable {
    /// A button went down; buttons are 1 (left), 2 (middle), 3 (right).
    case press(button: Int)
    case release(button: Int)
    case scrollUp, scrollDown
    /// Movement (only reported while a button is held, on most terminals).
    case move
}

/// One thing that happened at the terminal. Plain data, so every key sequence can be replayed
/// in tests without a terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    /// Zero-based cell position.
    case mouse(x: Int, y: Int, kind: MouseKind)
    /// The terminal's new size in cells.
    case resize(width: Int, height: Int)
}
