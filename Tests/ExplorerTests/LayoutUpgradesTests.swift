import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing
import TestSupport

@Suite("Background Graphviz layouts reach the explorer")
struct LayoutUpgradesTests {
    static func baydin() throws -> Graph {
        try GraphLoader.load(expression: "input x1 = 2; input x2 = 5; y = ln(x1) + x1*x2 - sin(x2)").get()
    }

    @Test("The explorer opens on the layered layout and swaps in Graphviz's when it arrives")
    func upgrade() async throws {
        var state = ExplorerState(graph: try Self.baydin(), phase: .reverse)
        expectEqual(state.layout.engine, .layered)
        let upgrades = LayoutUpgrades()
        let effects = state.start()
        expectEqual(effects.count, 1, "the layout is asked for as an effect")
        upgrades.run(effects)
        let deadline = Date().addingTimeInterval(300)
        while state.layout.engine == .layered && Date() < deadline {
            for action in upgrades.actions(for: state) { upgrades.run(state.reduce(action)) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        expectEqual(state.layout.engine, .graphviz)
        expectTrue(upgrades.actions(for: state).isEmpty, "nothing more to do once the layout is in")
    }

    @Test("A failed Graphviz run becomes a status message, and the layered layout stays")
    func failure() async throws {
        var state = ExplorerState(graph: try Self.baydin())
        let upgrades = LayoutUpgrades(service: LayoutService(configuration: .init(dotPath: "/nonexistent/dot")))
        upgrades.run(state.start())
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(300)
        while messages.isEmpty && Date() < deadline {
            for action in upgrades.actions(for: state) {
                if case .notify(let m) = action { messages.append(m.text) }
                upgrades.run(state.reduce(action))
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        expectTrue(messages.count == 1 && messages[0].contains("Graphviz"))
        expectEqual(state.layout.engine, .layered)
    }

    /// Layouts start only through the effect the reducer returns: without running it, nothing
    /// arrives however long one waits.
    @Test("No layout starts but through an effect")
    func onlyThroughEffects() async throws {
        var state = ExplorerState(graph: try Self.baydin())
        let upgrades = LayoutUpgrades()
        let effects = state.start()
        guard case .layout(let job)? = effects.first else { Issue.record("no layout effect: \(effects)"); return }
        expectTrue(job.graphviz && !job.layered && job.generation == state.generation)
        try await Task.sleep(nanoseconds: 300_000_000)
        expectTrue(upgrades.actions(for: state).isEmpty)
        expectTrue(state.start().isEmpty, "asked once per structure and box style")
        // z asks for the fit layout's structure: laid out on the spot, no Graphviz for it.
        expectTrue(state.press("z").isEmpty)
        guard case .layout(let again)? = state.press("z").first else { Issue.record("z back: no layout asked"); return }
        expectTrue(again.generation == job.generation && !again.compact)
    }
}
