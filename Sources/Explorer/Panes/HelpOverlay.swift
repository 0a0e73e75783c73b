import Screen

/// `?`: every keymap entry of every mode and every `:` command, generated from the same tables
/// as the footer and the manual: the keys for exploring the graph, the commands, then each
/// other mode's keys under its title. Scrolls (j/k, arrows, space) when the screen is too short.
enum HelpOverlay: Pane {
    static func draw(_ s: ExplorerState, in screen: Rect, canvas: inout Canvas) {
        let list = HelpContent.entries(s.keymap)
        let rect = HelpContent.frame(screen, s.keymap)
        guard rect.width > 4, rect.height > 2 else { return }
        let inner = rect.inset(by: 1).inset(left: 1)
        let first = max(0, min(s.helpScroll, list.count - inner.height))
        let more = list.count > inner.height
        canvas.fill(rect)
        canvas.drawBox(rect, style: Style(.focusBorder),
                       title: "Help" + (more ? " \(first + 1)–\(min(list.count, first + inner.height))/\(list.count), j/k scroll" : "") + ", ? closes")
        let keyWidth = HelpContent.keyWidth(s.keymap)
        for (k, entry) in list.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + k
            let end = canvas.put(entry.keys, x: inner.x, y: y, style: Style(.key), clip: inner)
            let x = max(inner.x + keyWidth + 2, end + 2)
            canvas.put(entry.description, x: x, y: y, style: .text, clip: inner)
        }
    }
}
