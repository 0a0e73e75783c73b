import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Screen
import Terminal

/// Connects the terminal to the explorer: events in, reducer, effects out, canvas drawn.
/// Every way out (q, :quit, Ctrl-C, SIGTERM, an error) gives the terminal back.
enum ExplorerLoop {
    /// Runs until the user quits; returns the exit status (130 after Ctrl-C, 143 after SIGTERM).
    static func run(graph: Graph, phase: Phase, theme: Theme) throws -> Int32 {
        let terminal = TerminalScreen()
        try terminal.start()
        defer { terminal.stop() }
        let size = terminal.size
        var state = ExplorerState(graph: graph, phase: phase, size: (size.width, size.height),
                                  glyphs: terminal.glyphs, theme: theme)
        let mailbox = Mailbox()
        let runner = EffectRunner(deliver: mailbox.post)
        let upgrades = LayoutUpgrades()
        let clock = ContinuousClock()
        let start = clock.now
        var queue: [Action] = []
        var dirty = true
        loop: while !terminal.interrupted {
            if dirty {
                terminal.draw(state.render(), theme: state.theme)
                dirty = false
            }
            if let event = terminal.nextEvent() { queue.append(.input(event)) }
            queue += mailbox.drain()
            queue += upgrades.actions(for: state)
            if state.playing {
                let elapsed = clock.now - start
                queue.append(.tick(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            }
            while !queue.isEmpty {
                let action = queue.removeFirst()
                dirty = true
                for effect in state.reduce(action) {
                    if effect == .quit { break loop }
                    queue += runner.perform(effect)
                }
            }
        }
        terminal.stop()
        return terminal.exitCode ?? 0
    }
}
