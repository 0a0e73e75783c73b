import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Terminal

/// Connects the terminal to the explorer: events in, reducer, effects out, canvas drawn.
/// Every way out (q, :quit, Ctrl-C, SIGTERM, an error) gives the terminal back.
///
/// The loop never blocks on work: it takes every key waiting at once (a paste, a backlog) and
/// answers it with one redraw; loading, laying out and exporting run in the background and
/// come back as actions; a signal is checked between any two actions.
enum ExplorerLoop {
    /// Runs until the user quits; returns the exit status (130 after Ctrl-C, 143 after SIGTERM).
    static func run(graph: Graph, phase: Phase, theme: Theme, quiz: Bool = false) throws -> Int32 {
        let terminal = TerminalScreen()
        try terminal.start()
        defer { terminal.stop() }
        let size = terminal.size
        var state = ExplorerState(graph: graph, phase: phase, size: (size.width, size.height),
                                  glyphs: terminal.glyphs, theme: theme)
        let mailbox = Mailbox()
        let upgrades = LayoutUpgrades()
        let runner = EffectRunner(layouts: upgrades, deliver: mailbox.post)
        for effect in state.start() { _ = runner.perform(effect) }
        if quiz { for effect in state.reduce(.quiz(phase)) { _ = runner.perform(effect) } }
        let clock = ContinuousClock()
        let start = clock.now
        var dirty = true
        loop: while !terminal.interrupted {
            if dirty {
                terminal.draw(state.render(), theme: state.theme)
                dirty = false
            }
            var batch = terminal.pendingEvents().map(Action.input)
            batch += mailbox.drain()
            batch += upgrades.actions(for: state)
            if state.playing {
                let elapsed = clock.now - start
                batch.append(.tick(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            }
            guard !batch.isEmpty else { continue }
            dirty = true
            var effects = state.reduce(batch: batch) { terminal.interrupted }
            while !effects.isEmpty, !terminal.interrupted {
                let effect = effects.removeFirst()
                if effect == .quit { break loop }
                for answer in runner.perform(effect) { effects += state.reduce(answer) }
            }
        }
        terminal.stop()
        return terminal.exitCode ?? 0
    }
}
