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
    /// The last search's next match.
    case searchNext
    case toggleHelp
    /// Escape over the panes: stop a load on its way, else clear the message line.
    case dismiss
    case quit
    /// The help overlay's keys.
    case help(HelpAction)
    /// Editing the line being typed (`:`, `/`, `e`, a quiz answer).
    case prompt(PromptAction)
    /// Quiz mode on in this phase (the current one when nil), or off.
    case quiz(Phase?)
    /// Optimisation mode: start / leave it, open an iteration into its reverse sweep.
    case optimization(OptimizationAction)
    /// The derivatives view: open / close it, or go to one of its pages.
    case derivatives(DerivativesAction)
    /// Forward mode written in dual numbers a + bε in the trace pane, or as value and tangent.
    case toggleDual
    /// The neuron-level view (scalar) or the tensor view; nil switches to the other one.
    case granularity(Granularity?)
    /// The neuron-level view of the selected node alone (the rest folded as tensors), or in
    /// the neuron view, open or fold the selected node's neurons.
    case neuronsOfSelection
    /// Open or fold the group of the selection; open every group, or fold them all.
    case toggleGroup, toggleAllGroups

    // MARK: Typed commands and effect results
    /// A `:` command line, without the colon.
    case command(String)
    /// The graph that load `request` (a number from the `.open` or `.expression` effect) read;
    /// ignored when a later load was asked for meanwhile, or the load was cancelled.
    case loaded(Result<Graph, LoadFailure>, request: Int)
    case themeLoaded(name: String, Result<Theme, ThemeError>)
    case notify(Message)
    /// A better layout for graph `generation` (from a background layout engine).
    case layoutArrived(GraphLayout, generation: Int, compact: Bool)
}

/// What the help overlay's keys do.
public enum HelpAction: Sendable, Equatable {
    case close
    /// Down (positive) or up by lines.
    case scroll(Int)
    /// Down (positive) or up by screenfuls.
    case page(Int)
    case top
}

/// What the keys of a line being typed do.
public enum PromptAction: Sendable, Equatable {
    /// Run the command, search, set the value or check the answer.
    case submit
    /// Close the line (in a quiz: stop it).
    case cancel
    /// Type text at the cursor.
    case insert(String)
    case deleteBackward, deleteForward
    /// Move the cursor left (negative) or right.
    case cursor(Int)
    case home, end, clear
    /// The command line's history: back (negative) or forward.
    case history(Int)
}

/// Work the reducer asks the shell to do: side effects are values, so every key sequence can
/// be replayed in tests without a terminal, files or Graphviz.
public enum Effect: Sendable, Equatable {
    case quit
    /// Load a `.grad` file, off the input path, and answer with `.loaded(_, request:)`.
    case open(path: String, request: Int)
    /// Load a typed expression (`sin(x)*y @ x=1, y=2`, what follows `:expr`), off the input
    /// path, and answer with `.loaded(_, request:)`.
    case expression(String, request: Int)
    /// Load a theme by name (or path) and answer with `.themeLoaded`.
    case loadTheme(name: String)
    /// Write a picture through `BatchExport` (its overwrite guard, manifest and atomic write)
    /// and answer with `.notify`.
    case export(ExportRequest)
    /// Lay out the graph on screen in the background (`LayoutUpgrades`) and answer with
    /// `.layoutArrived`, and `.notify` for progress or a Graphviz failure.
    case layout(LayoutJob)
}

/// A layout the explorer needs computed in the background: gradstep's layered one for a graph
/// too big to lay out on the spot, and Graphviz's order for one small enough (the runner's
/// Graphviz node limit decides), for graph structure `generation` in one box style.
public struct LayoutJob: Sendable, Equatable {
    public var generation: Int
    public var compact: Bool
    /// The layered layout is wanted (the pane shows "laying out…" until it comes).
    public var layered: Bool
    /// Graphviz's order would replace the layered layout (not for the `z` fit layout, chosen
    /// for the pane's size, nor while a group is folded).
    public var graphviz: Bool
    public var tape: Tape
    public var folding: GroupFolding

    /// Jobs for the same structure, box style and engines are equal (the tape is the
    /// generation's: it is not compared entry by entry).
    public static func == (a: LayoutJob, b: LayoutJob) -> Bool {
        (a.generation, a.compact, a.layered, a.graphviz) == (b.generation, b.compact, b.layered, b.graphviz)
    }
}

/// What `:export` writes: the graph on screen in its mode, at its input values and seeds, as
/// one file `file` (an absolute path ending in `.format`).
public struct ExportRequest: Sendable, Equatable {
    public var file: String
    public var format: ImageFormat
    /// Overwrite a file gradstep did not write (`:export!`).
    public var force: Bool
    public var name: String
    public var tape: Tape
    public var phase: Phase
    public var values: [Double]
    public var seedLeaf: Int
    /// The element of `seedLeaf` forward mode seeds (`:mode forward W[2,0]`); nil: all of it.
    public var seedElement: Int? = nil
    /// The direction forward mode seeds `seedLeaf` along (`:mode forward x=[1, -2]`); nil: none.
    public var seedDirection: [Double]? = nil
    public var outputSeed: Double
    /// A tensor seed (`:seed [0, 1, 0]`), drawn as `export --seed-adjoint` draws it; nil for a number.
    public var outputSeedTensor: [Double]? = nil
    /// The groups folded on screen are folded in the picture too.
    public var folding: GroupFolding?
    /// The step on screen (`:export step`), drawn as the sweep stands there; nil for the
    /// whole sweep.
    public var step: Int?

    /// Requests for the same file, format, force, graph name, mode, values, seeds and folding are equal
    /// (the tape is the graph's: it is not compared entry by entry).
    public static func == (a: ExportRequest, b: ExportRequest) -> Bool {
        (a.file, a.format, a.force, a.name) == (b.file, b.format, b.force, b.name)
            && (a.phase, a.seedLeaf, a.outputSeed) == (b.phase, b.seedLeaf, b.outputSeed)
            && a.seedElement == b.seedElement && a.seedDirection == b.seedDirection && a.outputSeedTensor == b.outputSeedTensor && a.values == b.values && a.tape.count == b.tape.count && a.folding == b.folding && a.step == b.step
    }
}
