import Screen

// Drawing a plot into a Canvas: curves in braille (each cell holds 2 × 4 dots), axes with
// tick labels, a legend, markers on top. With ASCII glyphs a curve is drawn one character per
// cell, a different one for each series.

extension Plot {
    /// Draws the plot into `rect` of `canvas`: the title (or the y axis's name) and the legend
    /// on the first row, y tick labels on the left, x tick labels and the x axis's name on the
    /// last row. A rect too
    /// small for axes (under 12 × 5) draws nothing.
    public func draw(into canvas: inout Canvas, in rect: Rect) {
        let area = rect.intersection(canvas.bounds)
        guard area.width >= 12, area.height >= 5 else { return }
        let (xs, ys) = scales
        let plotRows = area.height - 3
        let yTicks = ys.ticks(Swift.max(2, plotRows / 3))
        let labelWidth = Swift.min(area.width / 3, yTicks.map { ys.label($0).count }.max() ?? 1)
        let left = area.x + labelWidth + 1
        let plotArea = Rect(x: left, y: area.y + 1, width: area.maxX - left, height: plotRows)
        guard plotArea.width >= 4 else { return }

        // Title and legend.
        var column = area.x
        if let heading = title ?? (yLabel.isEmpty ? nil : yLabel) { column = canvas.put(heading + "  ", x: column, y: area.y, style: Style(.title, .bold), clip: area) }
        for (k, s) in series.enumerated() {
            let swatch = s.scatter ? Self.scatterMark(s.scatterShape, ascii: canvas.glyphs.isASCII)
                : canvas.glyphs.isASCII ? Self.asciiMark(k) : s.dashed ? "⠒⠀⠒" : "⣿"
            column = canvas.put(swatch, x: column, y: area.y, style: Style(s.role), clip: area)
            column = canvas.put(" \(s.name)  ", x: column, y: area.y, style: .text, clip: area)
        }
        for kind in [Marker.Kind.kink, .undefined, .best, .current] where markers.contains(where: { $0.kind == kind }) {
            column = canvas.put(markerGlyph(kind, ascii: canvas.glyphs.isASCII), x: column, y: area.y, style: Style(kind.role), clip: area)
            column = canvas.put(" \(kind.rawValue)  ", x: column, y: area.y, style: .text, clip: area)
        }

        // Axes.
        let axisY = plotArea.maxY
        canvas.verticalLine(x: left - 1, y: plotArea.y, length: plotArea.height + 1, style: Style(.border))
        canvas.horizontalLine(x: left - 1, y: axisY, length: plotArea.width + 1, style: Style(.border))
        for t in yTicks {
            guard let p = ys.position(t) else { continue }
            let row = plotArea.maxY - 1 - Int((p * Double(plotArea.height - 1)).rounded())
            let text = ys.label(t)
            canvas.put(String(text.suffix(labelWidth)), x: left - 1 - Swift.min(labelWidth, text.count), y: row, style: Style(.muted), clip: area)
        }
        let xTicks = xs.ticks(Swift.max(2, plotArea.width / 12))
        var nextFree = area.x
        for t in xTicks {
            guard let p = xs.position(t) else { continue }
            let col = left + Int((p * Double(plotArea.width - 1)).rounded())
            let text = xs.label(t)
            let start = Swift.max(area.x, Swift.min(area.maxX - text.count, col - text.count / 2))
            if start >= nextFree {
                canvas.put(text, x: start, y: axisY + 1, style: Style(.muted), clip: area)
                nextFree = start + text.count + 1
            }
        }
        canvas.put(xLabel, x: Swift.max(nextFree, area.maxX - xLabel.count), y: axisY + 1, style: .text, clip: area)

        // Level lines, curves over them, then markers.
        if let contour { drawContour(contour, into: &canvas, plotArea, xs, ys) }
        if canvas.glyphs.isASCII {
            drawASCII(into: &canvas, plotArea, xs, ys)
        } else {
            drawBraille(into: &canvas, plotArea, xs, ys)
        }
        drawDots(into: &canvas, plotArea, xs, ys)
        drawScatter(into: &canvas, plotArea, xs, ys)
        for m in markers {
            guard let px = xs.position(m.x), (0...1).contains(px) else { continue }
            let col = plotArea.x + Int((px * Double(plotArea.width - 1)).rounded())
            var row = axisY
            if let y = m.y, let py = ys.position(y), (0...1).contains(py) {
                row = plotArea.maxY - 1 - Int((py * Double(plotArea.height - 1)).rounded())
            }
            canvas.put(markerGlyph(m.kind, ascii: canvas.glyphs.isASCII), x: col, y: row, style: Style(m.kind.role, .bold), clip: area)
        }
    }

    func markerGlyph(_ kind: Marker.Kind, ascii: Bool) -> String {
        switch kind {
        case .kink: ascii ? "K" : "◆"
        case .undefined: ascii ? "x" : "×"
        case .best: ascii ? "o" : "●"
        case .current: ascii ? "@" : "◉"
        }
    }

    /// Each series as line segments between consecutive drawable points, rasterised into
    /// braille dots; a cell shared by two series takes the later one's role.
    private func drawBraille(into canvas: inout Canvas, _ area: Rect, _ xs: Scale, _ ys: Scale) {
        let dotsWide = area.width * 2, dotsHigh = area.height * 4
        var dots = [UInt8](repeating: 0, count: area.width * area.height)
        var roles = [Role?](repeating: nil, count: area.width * area.height)
        // Bit of dot (column dx, row dy) inside a braille cell (Unicode's dot numbering).
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        for s in series where !s.scatter {
            var previous: (Int, Int)?
            // A dashed series leaves out every other stretch of 3 dot columns.
            func shown(_ x: Int) -> Bool { !s.dashed || (x / 3) % 2 == 0 }
            for p in s.points {
                guard let dot = dotPosition(p, xs, ys, dotsWide, dotsHigh) else {
                    previous = nil
                    continue
                }
                for (x, y) in Self.line(from: previous ?? dot, to: dot)
                where x >= 0 && x < dotsWide && y >= 0 && y < dotsHigh && shown(x) {
                    let cell = (y / 4) * area.width + x / 2
                    dots[cell] |= bits[x % 2][y % 4]
                    roles[cell] = s.role
                }
                previous = dot
            }
        }
        for row in 0..<area.height {
            for col in 0..<area.width {
                let i = row * area.width + col
                guard dots[i] != 0, let role = roles[i] else { continue }
                let ch = Character(Unicode.Scalar(0x2800 + UInt32(dots[i]))!)
                canvas.put(String(ch), x: area.x + col, y: area.y + row, style: Style(role))
            }
        }
    }

    /// The mark of scatter shape `k`: ● ▲ ■ ◇, or o x + # in ASCII.
    public static func scatterMark(_ k: Int, ascii: Bool) -> String {
        ascii ? ["o", "x", "+", "#"][k % 4] : ["●", "▲", "■", "◇"][k % 4]
    }

    /// Scatter series: one mark per point, in the cell the point falls in (a later point
    /// covers an earlier one in the same cell); points outside the axes are not drawn.
    private func drawScatter(into canvas: inout Canvas, _ area: Rect, _ xs: Scale, _ ys: Scale) {
        // A cell holding points of several classes shows the mark that says so, not the last.
        var classes: [Int: Set<Int>] = [:]
        for (k, s) in series.enumerated() where s.scatter {
            let mark = Self.scatterMark(s.scatterShape, ascii: canvas.glyphs.isASCII)
            for p in s.points {
                guard let px = xs.position(p.x), let py = ys.position(p.y), (0...1).contains(px), (0...1).contains(py) else { continue }
                let col = area.x + Int((px * Double(area.width - 1)).rounded())
                let row = area.maxY - 1 - Int((py * Double(area.height - 1)).rounded())
                let cell = row * canvas.width + col
                classes[cell, default: []].insert(k)
                let several = classes[cell]!.count > 1
                canvas.put(several ? Self.severalClassesMark(ascii: canvas.glyphs.isASCII) : mark, x: col, y: row,
                           style: Style(several ? .warning : s.role, .bold), clip: area)
            }
        }
    }

    /// The mark of a cell where points of several classes fall.
    public static func severalClassesMark(ascii: Bool) -> String { ascii ? "&" : "✱" }

    /// The character series `k` is drawn with in ASCII, so curves stay apart without colour.
    static func asciiMark(_ k: Int) -> String { ["*", "+", "o", "#"][k % 4] }

    /// One character per cell a curve passes through (`*` for the first series, `+` for the
    /// second, …).
    private func drawASCII(into canvas: inout Canvas, _ area: Rect, _ xs: Scale, _ ys: Scale) {
        for (k, s) in series.enumerated() where !s.scatter {
            var previous: (Int, Int)?
            for p in s.points {
                guard let cell = dotPosition(p, xs, ys, area.width, area.height) else {
                    previous = nil
                    continue
                }
                for (x, y) in Self.line(from: previous ?? cell, to: cell)
                where x >= 0 && x < area.width && y >= 0 && y < area.height {
                    canvas.put(Self.asciiMark(k), x: area.x + x, y: area.y + y, style: Style(s.role))
                }
                previous = cell
            }
        }
    }

    /// A point's position on a grid of `wide` × `high` dots (row 0 at the top), or nil if it
    /// cannot be drawn. Points outside the axes land outside the grid, so lines leave the
    /// picture at its edge instead of vanishing early.
    private func dotPosition(_ p: Point, _ xs: Scale, _ ys: Scale, _ wide: Int, _ high: Int) -> (Int, Int)? {
        guard let px = xs.position(p.x), let py = ys.position(p.y) else { return nil }
        let x = (px * Double(wide - 1)).rounded(), y = ((1 - py) * Double(high - 1)).rounded()
        guard Swift.abs(x) < 1e6, Swift.abs(y) < 1e6 else { return nil }
        return (Int(x), Int(y))
    }

    /// The grid points of a straight line (Bresenham), both ends included.
    static func line(from a: (Int, Int), to b: (Int, Int)) -> [(Int, Int)] {
        var (x, y) = a
        let dx = Swift.abs(b.0 - x), dy = -Swift.abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        var points: [(Int, Int)] = []
        while true {
            points.append((x, y))
            if (x, y) == b || points.count > 4096 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
        return points
    }
}
