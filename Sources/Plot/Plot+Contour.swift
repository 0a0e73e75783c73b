import Foundation
import Screen

// Level lines of a field f(x, y) under a plot's series: a loss surface with an optimiser's
// path drawn on it (Rosenbrock's banana valley, the zigzag of exact line search). The field is
// sampled once on a grid; the terminal draws a dot wherever two neighbouring dots fall between
// different levels, the SVG traces each level by marching squares.

extension Plot {
    /// A scalar field sampled on a regular grid over a box, and the levels drawn.
    public struct Contour: Hashable, Sendable {
        public var x: ClosedRange<Double>
        public var y: ClosedRange<Double>
        /// `values[j][i]` = f(xᵢ, yⱼ) on a (cells + 1) × (cells + 1) grid, j counting up from
        /// `y.lowerBound`, i from `x.lowerBound`.
        public var values: [[Double]]
        /// The levels drawn, ascending.
        public var levels: [Double]

        public init(x: ClosedRange<Double>, y: ClosedRange<Double>, values: [[Double]], levels: [Double]) {
            self.x = x
            self.y = y
            self.values = values
            self.levels = levels
        }

        /// `f` sampled on `cells` × `cells` squares over the box. Levels are quantiles of the
        /// sampled values (4 %, 10 %, …, 94 %), so a steep valley and a shallow bowl both get
        /// lines where the picture needs them.
        public init(sampling f: (Double, Double) -> Double, x: ClosedRange<Double>, y: ClosedRange<Double>, cells: Int = 60) {
            let n = Swift.max(1, cells)
            var grid = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n + 1)
            for j in 0...n {
                for i in 0...n {
                    grid[j][i] = f(x.lowerBound + (x.upperBound - x.lowerBound) * Double(i) / Double(n),
                                   y.lowerBound + (y.upperBound - y.lowerBound) * Double(j) / Double(n))
                }
            }
            let sorted = grid.flatMap { $0 }.filter(\.isFinite).sorted()
            var levels: [Double] = []
            if !sorted.isEmpty {
                for q in stride(from: 0.04, through: 0.96, by: 0.06) {
                    let level = sorted[Int(q * Double(sorted.count - 1))]
                    if levels.last != level { levels.append(level) }
                }
            }
            self.init(x: x, y: y, values: grid, levels: levels)
        }

        var cells: Int { Swift.max(1, values.count - 1) }

        /// f at (x, y) by bilinear interpolation on the grid (nil outside the box or where a
        /// corner is not finite).
        func value(atX px: Double, y py: Double) -> Double? {
            let n = Double(cells)
            let gx = (px - x.lowerBound) / (x.upperBound - x.lowerBound) * n
            let gy = (py - y.lowerBound) / (y.upperBound - y.lowerBound) * n
            guard gx >= 0, gy >= 0, gx <= n, gy <= n else { return nil }
            let i = Swift.min(Int(gx), cells - 1), j = Swift.min(Int(gy), cells - 1)
            let (tx, ty) = (gx - Double(i), gy - Double(j))
            let (a, b, c, d) = (values[j][i], values[j][i + 1], values[j + 1][i], values[j + 1][i + 1])
            let v = (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty
            return v.isFinite ? v : nil
        }

        /// How many levels lie below `v`: neighbouring points in different bands have a level
        /// line between them.
        func band(_ v: Double) -> Int {
            var (lo, hi) = (0, levels.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if levels[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        /// The level line at `level` as segments in data units (marching squares).
        public func segments(_ level: Double) -> [(Point, Point)] {
            let n = cells
            func point(_ gx: Double, _ gy: Double) -> Point {
                Point(x.lowerBound + (x.upperBound - x.lowerBound) * gx / Double(n),
                      y.lowerBound + (y.upperBound - y.lowerBound) * gy / Double(n))
            }
            var out: [(Point, Point)] = []
            for j in 0..<n {
                for i in 0..<n {
                    // Corners counter-clockwise from (i, j); where f crosses `level` along each edge.
                    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    var crossings: [Point] = []
                    for e in 0..<4 {
                        let (a, b) = (corners[e], corners[(e + 1) % 4])
                        let (fa, fb) = (values[a.1][a.0], values[b.1][b.0])
                        guard fa.isFinite, fb.isFinite, (fa < level) != (fb < level) else { continue }
                        let t = (level - fa) / (fb - fa)
                        crossings.append(point(Double(a.0) + t * Double(b.0 - a.0), Double(a.1) + t * Double(b.1 - a.1)))
                    }
                    for k in stride(from: 0, to: crossings.count - 1, by: 2) { out.append((crossings[k], crossings[k + 1])) }
                }
            }
            return out
        }
    }

    /// The most level lines drawn into a canvas.
    static let terminalLevels = 6

    /// The points of series with `dots` as `•` (`o` in ASCII) over their line, so each
    /// iterate of a path shows where it is (at most 200 of them).
    func drawDots(into canvas: inout Canvas, _ area: Rect, _ xs: Scale, _ ys: Scale) {
        for s in series where s.dots {
            let every = Swift.max(1, s.points.count / 200)
            for (k, p) in s.points.enumerated() where k % every == 0 || k == s.points.count - 1 {
                guard let px = xs.position(p.x), let py = ys.position(p.y), (0...1).contains(px), (0...1).contains(py) else { continue }
                let col = area.x + Int((px * Double(area.width - 1)).rounded())
                let row = area.maxY - 1 - Int((py * Double(area.height - 1)).rounded())
                canvas.put(canvas.glyphs.isASCII ? "o" : "•", x: col, y: row, style: Style(s.role, .bold), clip: area)
            }
        }
    }

    /// The level lines as dots in the muted role: braille dots where two neighbouring dots
    /// lie in different bands, or `.` per cell with ASCII glyphs. Curves drawn later replace
    /// the cells they pass through, so a path stays readable over the lines.
    func drawContour(_ c: Contour, into canvas: inout Canvas, _ area: Rect, _ xs: Scale, _ ys: Scale) {
        // A terminal has room for fewer lines than a picture: at most `terminalLevels` of them.
        var c = c
        let every = (c.levels.count + Self.terminalLevels - 1) / Self.terminalLevels
        if every > 1 { c.levels = c.levels.enumerated().filter { $0.offset % every == every / 2 }.map(\.element) }
        let (perX, perY) = canvas.glyphs.isASCII ? (1, 1) : (2, 4)
        let wide = area.width * perX, high = area.height * perY
        guard wide > 1, high > 1 else { return }
        var bands = [Int?](repeating: nil, count: wide * high)
        for dy in 0..<high {
            let y = ys.value(at: 1 - Double(dy) / Double(high - 1))
            for dx in 0..<wide {
                let x = xs.value(at: Double(dx) / Double(wide - 1))
                bands[dy * wide + dx] = c.value(atX: x, y: y).map(c.band)
            }
        }
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        var dots = [UInt8](repeating: 0, count: area.width * area.height)
        for dy in 0..<high {
            for dx in 0..<wide {
                guard let b = bands[dy * wide + dx] else { continue }
                let right = dx + 1 < wide ? bands[dy * wide + dx + 1] : b
                let below = dy + 1 < high ? bands[(dy + 1) * wide + dx] : b
                guard (right != nil && right != b) || (below != nil && below != b) else { continue }
                let cell = (dy / perY) * area.width + dx / perX
                dots[cell] |= perX == 1 ? 1 : bits[dx % 2][dy % 4]
            }
        }
        for row in 0..<area.height {
            for col in 0..<area.width where dots[row * area.width + col] != 0 {
                let ch = perX == 1 ? "." : String(Character(Unicode.Scalar(0x2800 + UInt32(dots[row * area.width + col]))!))
                canvas.put(ch, x: area.x + col, y: area.y + row, style: Style(.muted))
            }
        }
    }
}
