import Foundation
import GraphCore
import Screen

/// The bottom row: graph name, mode and seed, step k of n, and key hints from the keymap.
/// The row above it shows the prompt while one is open, else the last message.
enum StatusBar {
    static func modeText(_ s: ExplorerState) -> String {
        let tape = s.tape
        switch s.phase {
        case .primal: return "primal"
        case .forward:
            return "forward, seed \(s.tangentSeed.description(tape))"
        case .reverse:
            let out = tape.output
            let name = tape.names[out].map { Explanation.decorated($0, "\u{0304}") } ?? tape.adjointLabel(out)
            return "reverse, seed \(name) = \(Format.short(s.outputSeed))"
        }
    }

    static func draw(_ s: ExplorerState, in rect: Rect, canvas: inout Canvas) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: Style(.statusBar))
        let step = "step \(s.stepper.position)/\(s.stepper.count)" + (s.playing ? " ▶" : "")
        let left = " \(s.graph.name) │ \(modeText(s)) │ \(step) "
            .replacingGlyphs(ascii: canvas.glyphs.isASCII)
        var x = canvas.put(left.truncated(toWidth: rect.width, ellipsis: canvas.glyphs.ellipsis),
                           x: rect.x, y: rect.y, style: Style(.statusText, .bold), clip: rect)
        for hint in s.keymap.footerHints {
            let needed = hint.keys.displayWidth + hint.description.displayWidth + 3
            guard x + needed <= rect.maxX else { break }
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

    /// The panel with an error's detail (source line and caret), just above the message line.
    static func drawDetail(_ s: ExplorerState, above rect: Rect, canvas: inout Canvas) {
        guard let m = s.message, !m.detail.isEmpty, rect.width > 4 else { return }
        let lines = s.prompt == nil ? m.detail : [m.text] + m.detail
        let height = min(lines.count + 2, rect.y)
        let box = Rect(x: rect.x, y: rect.y - height, width: rect.width, height: height)
        canvas.fill(box)
        canvas.drawBox(box, style: Style(.error), title: "error")
        for (k, line) in lines.prefix(height - 2).enumerated() {
            canvas.put(line, x: box.x + 1, y: box.y + 1 + k, style: Style(line.contains("^") ? .error : .text), clip: box.inset(by: 1))
        }
    }
}

extension String {
    /// `│` and `▶` as ASCII when the terminal cannot show them.
    func replacingGlyphs(ascii: Bool) -> String {
        guard ascii else { return self }
        return String(map { $0 == "│" ? "|" : $0 == "▶" ? ">" : $0 })
    }
}
