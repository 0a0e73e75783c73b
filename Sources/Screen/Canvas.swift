/// One terminal cell: a character (a whole grapheme cluster, so `v̄` is one cell) and its style.
///
/// A wide character (CJK, emoji) lives in the left cell of a pair; the right cell is its *tail*,
/// which holds no character of its own and is skipped when the line is read back.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// The right half of a wide character.
    public internal(set) var isWideTail: Bool
    /// For line glyphs drawn by the canvas, which way they reach (`Glyphs.Arms`); a line's end
    /// looks like `─` but reaches only one way, and a line meeting it must know that.
    var lineArms: UInt8 = 0

    public init(_ character: Character = " ", style: Style = .background) {
        self.character = character
        self.style = style
        self.isWideTail = false
    }

    static func tail(_ style: Style) -> Cell {
        var cell = Cell(" ", style: style)
        cell.isWideTail = true
        return cell
    }
}

/// The characters used for lines, boxes and a few symbols: Unicode box drawing, or plain ASCII
/// for terminals whose locale is not UTF-8.
public struct Glyphs: Hashable, Sendable {
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var teeRight: Character, teeLeft: Character, teeDown: Character, teeUp: Character
    public var cross: Character
    public var ellipsis: Character
    public var arrowRight: Character, arrowLeft: Character, arrowUp: Character, arrowDown: Character
    public var bullet: Character
    public var isASCII: Bool

    /// `┌─┐│└┘├┤┬┴┼ … → ← ↑ ↓ •`
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", teeRight: "├", teeLeft: "┤", teeDown: "┬", teeUp: "┴", cross: "┼",
        ellipsis: "…", arrowRight: "→", arrowLeft: "←", arrowUp: "↑", arrowDown: "↓", bullet: "•",
        isASCII: false)

    /// `+-|` and friends.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", teeRight: "+", teeLeft: "+", teeDown: "+", teeUp: "+", cross: "+",
        ellipsis: "~", arrowRight: ">", arrowLeft: "<", arrowUp: "^", arrowDown: "v", bullet: "*",
        isASCII: true)

    // MARK: Line junctions

    /// Which way a line glyph reaches out of its cell.
    struct Arms: OptionSet, Hashable {
        let rawValue: UInt8
        static let up = Arms(rawValue: 1), down = Arms(rawValue: 2)
        static let left = Arms(rawValue: 4), right = Arms(rawValue: 8)
    }

    func glyph(_ arms: Arms) -> Character {
        switch arms {
        case [.left, .right], [.left], [.right]: horizontal
        case [.up, .down], [.up], [.down]: vertical
        case [.down, .right]: topLeft
        case [.down, .left]: topRight
        case [.up, .right]: bottomLeft
        case [.up, .left]: bottomRight
        case [.up, .down, .right]: teeRight
        case [.up, .down, .left]: teeLeft
        case [.down, .left, .right]: teeDown
        case [.up, .left, .right]: teeUp
        default: cross
        }
    }

    /// The arms of a glyph already on the canvas, so a line drawn across it makes a junction.
    func arms(of character: Character) -> Arms? {
        switch character {
        case horizontal: [.left, .right]
        case vertical: [.up, .down]
        case cross: [.up, .down, .left, .right]
        case topLeft: [.down, .right]
        case topRight: [.down, .left]
        case bottomLeft: [.up, .right]
        case bottomRight: [.up, .left]
        case teeRight: [.up, .down, .right]
        case teeLeft: [.up, .down, .left]
        case teeDown: [.down, .left, .right]
        case teeUp: [.up, .left, .right]
        default: nil
        }
    }
}

/// An in-memory grid of cells that panes draw into. Only the terminal backend turns it into
/// screen output; tests read it back as text (`lines()`) and as roles (`styleRuns()`).
///
///     var canvas = Canvas(width: 20, height: 3)
///     canvas.drawBox(canvas.bounds, style: Style(.border), title: "Tape")
///     canvas.put("v₁ = v₋₁ · v₀", x: 1, y: 1, style: Style(.value))
///
/// Nothing traps: drawing off the canvas, outside the clip rectangle or into a 0×0 canvas
/// simply draws nothing.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    public var glyphs: Glyphs

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode, fill: Style = .background) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        self.cells = Array(repeating: Cell(" ", style: fill), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(width: width, height: height) }

    /// The cell at a position, or nil off the canvas.
    public subscript(x: Int, y: Int) -> Cell? {
        bounds.contains(x: x, y: y) ? cells[y * width + x] : nil
    }

    // MARK: - Text

    /// Writes `string` from column `x` on row `y`, one grapheme cluster per cell (two for wide
    /// characters), and returns the column after the last one written (even if clipped), so
    /// calls can be chained. A combining mark that arrives on its own joins the character before
    /// it. Control characters are drawn as spaces. Only cells inside `clip` (default: the whole
    /// canvas) change; a wide character cut by the clip edge leaves a space.
    @discardableResult
    public mutating func put(
        _ string: String, x: Int, y: Int, style: Style = .text, clip: Rect? = nil
    ) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        var column = x
        guard y >= area.y, y < area.maxY else { return column + string.displayWidth }
        for var ch in string {
            if let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1,
               scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                ch = " "
            }
            let w = ch.displayWidth
            if w == 0 {
                combine(ch, before: column, y: y, area: area)
                continue
            }
            let inside = { (c: Int) in c >= area.x && c < area.maxX }
            if w == 2 && !(inside(column) && inside(column + 1)) {
                // Half of a wide character is visible: show a blank there instead.
                if inside(column) { set(Cell(" ", style: style), x: column, y: y) }
                if inside(column + 1) { set(Cell(" ", style: style), x: column + 1, y: y) }
            } else if inside(column) {
                set(Cell(ch, style: style), x: column, y: y)
                if w == 2 { set(.tail(style), x: column + 1, y: y) }
            }
            column += w
        }
        return column
    }

    /// Joins a zero-width character (a combining mark) to the cell left of `column`.
    private mutating func combine(_ mark: Character, before column: Int, y: Int, area: Rect) {
        var target = column - 1
        if let cell = self[target, y], cell.isWideTail { target -= 1 }
        guard target >= area.x, target < area.maxX, let cell = self[target, y] else { return }
        let joined = String(cell.character) + String(mark)
        guard joined.count == 1, let combined = joined.first else { return }
        cells[y * width + target].character = combined
    }

    /// Sets one cell, keeping wide characters whole: overwriting either half of a wide
    /// character blanks the other half.
    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard let old = self[x, y] else { return }
        let i = y * width + x
        if old.isWideTail, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        if !cell.isWideTail, x + 1 < width, cells[i + 1].isWideTail {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    // MARK: - Areas and lines

    /// Fills `rect` (clipped to the canvas) with `character`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .background) {
        let area = rect.intersection(bounds)
        let ch = character.displayWidth == 1 ? character : " "
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { set(Cell(ch, style: style), x: x, y: y) }
        }
    }

    /// Clears the whole canvas.
    public mutating func clear(style: Style = .background) { fill(bounds, style: style) }

    /// A horizontal line of `length` cells; where it crosses or meets another line it becomes a
    /// junction (`├ ┤ ┬ ┴ ┼`, or `+` in ASCII).
    public mutating func horizontalLine(x: Int, y: Int, length: Int, style: Style = Style(.border), clip: Rect? = nil) {
        guard length > 0 else { return }
        for i in 0..<length {
            var arms: Glyphs.Arms = []
            if i > 0 || length == 1 { arms.insert(.left) }
            if i < length - 1 || length == 1 { arms.insert(.right) }
            line(arms, x: x + i, y: y, style: style, clip: clip)
        }
    }

    /// A vertical line of `length` cells, making junctions like `horizontalLine`.
    public mutating func verticalLine(x: Int, y: Int, length: Int, style: Style = Style(.border), clip: Rect? = nil) {
        guard length > 0 else { return }
        for i in 0..<length {
            var arms: Glyphs.Arms = []
            if i > 0 || length == 1 { arms.insert(.up) }
            if i < length - 1 || length == 1 { arms.insert(.down) }
            line(arms, x: x, y: y + i, style: style, clip: clip)
        }
    }

    /// A box around the edge of `rect`, with an optional title in the top border
    /// (`┌ Tape ───┐`). Boxes that share an edge get junctions where they meet.
    public mutating func drawBox(
        _ rect: Rect, style: Style = Style(.border), title: String? = nil,
        titleStyle: Style = Style(.title), clip: Rect? = nil
    ) {
        guard !rect.isEmpty else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        horizontalLine(x: rect.x, y: rect.y, length: rect.width, style: style, clip: clip)
        horizontalLine(x: rect.x, y: bottom, length: rect.width, style: style, clip: clip)
        verticalLine(x: rect.x, y: rect.y, length: rect.height, style: style, clip: clip)
        verticalLine(x: right, y: rect.y, length: rect.height, style: style, clip: clip)
        if let title, rect.width > 4 {
            let text = " " + title.truncated(toWidth: rect.width - 4, ellipsis: glyphs.ellipsis) + " "
            let area = (clip ?? bounds).intersection(rect)
            put(text, x: rect.x + 1, y: rect.y, style: titleStyle, clip: area)
        }
    }

    private mutating func line(_ arms: Glyphs.Arms, x: Int, y: Int, style: Style, clip: Rect?) {
        guard let old = self[x, y], (clip ?? bounds).contains(x: x, y: y) else { return }
        let oldArms = old.lineArms != 0
            ? Glyphs.Arms(rawValue: old.lineArms) : glyphs.arms(of: old.character) ?? []
        let merged = old.isWideTail ? arms : arms.union(oldArms)
        var cell = Cell(glyphs.glyph(merged), style: style)
        cell.lineArms = merged.rawValue
        set(cell, x: x, y: y)
    }

    // MARK: - Reading back (tests, snapshots)

    /// Each row as text; the tail of a wide character adds nothing, so a row's display width is
    /// always `width`.
    public func lines() -> [String] {
        (0..<height).map { y in
            String(cells[(y * width)..<((y + 1) * width)].filter { !$0.isWideTail }.map(\.character))
        }
    }

    /// All rows joined by newlines.
    public var text: String { lines().joined(separator: "\n") }

    /// Each row as one symbol per cell, chosen from the cell's style (a wide character's tail
    /// repeats its head), for compact role snapshots:
    ///
    ///     canvas.roleLines { $0.role == .current ? "#" : "." }
    public func roleLines(_ symbol: (Style) -> Character) -> [String] {
        (0..<height).map { y in
            String((0..<width).map { x in symbol(cells[y * width + x].style) })
        }
    }

    /// Each row as runs of equal style, `"0-4 border, 5-9 title+bold"`; rows that are all
    /// `background` are left out. Readable in snapshot files.
    public func styleRuns() -> [String] {
        guard width > 0 else { return [] }
        return (0..<height).compactMap { y in
            var runs: [String] = [], start = 0
            for x in 1...width where x == width || cells[y * width + x].style != cells[y * width + start].style {
                let style = cells[y * width + start].style
                runs.append("\(start)-\(x - 1) \(style)")
                start = x
            }
            if runs.isEmpty || runs == ["0-\(width - 1) background"] { return nil }
            return "\(y): " + runs.joined(separator: ", ")
        }
    }
}
