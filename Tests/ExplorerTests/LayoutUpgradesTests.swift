import Explorer
import Foundation
import GraphCore
import GraphLanguage
import Testing

@Suite("Background Graphviz layouts reach the explorer")
struct LayoutUpgradesTests {
    static func baydin() throws -> Graph {
        try GraphLoader.load(expression: "input x1 = 2; input x2 = 5; y = ln(x1) + x1*x2 - sin(x2)").get()
    }

    @Test("The explorer opens on the layered layout and swaps in Graphviz's when it arrives")
    func upgrade() async throws {
        var state = ExplorerState(graph: try Self.baydin(), phase: .reverse)
        #expect(state.layout.engine == .layered)
        let upgrades = LayoutUpgrades()
        let deadline = Date().addingTimeInterval(300)
        while state.layout.engine == .layered && Date() < deadline {
            for action in upgrades.actions(for: state) { _ = state.reduce(action) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(state.layout.engine == .graphviz)
        #expect(upgrades.actions(for: state).isEmpty, "nothing more to do once the layout is in")
    }

    @Test("A failed Graphviz run becomes a status message, and the layered layout stays")
    func failure() async throws {
        var state = ExplorerState(graph: try Self.baydin())
        let upgrades = LayoutUpgrades(service: LayoutService(configuration: .init(dotPath: "/nonexistent/dot")))
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(300)
        while messages.isEmpty && Date() < deadline {
            for action in upgrades.actions(for: state) {
                if case .notify(let m) = action { messages.append(m.text) }
                _ = state.reduce(action)
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(messages.count == 1 && messages[0].contains("Graphviz"))
        #expect(state.layout.engine == .layered)
    }
}
