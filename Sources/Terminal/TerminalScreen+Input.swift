import CNcurses
import Screen

extension TerminalScreen {
    /// The next key, mouse event or resize; nil when nothing arrived within 100 ms (so the
    /// caller can check `interrupted` and background work) or for keys gradstep does not know.
    public func nextEvent() -> InputEvent? {
        guard isRunning else { return nil }
        var code: wint_t = 0
        let kind = wget_wch(cnc_stdscr(), &code)
        if kind == cnc_err() { return nil }
        if kind == KEY_CODE_YES { return functionKeyEvent(Int32(bitPattern: code)) }
        return Self.characterKey(code).map(InputEvent.key)
    }

    /// Every event waiting, oldest first, up to `limit`: waits up to 100 ms for the first (an
    /// empty list when none came), then takes the rest without waiting. A paste or a backlog of
    /// keys comes back as one list, so the caller can answer it with one redraw. Stops early
    /// when a signal arrives.
    public func pendingEvents(limit: Int = 4096) -> [InputEvent] {
        guard isRunning else { return [] }
        var events: [InputEvent] = []
        var waited = false
        let window = cnc_stdscr()
        defer { if waited { wtimeout(window, 100) } }
        while events.count < limit, !interrupted {
            var code: wint_t = 0
            let kind = wget_wch(window, &code)
            if kind == cnc_err() {
                // Nothing (more) waiting. The first read waited 100 ms; later ones do not.
                if events.isEmpty && !waited { return [] }
                break
            }
            if !waited {
                waited = true
                wtimeout(window, 0)
            }
            let event = kind == KEY_CODE_YES ? functionKeyEvent(Int32(bitPattern: code)) : Self.characterKey(code).map(InputEvent.key)
            if let event { events.append(event) }
        }
        return events
    }

    /// A character from `get_wch`: control codes become named keys.
    static func characterKey(_ code: wint_t) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        case 28...31: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 64)))
        default: return Unicode.Scalar(code).map { Key.character(Character($0)) }
        }
    }

    private func functionKeyEvent(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_MOUSE: return mouseEvent()
        case KEY_RESIZE:
            let (width, height) = size
            return .resize(width: width, height: height)
        default: return Self.functionKey(code).map(InputEvent.key)
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case cnc_key_f(1)...cnc_key_f(63): return .function(Int(code - cnc_key_f(0)))
        default: return nil
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == cnc_ok() else { return nil }
        let state = event.bstate
        let kind: MouseKind
        if state & cnc_button_pressed(4) != 0 {
            kind = .scrollUp
        } else if state & cnc_button_pressed(5) != 0 {
            kind = .scrollDown
        } else if let button = (1...3).first(where: { state & (cnc_button_pressed(Int32($0)) | cnc_button_clicked(Int32($0))) != 0 }) {
            kind = .press(button: button)
        } else if let button = (1...3).first(where: { state & cnc_button_released(Int32($0)) != 0 }) {
            kind = .release(button: button)
        } else if state & cnc_report_mouse_position() != 0 {
            kind = .move
        } else {
            return nil
        }
        return .mouse(x: Int(event.x), y: Int(event.y), kind: kind)
    }
}
