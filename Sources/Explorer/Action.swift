import Foundation
import GraphCore
import GraphExport
import GraphLanguage
import Screen

/// Everything that can happen to the explorer: a key, mouse or resize from the terminal, a
/// command the keymap names, a tick of the clock, or the result of an effect the shell ran.
public enum Action: Sendable {
    // MARK: From the terminal
    case input(InputEvent)
    /// The clock, in seconds (any monotonic origin): advances the sweep while playing.
    case tick(Double)

    // MARK: Named commands (what keymap entries do)
    case next, previous, first, last
    case togglePlay, faster, slower
    case mode(Phase)
    case cycleSeed
    case up, down, left, right
    case pan(dx: Int, dy: Int)
    case selectOperand, selectConsumer, selectNext, selectPrevious
    case focusNext
    case toggleFit, centre
    case edit, openCommand, openSearch
    case toggleHelp
    case quit

    // MARK: Typed commands and effect results
    /// A `:` command line, without the colon.
    case command(String)
    case loaded(Result<Graph, LoadFailure>)
    case themeLoaded(name: String, Result<Theme, ThemeError>)
    case notify(Message)
    /// A better layout for graph `generation` (from a background layout engine).
    case layoutArrived(GraphLayout, generation: Int, compact: Bool)
}

/// Work the reducer asks the shell to do: side effects are values, so every key sequence can
/// be replayed in tests without a terminal, files or Graphviz.
public enum Effect: Sendable, Equatable {
    case quit
    /// Load a `.grad` file and answer with `.loaded`.
    case open(path: String)
    /// Load a theme by name (or path) and answer with `.themeLoaded`.
    case loadTheme(name: String)
    /// Write `dot` to `path` as `format` (rendering through Graphviz unless it is `.dot`) and
    /// answer with `.notify`.
    case export(dot: String, format: ImageFormat, path: String)
}
