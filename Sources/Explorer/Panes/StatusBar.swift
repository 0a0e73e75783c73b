import Foundation
import GraphCore
import Screen

/// The bottom row: graph name, mode and seed, step k of n, and key hints from the keymap
/// (`? help` and `q quit` always, the others as room allows). The row above it shows the
/// prompt while one is open, else the last message; a message that comes while the prompt is
/// open (the answer to a command) shows in a panel above the prompt.
enum StatusBar: Pane {
    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: Style(.statusBar))
        let step = "step \(s.stepper.position)/\(s.stepper.count)" + (s.playing ? " ▶" : "")
            + (s.quiz.map { " │ quiz \($0.scoreText)" } ?? "")
        let left = s.optimizationStatusText ?? " \(s.graph.name) │ \(s.modeText) │ \(step) "
            .replacingGlyphs(ascii: canvas.glyphs.isASCII)
        let hints = s.keymap.footerHints(s.mode)
        func width(_ h: (keys: String, description: String)) -> Int { h.keys.displayWidth + h.description.displayWidth + 3 }
        let essential = hints.filter(\.essential)
        let reserved = essential.reduce(0) { $0 + width(($1.keys, $1.description)) }
        var x = canvas.put(left.truncated(toWidth: max(0, rect.width - reserved), ellipsis: canvas.glyphs.ellipsis),
                           x: rect.x, y: rect.y, style: Style(.statusText, .bold), clip: rect)
        var room = rect.maxX - reserved
        for hint in hints {
            let needed = width((hint.keys, hint.description))
            if hint.essential {
                room += needed
            } else if x + needed > room {
                continue
            }
            x = canvas.put(" " + hint.keys, x: x, y: rect.y, style: Style(.key), clip: rect)
            x = canvas.put(" " + hint.description + " ", x: x, y: rect.y, style: Style(.statusText), clip: rect)
        }
    }

    static func drawMessage(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        if let p = s.prompt {
            let leader = p.leader(s.tape)
            let text = leader + p.text
            // Keep the cursor in view on long lines.
            let cursorColumn = leader.displayWidth + String(p.text.prefix(p.cursor)).displayWidth
            let shift = max(0, cursorColumn - rect.width + 2)
            canvas.put(String(text.dropFirst(shift)), x: rect.x, y: rect.y, style: .text, clip: rect)
            let cx = rect.x + cursorColumn - shift
            let under = p.cursor < p.text.count ? String(Array(p.text)[p.cursor]) : " "
            canvas.put(under, x: cx, y: rect.y, style: Style(.text, .reverse), clip: rect)
        } else if let m = s.message {
            canvas.put(m.text.truncated(toWidth: rect.width, ellipsis: canvas.glyphs.ellipsis), x: rect.x, y: rect.y,
                       style: Style(m.kind == .error ? .error : .info), clip: rect)
        } else {
            canvas.put("? help · : command · / search", x: rect.x, y: rect.y, style: Style(.muted), clip: rect)
        }
    }

    /// The panel just above the message line: an error's detail (source line and caret), and
    /// while the prompt is open (which takes the message line) the message itself, wrapped, so
    /// a command's answer shows while its text stays on the line to be fixed.
    static func drawDetail(_ s: ExplorerState, above rect: Rect, canvas: inout Canvas) {
        guard let m = s.message, !m.detail.isEmpty || s.prompt != nil, rect.width > 4 else { return }
        let lines = s.prompt == nil ? m.detail : wrap(m.text, width: rect.width - 2) + m.detail
        let height = min(lines.count + 2, rect.y)
        guard height > 2 else { return }
        let box = Rect(x: rect.x, y: rect.y - height, width: rect.width, height: height)
        let role: Role = m.kind == .error ? .error : .info
        canvas.fill(box)
        canvas.drawBox(box, style: Style(role), title: m.kind == .error ? "error" : nil)
        for (k, line) in lines.prefix(height - 2).enumerated() {
            let style = k < lines.count - m.detail.count ? Style(role) : Style(line.contains("^") ? .error : .text)
            canvas.put(line, x: box.x + 1, y: box.y + 1 + k, style: style, clip: box.inset(by: 1))
        }
    }

    /// `text` in lines of at most `width` cells, broken at spaces where it can be.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.displayWidth <= width { current = candidate; continue }
            if !current.isEmpty { lines.append(current) }
            current = word
            while current.displayWidth > width {
                let head = String(current.prefix(width))
                lines.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

extension String {
    /// `│` and `▶` as ASCII when the terminal cannot show them.
    func replacingGlyphs(ascii: Bool) -> String {
        guard ascii else { return self }
        return String(map { $0 == "│" ? "|" : $0 == "▶" ? ">" : $0 })
    }
}
