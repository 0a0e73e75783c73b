import Screen
import Testing
import TestSupport

@Suite("Key names")
struct KeyTests {
    static let keys: [Key] = [
        .character("n"), .character("N"), .character(" "), .character("?"), .character("-"),
        .character("é"), .enter, .escape, .backspace, .tab, .backTab, .up, .down, .left, .right,
        .home, .end, .pageUp, .pageDown, .insert, .delete, .ctrl("c"), .ctrl(" "),
        .function(1), .function(12),
    ]

    @Test(arguments: keys)
    func namesRoundTrip(key: Key) {
        expectEqual(Key(name: key.name), key)
    }

    @Test func namesReadAsInAKeymap() {
        expectEqual(Key.character(" ").name, "space")
        expectEqual(Key.ctrl("c").name, "C-c")
        expectEqual(Key.backTab.name, "backtab")
        expectEqual(Key.function(5).name, "F5")
        expectEqual(Key.pageDown.name, "pagedown")
    }

    @Test func aliasesAndBadNames() {
        expectEqual(Key(name: "esc"), .escape)
        expectEqual(Key(name: "return"), .enter)
        expectEqual(Key(name: "S-tab"), .backTab)
        expectEqual(Key(name: "C-C"), .ctrl("c"))
        expectEqual(Key(name: "pgdn"), .pageDown)
        expectEqual(Key(name: "F"), .character("F"))
        for bad in ["", "spacebar", "C-", "C-xy", "F0", "F99", "up "] {
            expectTrue(Key(name: bad) == nil, "\(bad)")
        }
    }
}
