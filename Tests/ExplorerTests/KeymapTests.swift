import Explorer
import Screen
import Testing
import TestSupport

/// The keymap is the one table of keys, mode by mode: these pin what the rest of the explorer
/// relies on (every binding reachable, listed in the help and the footer it claims).
@Suite("Keymap")
struct KeymapTests {
    @Test func everyKeyNameParses() {
        for b in Keymap.default.bindings {
            for name in b.keys { expectTrue(Key(name: name) != nil, "\(name) is not a key name") }
        }
    }

    @Test func paneBindingsWinOverGlobalOnes() {
        let map = Keymap.default
        guard case .pan? = map.action(for: .up, mode: .graph, focus: .graph) else { Issue.record("up pans the graph"); return }
        guard case .up? = map.action(for: .up, mode: .graph, focus: .trace) else { Issue.record("up moves in the trace"); return }
        guard case .next? = map.action(for: .character(" "), mode: .graph, focus: .inspector) else { Issue.record("space steps"); return }
    }

    @Test func aModeFallsBackToTheGraphsKeysAndALineTypesTheRest() {
        let map = Keymap.default
        guard case .optimization(.nextIteration)? = map.action(for: .character("n"), mode: .optimization, focus: .graph),
              case .quit? = map.action(for: .character("q"), mode: .optimization, focus: .graph),
              case .derivatives(.close)? = map.action(for: .escape, mode: .derivatives, focus: .graph),
              case .next? = map.action(for: .character("n"), mode: .derivatives, focus: .graph),
              case .prompt(.insert("q"))? = map.action(for: .character("q"), mode: .prompt, focus: .graph),
              case .help(.close)? = map.action(for: .character("q"), mode: .help, focus: .graph)
        else { Issue.record("a mode's keys"); return }
        if let a = map.action(for: .character("x"), mode: .help, focus: .graph) { Issue.record("the help neither falls back nor types: \(a)") }
    }

    @Test func noKeyIsBoundTwiceInOnePaneOfOneMode() {
        for mode in Mode.allCases {
            for focus in [nil] + Focus.allCases.map(Optional.some) {
                var seen: Set<String> = []
                for b in Keymap.default.bindings(mode) where b.focus == focus {
                    for k in b.keys { expectTrue(seen.insert(k).inserted, "\(k) bound twice in \(mode) for \(String(describing: focus))") }
                }
            }
        }
    }

    /// Every key of every binding does what the binding says in its mode, in some pane: no
    /// binding is dead (shadowed by another, or in a mode no state reaches).
    @Test func everyBindingIsWhatItsKeyDoesInItsMode() {
        for mode in Mode.allCases {
            expectTrue(!Keymap.default.bindings(mode).isEmpty, "\(mode) has keys")
            for b in Keymap.default.bindings(mode) {
                for name in b.keys {
                    let key = Key(name: name)!
                    let panes = b.focus.map { [$0] } ?? Focus.allCases
                    let found = panes.contains { focus in
                        Keymap.default.action(for: key, mode: mode, focus: focus).map { "\($0)" } == "\(b.action)"
                    }
                    expectTrue(found, "\(name) in \(mode) does not do \(b.description)")
                }
            }
        }
    }

    @Test func markdownTableHasEveryBindingUnderItsMode() {
        let table = Keymap.default.markdownTable()
        expectHasPrefix(table, "| Keys | Action |\n|---|---|\n")
        for b in Keymap.default.bindings { expectContains(table, "| \(b.description) |") }
        expectContains(table, "| `n` `space` | next step |")
        for mode in Mode.allCases where mode != .graph { expectContains(table, "\n\(mode.title):\n") }
    }

    /// The status bar's hints in each mode are that mode's footer bindings (or the graph's,
    /// for a mode with none), each with the key that does it; help and quit always show.
    @Test func everyFooterBindingIsInTheStatusBarOfItsMode() throws {
        var s = ExplorerState(graph: baydin(), size: (200, 40))
        func footer() -> String { s.screen.split(separator: "\n").last.map(String.init) ?? "" }
        func expectHints(_ mode: Mode) {
            expectEqual(s.mode, mode)
            let shown = Keymap.default.bindings(mode).contains { $0.footer != nil } ? mode : .graph
            for b in Keymap.default.bindings(shown) {
                guard let word = b.footer else { continue }
                expectContains(footer(), " \(Keymap.label(b.keys[0])) \(word) ", "\(mode): \(b.keys[0]) \(word) in \(footer())")
            }
        }
        expectHints(.graph)
        expectTrue(footer().contains(" n next ") && footer().contains(" ? help ") && footer().contains(" q quit "))
        s.press(":")
        expectHints(.prompt)
        expectTrue(footer().contains(" Enter ok ") && footer().contains(" Esc cancel "))
        // The help overlay covers the status bar when it is taller than the screen; under it
        // the bar keeps the graph's hints.
        s.press("escape", "?")
        expectEqual(s.mode, .help)
        expectEqual(Keymap.default.footerHints(.help).map(\.keys), Keymap.default.footerHints(.graph).map(\.keys))
        s.press("?", "Q")
        expectHints(.answer)
        expectTrue(footer().contains(" Enter check ") && footer().contains(" ? + Enter hint ") && footer().contains(" Esc stop quiz "))
        s.press("escape", "d")
        expectHints(.derivatives)
        s.press("escape", "O")
        expectHints(.optimization)
        // At 40 columns the essential hints still show, the others make room.
        s.press("O", "escape")
        s.reduce(.input(.resize(width: 40, height: 12)))
        expectHasSuffix(footer(), " ? help  q quit ", "\(footer())")
    }
}
