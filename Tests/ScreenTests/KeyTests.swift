import Screen
import Testing

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
        #expect(Key(name: key.name) == key)
    }

    @Test func namesReadAsInAKeymap() {
        #expect(Key.character(" ").name == "space")
        #expect(Key.ctrl("c").name == "C-c")
        #expect(Key.backTab.name == "backtab")
        #expect(Key.function(5).name == "F5")
        #expect(Key.pageDown.name == "pagedown")
    }

    @Test func aliasesAndBadNames() {
        #expect(Key(name: "esc") == .escape)
        #expect(Key(name: "return") == .enter)
        #expect(Key(name: "S-tab") == .backTab)
        #expect(Key(name: "C-C") == .ctrl("c"))
        #expect(Key(name: "pgdn") == .pageDown)
        #expect(Key(name: "F") == .character("F"))
        for bad in ["", "spacebar", "C-", "C-xy", "F0", "F99", "up "] {
            #expect(Key(name: bad) == nil, "\(bad)")
        }
    }
}
