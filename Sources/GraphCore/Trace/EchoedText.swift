extension Format {
    /// True for a scalar that must not reach a terminal, a diagnostic or a generated program as
    /// it is: a control character other than tab (it moves the cursor, ends a comment line),
    /// a line or paragraph separator, and the bidirectional embeddings, overrides, isolates and
    /// marks (U+202E makes text read differently from what it is: "Trojan Source").
    public static func isInvisibleControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09: false
        case 0x00 ..< 0x20, 0x7F ... 0x9F: true
        case 0x2028, 0x2029: true
        case 0x200E, 0x200F, 0x061C, 0x202A ... 0x202E, 0x2066 ... 0x2069: true
        default: false
        }
    }

    /// `text` with each `isInvisibleControl` scalar written as `\u{202E}`.
    public static func escapingInvisibles<S: StringProtocol>(_ text: S) -> String {
        guard text.unicodeScalars.contains(where: isInvisibleControl) else { return String(text) }
        var out = ""
        for u in text.unicodeScalars {
            if isInvisibleControl(u) {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Text from the user or a file, as a message may quote it: invisible controls escaped
    /// and, past `limit` characters, cut with `…` (a 100,000-digit value is not echoed whole).
    public static func echoed<S: StringProtocol>(_ text: S, limit: Int = 40) -> String {
        var head = Substring(text)
        var cut = false
        if text.utf8.count > limit, let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end < text.endIndex {
            head = Substring(text[..<end])
            cut = true
        }
        return escapingInvisibles(head) + (cut ? "…" : "")
    }
}
