import Screen

/// `?`: every keymap entry and every `:` command, generated from the same tables as the
/// footer and the README. Scrolls (j/k, arrows, space) when the screen is too short.
enum HelpOverlay {
    struct Entry {
        var keys: String
        var description: String
    }

    static func entries(_ keymap: Keymap) -> [Entry] {
        keymap.bindings.map { Entry(keys: Keymap.keyList($0.keys), description: $0.description) }
            + [Entry(keys: "", description: "")]
            + Keymap.commands.map { Entry(keys: $0.syntax, description: $0.description) }
    }

    /// The overlay's rectangle on a screen.
    static func frame(_ screen: Rect, _ keymap: Keymap) -> Rect {
        let list = entries(keymap)
        let keyWidth = keymap.bindings.map { Keymap.keyList($0.keys).displayWidth }.max() ?? 0
        let width = list.map { max($0.keys.displayWidth, keyWidth) + 2 + $0.description.displayWidth }.max() ?? 0
        return screen.centered(width: width + 4, height: list.count + 2)
    }

    /// How many lines the overlay can show at once.
    static func visibleLines(_ s: ExplorerState) -> Int {
        max(0, frame(Rect(width: s.size.width, height: s.size.height), s.keymap).height - 2)
    }

    static func draw(_ s: ExplorerState, in screen: Rect, canvas: inout Canvas) {
        let list = entries(s.keymap)
        let rect = frame(screen, s.keymap)
        guard rect.width > 4, rect.height > 2 else { return }
        let inner = rect.inset(by: 1).inset(left: 1)
        let first = max(0, min(s.helpScroll, list.count - inner.height))
        let more = list.count > inner.height
        canvas.fill(rect)
        canvas.drawBox(rect, style: Style(.focusBorder),
                       title: "Help" + (more ? " \(first + 1)–\(min(list.count, first + inner.height))/\(list.count), j/k scroll" : "") + ", ? closes")
        let keyWidth = s.keymap.bindings.map { Keymap.keyList($0.keys).displayWidth }.max() ?? 0
        for (k, entry) in list.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + k
            let end = canvas.put(entry.keys, x: inner.x, y: y, style: Style(.key), clip: inner)
            let x = max(inner.x + keyWidth + 2, end + 2)
            canvas.put(entry.description, x: x, y: y, style: .text, clip: inner)
        }
    }
}
