import CNcurses
import Screen
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of the last SIGINT/SIGTERM/SIGHUP/SIGQUIT received, 0 for none. Set by the signal
/// handler (an atomic store is async-signal-safe) and polled by the input loop.
private let receivedSignal = Atomic<Int32>(0)

public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    case notATerminal
    case cannotOpen(term: String)

    public var description: String {
        switch self {
        case .notATerminal: "error: standard input and output must be a terminal"
        case .cannotOpen(let term): "error: cannot open the terminal (TERM=\(term))"
        }
    }
}

/// The ncurses backend: the only code that talks to the terminal. It shows `Canvas`es and turns
/// keys, mouse clicks and resizes into `InputEvent`s.
///
///     let terminal = TerminalScreen()
///     try terminal.start()
///     defer { terminal.stop() }
///     while !terminal.interrupted {
///         terminal.draw(render(state, size: terminal.size), theme: theme)
///         if let event = terminal.nextEvent() { ... }       // nil every 100 ms
///     }
///     terminal.stop()
///     if let code = terminal.exitCode { exit(code) }        // 130 after Ctrl-C
///
/// Always call `stop()` (from a `defer`): it restores the terminal and is safe to call twice.
public final class TerminalScreen {
    /// How roles become colours on this terminal.
    public enum ColorMode: Hashable, Sendable {
        /// Each theme colour is replaced by its nearest xterm 256-colour index.
        case palette256
        /// The 8 basic colours; greys become the terminal's own colours plus attributes.
        case basic8
        /// No colour: roles are told apart by bold, reverse, underline and dim only.
        case monochrome
    }

    /// Whether the locale's character set is UTF-8. If not, wide characters vanish on screen:
    /// draw with `Glyphs.ascii` (see `glyphs`).
    public let isUTF8: Bool
    public private(set) var isRunning = false
    public private(set) var colorMode: ColorMode = .monochrome

    private var screen: OpaquePointer?
    private var savedHandlers: [(Int32, sighandler_t?)] = []
    private var shown: Canvas?
    private var shownTheme: Theme?
    /// SIGQUIT (Ctrl-\\) too: left to its default, the Swift runtime answers it with a crash
    /// report over the screen and the terminal stays raw.
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Sets the locale from the environment (`setlocale(LC_ALL, "")`) and detects UTF-8.
    public init() {
        isUTF8 = Self.localeIsUTF8()
    }

    deinit { stop() }

    /// Sets the process locale from the environment and tells whether its codeset is UTF-8.
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// The glyphs to draw with: box drawing on UTF-8 terminals, ASCII otherwise.
    public var glyphs: Glyphs { isUTF8 ? .unicode : .ascii }

    /// An empty canvas the size of the screen, with the right glyphs.
    public func makeCanvas() -> Canvas {
        let (width, height) = size
        return Canvas(width: width, height: height, glyphs: glyphs)
    }

    // MARK: - Start and stop

    /// Takes over the terminal: alternate screen, no echo, keys one at a time, hidden cursor,
    /// mouse reporting, colours. `colors` forces a mode; by default it is 256 colours when the
    /// terminal has them, else 8, and monochrome when it has none or `NO_COLOR` is set.
    ///
    /// SIGINT, SIGTERM, SIGHUP and SIGQUIT only set a flag (`interrupted`), so the loop can
    /// stop and restore the terminal itself.
    public func start(colors: ColorMode? = nil) throws {
        guard !isRunning else { return }
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        receivedSignal.store(0, ordering: .relaxed)
        // Installed before ncurses starts, so ncurses keeps ours instead of exiting on its own.
        savedHandlers = Self.signals.map { signalNumber in
            (signalNumber, signal(signalNumber) { receivedSignal.store($0, ordering: .relaxed) })
        }
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            restoreSignalHandlers()
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            throw TerminalError.cannotOpen(term: term)
        }
        self.screen = screen
        isRunning = true
        let window = cnc_stdscr()
        cbreak()
        noecho()
        keepInputOnInterrupt()
        keypad(window, true)
        wtimeout(window, 100)
        curs_set(0)
        set_escdelay(25)
        mousemask(cnc_all_mouse_events() | cnc_report_mouse_position(), nil)
        mouseinterval(0)
        colorMode = colors ?? Self.detectColorMode()
        if colorMode != .monochrome {
            start_color()
            use_default_colors()
        }
        shown = nil
        shownTheme = nil
    }

    /// Sets NOFLSH: Ctrl-C still raises SIGINT, but no longer throws away the keys waiting to
    /// be read. Without it, a Ctrl-C that lands while the loop takes in a backlog (between
    /// ncurses seeing a key waiting and reading it) empties the queue under the read, which
    /// then waits for a key that never comes, and the interrupt is never seen. ncurses gives
    /// the terminal's own modes back at `endwin()`.
    private func keepInputOnInterrupt() {
        var modes = termios()
        guard tcgetattr(0, &modes) == 0 else { return }
        modes.c_lflag |= tcflag_t(NOFLSH)
        guard tcsetattr(0, TCSANOW, &modes) == 0 else { return }
        def_prog_mode()
    }

    private static func detectColorMode() -> ColorMode {
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return .monochrome }
        guard has_colors() else { return .monochrome }
        start_color()
        if cnc_colors() >= 256 { return .palette256 }
        return cnc_colors() >= 8 ? .basic8 : .monochrome
    }

    /// Gives the terminal back: shows the cursor, leaves the alternate screen, restores the tty
    /// modes and the previous signal handlers. Safe to call more than once.
    public func stop() {
        guard isRunning else { return }
        isRunning = false
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        restoreSignalHandlers()
    }

    private func restoreSignalHandlers() {
        for (signalNumber, handler) in savedHandlers { signal(signalNumber, handler) }
        savedHandlers = []
    }

    // MARK: - Signals

    /// The signal that asked the program to stop (SIGINT, SIGTERM, SIGHUP or SIGQUIT), if any.
    public var caughtSignal: Int32? {
        let value = receivedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// True once SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived: the loop should stop.
    public var interrupted: Bool { caughtSignal != nil }

    /// The shell's exit code for the signal received: 130 for SIGINT, 143 for SIGTERM,
    /// 129 for SIGHUP, 131 for SIGQUIT; nil if none arrived.
    public var exitCode: Int32? { caughtSignal.map { 128 + $0 } }

    // MARK: - Size and drawing

    /// Columns and rows; (0, 0) before `start()`.
    public var size: (width: Int, height: Int) {
        guard isRunning else { return (0, 0) }
        var rows: Int32 = 0, columns: Int32 = 0
        cnc_getmaxyx(cnc_stdscr(), &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Shows a canvas. Only cells that changed since the last frame are sent to ncurses (which
    /// in turn sends only what changed on screen); a new theme, size or colour mode redraws all.
    public func draw(_ canvas: Canvas, theme: Theme) {
        guard isRunning else { return }
        let window = cnc_stdscr()
        if theme != shownTheme { setUpColorPairs(theme) }
        let previous = (shown?.width == canvas.width && shown?.height == canvas.height && shownTheme == theme)
            ? shown : nil
        if previous == nil { werase(window) }
        let (width, height) = size
        for y in 0..<min(canvas.height, height) {
            for x in 0..<min(canvas.width, width) {
                guard let cell = canvas[x, y], !cell.isWideTail else { continue }
                if let previous, previous[x, y] == cell { continue }
                put(cell, x: x, y: y, in: window, theme: theme)
            }
        }
        wrefresh(window)
        shown = canvas
        shownTheme = theme
    }

    private func put(_ cell: Cell, x: Int, y: Int, in window: UnsafeMutablePointer<WINDOW>?, theme: Theme) {
        var character = cell.character
        if !isUTF8 { character = character.asciiFallback }
        var wide = character.unicodeScalars.prefix(5).map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        var cc = cchar_t()
        let role = cell.style.role
        setcchar(&cc, wide, attributes(for: cell.style, theme: theme), colorMode == .monochrome ? 0 : pair(for: role), nil)
        mvwadd_wch(window, Int32(y), Int32(x), &cc)
    }

    // MARK: - Roles to colours

    private func pair(for role: Role) -> Int16 {
        guard let index = Role.allCases.firstIndex(of: role), index + 1 < Int(cnc_color_pairs()) else { return 0 }
        return Int16(index + 1)
    }

    private func setUpColorPairs(_ theme: Theme) {
        guard colorMode != .monochrome else { return }
        for role in Role.allCases {
            let pairNumber = pair(for: role)
            guard pairNumber > 0 else { continue }
            let (foreground, background) = colorNumbers(for: role, theme: theme)
            init_pair(pairNumber, foreground, background)
        }
    }

    /// Terminal colour numbers; −1 is the terminal's own colour.
    private func colorNumbers(for role: Role, theme: Theme) -> (Int16, Int16) {
        switch colorMode {
        case .palette256:
            return (Int16(theme.foreground(for: role)?.xterm256 ?? -1),
                    Int16(theme.background(for: role)?.xterm256 ?? -1))
        case .basic8:
            // Greys would come out black or white, possibly the terminal's own background:
            // use the terminal's colours and attributes for them instead.
            guard let color = theme.foreground(for: role), !isGrey(color) else { return (-1, -1) }
            return (Int16(color.basic8), -1)
        case .monochrome:
            return (-1, -1)
        }
    }

    private func isGrey(_ color: Color) -> Bool { color.basic8 == 0 || color.basic8 == 7 }

    private func attributes(for style: Style, theme: Theme) -> attr_t {
        var attributes = style.attributes
        switch colorMode {
        case .palette256:
            attributes.formUnion(theme.attributes(for: style.role))
        case .basic8:
            attributes.formUnion(theme.attributes(for: style.role))
            let greyOrDefault = theme.foreground(for: style.role).map(isGrey) ?? true
            if greyOrDefault || style.role == .statusBar || style.role == .statusText {
                attributes.formUnion(Theme.monochromeAttributes(for: style.role))
            }
        case .monochrome:
            attributes.formUnion(Theme.monochromeAttributes(for: style.role))
        }
        var result = cnc_a_normal()
        if attributes.contains(.bold) { result |= cnc_a_bold() }
        if attributes.contains(.reverse) { result |= cnc_a_reverse() }
        if attributes.contains(.dim) { result |= cnc_a_dim() }
        if attributes.contains(.underline) { result |= cnc_a_underline() }
        return result
    }
}
