import Screen

/// What the `?` overlay lists, and the rectangle it takes: every binding of every mode and
/// every `:` command, from the keymap (the overlay draws it; the reducer scrolls within it).
enum HelpContent {
    struct Entry {
        var keys: String
        var description: String
    }

    static func entries(_ keymap: Keymap) -> [Entry] {
        func listed(_ mode: Mode) -> [Entry] {
            keymap.bindings(mode).map { Entry(keys: Keymap.keyList($0.keys), description: $0.description) }
        }
        var list = listed(.graph) + [Entry(keys: "", description: "")]
            + Keymap.commands.map { Entry(keys: $0.syntax, description: $0.description) }
        for mode in Mode.allCases where mode != .graph {
            list += [Entry(keys: "", description: ""), Entry(keys: mode.title + ":", description: "")] + listed(mode)
        }
        return list
    }

    /// The key column's width: the exploring keys' (a longer key list pushes its text right).
    static func keyWidth(_ keymap: Keymap) -> Int {
        keymap.bindings(.graph).map { Keymap.keyList($0.keys).displayWidth }.max() ?? 0
    }

    /// The overlay's rectangle on a screen.
    static func frame(_ screen: Rect, _ keymap: Keymap) -> Rect {
        let list = entries(keymap)
        let keyWidth = keyWidth(keymap)
        let width = list.map { max($0.keys.displayWidth, keyWidth) + 2 + $0.description.displayWidth }.max() ?? 0
        return screen.centered(width: width + 4, height: list.count + 2)
    }

    /// How many lines the overlay can show at once on a screen of `size`.
    static func visibleLines(_ size: (width: Int, height: Int), _ keymap: Keymap) -> Int {
        max(0, frame(Rect(width: size.width, height: size.height), keymap).height - 2)
    }
}
