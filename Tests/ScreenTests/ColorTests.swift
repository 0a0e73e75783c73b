import Screen
import Testing
import TestSupport

@Suite("Color")
struct ColorTests {
    @Test func parsesAndPrintsHex() {
        expectEqual(Color(hex: "#89B4FA"), Color(red: 0x89, green: 0xB4, blue: 0xFA))
        expectEqual(Color(hex: "#89b4fa")?.hex, "#89b4fa")
        expectEqual(Color(red: 1, green: 2, blue: 3).hex, "#010203")
        for bad in ["89b4fa", "#89b4f", "#89b4fa0", "#89b4fg", "#+9b4fa", "", "#"] {
            expectTrue(Color(hex: bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        ("#000000", 16), ("#ffffff", 231), ("#ff0000", 196), ("#00ff00", 46), ("#0000ff", 21),
        ("#5f87af", 67), ("#808080", 244), ("#1e1e2e", 235), ("#d7af00", 178), ("#eeeeee", 255),
    ])
    func nearest256(hex: String, index: Int) {
        expectEqual(Color(hex: hex)!.xterm256, index)
    }

    @Test(arguments: [
        ("#000000", 0), ("#333333", 0), ("#cccccc", 7), ("#ffffff", 7), ("#ff0000", 1),
        ("#00ff00", 2), ("#f0e442", 3), ("#89b4fa", 4), ("#cc79a7", 5), ("#56b4e9", 6),
        ("#d55e00", 1),
    ])
    func nearest8(hex: String, index: Int) {
        expectEqual(Color(hex: hex)!.basic8, index)
    }

    @Test func contrast() {
        let black = Color(hex: "#000000")!, white = Color(hex: "#ffffff")!
        expectTrue(abs(black.contrast(with: white) - 21) < 0.01)
        expectTrue(abs(white.contrast(with: white) - 1) < 0.01)
    }
}
