import Explorer
import Screen
import Testing

@Suite("Keymap")
struct KeymapTests {
    @Test func everyKeyNameParses() {
        for b in Keymap.default.bindings {
            for name in b.keys { #expect(Key(name: name) != nil, "\(name) is not a key name") }
        }
    }

    @Test func paneBindingsWinOverGlobalOnes() {
        let map = Keymap.default
        guard case .pan? = map.action(for: .up, focus: .graph) else { Issue.record("up pans the graph"); return }
        guard case .up? = map.action(for: .up, focus: .trace) else { Issue.record("up moves in the trace"); return }
        guard case .next? = map.action(for: .character(" "), focus: .inspector) else { Issue.record("space steps"); return }
    }

    @Test func noKeyIsBoundTwiceInOnePane() {
        for focus in Focus.allCases {
            var seen: Set<String> = []
            for b in Keymap.default.bindings where b.focus == focus {
                for k in b.keys { #expect(seen.insert(k).inserted, "\(k) bound twice for \(focus)") }
            }
        }
        var global: Set<String> = []
        for b in Keymap.default.bindings where b.focus == nil {
            for k in b.keys { #expect(global.insert(k).inserted, "\(k) bound twice") }
        }
    }

    @Test func markdownTableHasEveryBinding() {
        let table = Keymap.default.markdownTable()
        #expect(table.hasPrefix("| Keys | Action |\n|---|---|\n"))
        for b in Keymap.default.bindings { #expect(table.contains("| \(b.description) |")) }
        #expect(table.contains("| `n` `space` | next step |"))
    }
}
