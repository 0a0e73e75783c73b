import Foundation
import Testing
import TestSupport

/// The explorer's UI rules, read from its source: a pane draws the state and nothing more.
/// Each pane conforms to `Pane`, whose one entry point takes the state (read-only), a
/// rectangle and the canvas, so the compiler holds every pane to that signature; these tests
/// hold the rest: no pane names another pane, and outside `Panes/` only the renderer does.
@Suite("Pane rules")
struct PaneRuleTests {
    static let folder = repositoryRoot.appendingPathComponent("Sources/Explorer")

    static func swiftFiles(_ url: URL) -> [URL] {
        let all = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        return all.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    /// `GraphPane`, `StatusBar`, …: the types declared in `Panes/`.
    static func paneTypes() throws -> [String: String] {
        var types: [String: String] = [:]
        for file in swiftFiles(folder.appendingPathComponent("Panes")) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("enum ") {
                let name = String(line.dropFirst(5).prefix { $0.isLetter })
                types[name] = file.lastPathComponent
            }
        }
        return types
    }

    @Test func everyPaneConformsToPaneWithTheStateOnlySignature() throws {
        let types = try Self.paneTypes()
        expectTrue(types.count >= 8, "\(types)")
        for file in Self.swiftFiles(Self.folder.appendingPathComponent("Panes")) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("enum ") {
                expectHasSuffix(line, ": Pane {", "\(file.lastPathComponent): \(line) is not a Pane")
            }
            // Every `draw` takes the state first and changes nothing of it.
            for line in text.split(separator: "\n") where line.contains("static func draw(") {
                expectTrue(line.contains("(_ s: ExplorerState,") && !line.contains("inout ExplorerState"), "\(file.lastPathComponent): \(line)")
            }
        }
    }

    @Test func noPaneCallsAnotherPane() throws {
        let types = try Self.paneTypes()
        for file in Self.swiftFiles(Self.folder.appendingPathComponent("Panes")) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let own = Set(types.filter { $0.value == file.lastPathComponent }.keys)
                .union(file.lastPathComponent.contains("+") ? [String(file.lastPathComponent.prefix { $0 != "+" })] : [])
            for (name, _) in types where !own.contains(name) {
                expectNotContains(text, name + ".", "\(file.lastPathComponent) calls \(name)")
            }
        }
    }

    @Test func theReducerAndTheStateCallNoPane() throws {
        let types = try Self.paneTypes()
        for file in Self.swiftFiles(Self.folder) where !file.path.contains("/Panes/") && file.lastPathComponent != "Render.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (name, _) in types {
                expectNotContains(text, name + ".", "\(file.lastPathComponent) calls \(name)")
            }
        }
    }
}
