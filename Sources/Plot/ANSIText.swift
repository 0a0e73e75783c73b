import Screen

extension Canvas {
    /// The canvas as lines of text with ANSI colour escapes from `theme` (24-bit foreground
    /// colours and the role's attributes), for printing a picture such as a plot straight to
    /// a terminal. Trailing blanks are dropped; cells with no colour are written plain.
    public func ansiLines(theme: Theme = .default) -> [String] {
        (0..<height).map { y in
            var line = "", open = false
            var last: Style?
            var pending = ""
            for x in 0..<width {
                guard let cell = self[x, y], !cell.isWideTail else { continue }
                if cell.character == " " {
                    pending += " "
                    continue
                }
                line += pending
                pending = ""
                if cell.style != last {
                    if open { line += "\u{1B}[0m" }
                    let codes = Self.codes(cell.style, theme)
                    open = !codes.isEmpty
                    if open { line += "\u{1B}[" + codes.joined(separator: ";") + "m" }
                    last = cell.style
                }
                line.append(cell.character)
            }
            return open ? line + "\u{1B}[0m" : line
        }
    }

    private static func codes(_ style: Style, _ theme: Theme) -> [String] {
        var codes: [String] = []
        let attributes = style.attributes.union(theme.attributes(for: style.role)).subtracting(.reverse)
        if attributes.contains(.bold) { codes.append("1") }
        if attributes.contains(.dim) { codes.append("2") }
        if attributes.contains(.underline) { codes.append("4") }
        if let c = theme.foreground(for: style.role) { codes.append("38;2;\(c.red);\(c.green);\(c.blue)") }
        return codes
    }
}
