import Screen

/// `?`: every keymap entry and every `:` command, generated from the same tables as the
/// footer and the README.
enum HelpOverlay {
    static func lines(_ keymap: Keymap) -> [(keys: String, description: String)] {
        keymap.bindings.map { (Keymap.keyList($0.keys), $0.description) }
            + [("", "")] + Keymap.commands.map { ($0.syntax, $0.description) }
    }

    static func draw(_ s: ExplorerState, in screen: Rect, canvas: inout Canvas) {
        let entries = lines(s.keymap)
        let keyWidth = entries.map(\.keys.displayWidth).max() ?? 0
        let textWidth = entries.map(\.description.displayWidth).max() ?? 0
        let rect = screen.centered(width: keyWidth + textWidth + 5, height: entries.count + 3)
        guard rect.width > 4, rect.height > 2 else { return }
        canvas.fill(rect)
        canvas.drawBox(rect, style: Style(.focusBorder), title: "Help: keys and commands (? or Esc closes)")
        let inner = rect.inset(by: 1).inset(left: 1)
        for (k, entry) in entries.enumerated() where k < inner.height {
            let y = inner.y + k
            canvas.put(entry.keys, x: inner.x, y: y, style: Style(.key), clip: inner)
            canvas.put(entry.description, x: inner.x + keyWidth + 2, y: y, style: .text, clip: inner)
        }
    }
}
