import ArgumentParser
import Foundation
import GraphCore
import GraphLanguage
import Screen

/// The default command: the explorer on a graph. On a terminal it opens the full-screen
/// explorer; when standard input or output is not a terminal (a pipe, CI) it prints the
/// graph's three traces instead, so scripts keep working.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer on FILE, -e EXPR, or the built-in example.",
        discussion: """
            Keys: n/space next step, p previous, g/G first/last, f forward, r reverse, \
            v primal, e edit an input, Q quiz, : command line, / search, ? help, q quit.

            Through a pipe (stdin or stdout not a terminal) it prints the three traces.
            """
    )

    @OptionGroup var graph: GraphOptions
    @OptionGroup var choice: OutputChoice

    @Option(help: ArgumentHelp("Colour theme: default, dark, light, print, colorblind, colorblind-light (built in; --list-themes), or a Themes/ file.", valueName: "name"))
    var theme: String = "default"

    @Option(help: "The mode the explorer starts in: primal, forward or reverse (default primal; with --quiz reverse, as `gradstep quiz`).")
    var mode: Phase?

    @Flag(help: "Start in quiz mode: the next value of --mode's sweep is hidden and typed in (Q in the explorer).")
    var quiz = false

    @Flag(help: "List the colour themes (--theme, :theme, export --theme) and where each comes from, then exit.")
    var listThemes = false

    /// `--mode`, else reverse for a quiz (as `gradstep quiz` starts) and primal otherwise.
    var startingPhase: Phase { mode ?? (quiz ? .reverse : .primal) }

    func run() throws {
        if listThemes {
            for (name, source) in ThemeLoader().listing() { print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(source)") }
            return
        }
        // `gradstep nosuchcmd` lands here with a file name that is really a mistyped command.
        if let file = graph.file, !file.contains("/"), !file.hasSuffix(".grad"),
           !FileManager.default.fileExists(atPath: file) {
            throw Failure(text: noSuchCommandOrFile(file), status: 2)
        }
        let g = try graph.load(of: choice.of)
        guard isatty(0) == 1, isatty(1) == 1 else {
            let values = g.tape.evaluate()
            for phase in Phase.allCases {
                print(GraphCore.Trace(tape: g.tape, values: values, phase: phase).render(.text))
            }
            return
        }
        let loaded: Theme
        do {
            let result = try ThemeLoader().load(named: theme)
            for warning in result.warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            loaded = result.theme
        } catch {
            throw Failure(text: errorText(error), status: 2)
        }
        let status: Int32
        do {
            status = try ExplorerLoop.run(graph: g, phase: startingPhase, theme: loaded, quiz: quiz)
        } catch {
            throw Failure(text: "\(error)\n")
        }
        if status != 0 { Foundation.exit(status) }
    }
}
