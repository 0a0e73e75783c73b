// How many terminal cells a character takes. Terminals follow wcwidth(3): most characters take
// one cell, East Asian wide characters and emoji take two, combining marks take none (they sit
// on the character before them: v̄ is "v" + U+0304). We compute it here rather than calling the C
// library, whose answer depends on the process locale.

extension Unicode.Scalar {
    /// 0, 1 or 2 cells. Control characters count as 1 (the canvas draws them as a space).
    public var displayWidth: Int {
        let v = value
        if v < 0x7F { return 1 }
        if v < 0xA0 { return 1 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }    // Hangul medial vowels, final consonants
        if properties.isEmojiPresentation { return 2 }
        return Self.isWide(v) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth blocks (Markus Kuhn's wcwidth, updated for newer blocks).
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension Character {
    /// Cells this character (a grapheme cluster) takes: 0 for a lone combining mark, 2 for wide
    /// characters and emoji, else 1. `"v̄"` is 1.
    public var displayWidth: Int {
        let scalars = unicodeScalars
        guard let first = scalars.first(where: { $0.displayWidth > 0 }) else { return 0 }
        // A text-default symbol followed by VS16 (U+FE0F) is shown as a wide emoji.
        if first.properties.isEmoji, scalars.contains("\u{FE0F}") { return 2 }
        return first.displayWidth
    }
}

extension StringProtocol {
    /// Cells this string takes in a terminal.
    public var displayWidth: Int {
        // Plain ASCII takes a cell a byte: counted by bytes, without the grapheme breaking that
        // walking characters costs (most of what the screen draws). CR is left to the walk: it
        // joins a following LF into one character.
        for byte in utf8 where byte >= 0x80 || byte == 0x0D { return reduce(0) { $0 + $1.displayWidth } }
        return utf8.count
    }

    /// The longest prefix that fits in `width` cells; when it had to be cut, the last cell shows
    /// `ellipsis` instead (so `"gradient".truncated(toWidth: 5)` is `"grad…"`).
    public func truncated(toWidth width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if displayWidth <= width { return String(self) }
        let room = width - ellipsis.displayWidth
        var result = "", used = 0
        for ch in self {
            let w = ch.displayWidth
            if used + w > room { break }
            result.append(ch)
            used += w
        }
        return room >= 0 ? result + String(ellipsis) : result
    }
}
