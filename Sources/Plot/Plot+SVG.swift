import Foundation
import Screen

// The same plot as an SVG picture for slides: one polyline per unbroken run of each series,
// axes with the same ticks as the terminal, markers, a legend, colours from a theme's roles.

extension Plot {
    /// The plot as a standalone SVG document `width` × `height` pixels, coloured by `theme`
    /// (the background role's colour, or white when the theme leaves it to the terminal).
    public func svg(width: Int = 720, height: Int = 420, theme: Theme = .default) -> String {
        Self.svg(panels: [Panel(self, x: 0, y: 0, width: width, height: height)], width: width, height: height, theme: theme)
    }

    /// A plot and the box it fills in a picture of several (a loss curve beside the contours
    /// of the loss with the path on them).
    public struct Panel: Sendable {
        public var plot: Plot
        public var x: Int, y: Int, width: Int, height: Int
        public init(_ plot: Plot, x: Int, y: Int, width: Int, height: Int) {
            (self.plot, self.x, self.y, self.width, self.height) = (plot, x, y, width, height)
        }
    }

    /// Several plots in one standalone SVG document `width` × `height`, each in its panel.
    public static func svg(panels: [Panel], width: Int, height: Int, theme: Theme = .default) -> String {
        let background = theme.color(for: .background)?.hex ?? "#ffffff"
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="\(background)"/>

            """
        for (k, p) in panels.enumerated() {
            out += p.plot.svgBody(x: Double(p.x), y: Double(p.y), width: p.width, height: p.height, theme: theme,
                                  clipID: k == 0 ? "plot-area" : "plot-area-\(k + 1)")
        }
        return out + "</svg>\n"
    }

    /// The plot's elements inside the box at (`ox`, `oy`) of `width` × `height` pixels.
    func svgBody(x ox: Double, y oy: Double, width: Int, height: Int, theme: Theme, clipID: String) -> String {
        let (xs, ys) = paddedScales
        let left = ox + 64.0, right = 24.0, top = oy + 36.0, bottom = 48.0
        let w = Double(width) - 64 - right, h = Double(height) - 36 - bottom
        func px(_ x: Double) -> Double? { xs.position(x).map { left + $0 * w } }
        func py(_ y: Double) -> Double? { ys.position(y).map { top + (1 - $0) * h } }
        func color(_ role: Role, _ fallback: String) -> String { theme.color(for: role)?.hex ?? fallback }
        let ink = theme.color(for: .text)?.hex ?? (theme.color(for: .background) == nil ? "#000000" : "#ffffff")
        let muted = color(.muted, "#808080")

        var out = """
            <clipPath id="\(clipID)"><rect x="\(f(left))" y="\(f(top))" width="\(f(w))" height="\(f(h))"/></clipPath>

            """
        // Grid and tick labels.
        for t in ys.ticks(6) {
            guard let y = py(t) else { continue }
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + w))\" y2=\"\(f(y))\" stroke=\"\(muted)\" stroke-opacity=\"0.3\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"\(muted)\">\(escape(ys.label(t)))</text>\n"
        }
        for t in xs.ticks(8) {
            guard let x = px(t) else { continue }
            out += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + h))\" stroke=\"\(muted)\" stroke-opacity=\"0.3\"/>\n"
            out += "<text x=\"\(f(x))\" y=\"\(f(top + h + 16))\" text-anchor=\"middle\" fill=\"\(muted)\">\(escape(xs.label(t)))</text>\n"
        }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"none\" stroke=\"\(muted)\"/>\n"
        out += "<text x=\"\(f(left + w / 2))\" y=\"\(f(oy + Double(height) - 10))\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(xLabel))</text>\n"
        out += "<text x=\"\(f(ox + 14))\" y=\"\(f(top + h / 2))\" text-anchor=\"middle\" fill=\"\(ink)\" transform=\"rotate(-90 \(f(ox + 14)) \(f(top + h / 2)))\">\(escape(yLabel))</text>\n"

        // Level lines of the field under the curves.
        if let contour {
            for level in contour.levels {
                var d = ""
                for (a, b) in contour.segments(level) {
                    guard let x0 = px(a.x), let y0 = py(a.y), let x1 = px(b.x), let y1 = py(b.y) else { continue }
                    d += "M\(f(x0)) \(f(y0))L\(f(x1)) \(f(y1))"
                }
                if !d.isEmpty { out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(Self.contourColor)\" stroke-width=\"0.8\" clip-path=\"url(#\(clipID))\"/>\n" }
            }
        }

        // Curves.
        // Points of several classes at one place are set side by side, 8 px apart.
        let together = coincidentPoints
        for (k, s) in series.enumerated() where s.scatter {
            for p in s.points {
                guard var x = px(p.x), let y = py(p.y), Swift.abs(x) < 1e6, Swift.abs(y) < 1e6 else { continue }
                if let ks = together[p] {
                    let rank = ks.sorted().firstIndex(of: k)!
                    x += (Double(rank) - Double(ks.count - 1) / 2) * 8
                }
                out += svgScatterMark(s.scatterShape, x: x, y: y, name: escape(s.name), fill: color(s.role, ink), clip: clipID)
            }
        }
        for s in series where !s.scatter {
            var runs: [[String]] = [[]]
            for p in s.points {
                if let x = px(p.x), let y = py(p.y), Swift.abs(x) < 1e6, Swift.abs(y) < 1e6 {
                    runs[runs.count - 1].append("\(f(x)),\(f(y))")
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            for run in runs where !run.isEmpty {
                out += "<polyline class=\"series\" data-name=\"\(escape(s.name))\" points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(color(s.role, ink))\" stroke-width=\"2\"\(s.dashed ? Self.dash : "") clip-path=\"url(#\(clipID))\"/>\n"
            }
            guard s.dots else { continue }
            // The iterates as dots (at most about 200), the first and last larger, the first
            // (the start) in green.
            let every = Swift.max(1, s.points.count / 200)
            for (k, p) in s.points.enumerated() where k % every == 0 || k == s.points.count - 1 {
                guard let x = px(p.x), let y = py(p.y), Swift.abs(x) < 1e6, Swift.abs(y) < 1e6 else { continue }
                let end = k == 0 || k == s.points.count - 1
                out += "<circle class=\"point\(k == 0 ? " start" : "")\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(end ? 4 : 2)\" fill=\"\(k == 0 ? Self.startColor : color(s.role, ink))\"/>\n"
            }
        }

        // Markers.
        for m in markers {
            guard let x = px(m.x), (left...(left + w)).contains(x) else { continue }
            let y = m.y.flatMap(py).map { Swift.min(top + h, Swift.max(top, $0)) } ?? top + h
            let c = color(m.kind.role, ink)
            switch m.kind {
            case .kink:
                out += "<path class=\"marker kink\" d=\"M \(f(x)) \(f(y - 6)) L \(f(x + 6)) \(f(y)) L \(f(x)) \(f(y + 6)) L \(f(x - 6)) \(f(y)) Z\" fill=\"\(c)\"/>\n"
            case .undefined:
                out += "<path class=\"marker undefined\" d=\"M \(f(x - 5)) \(f(y - 5)) L \(f(x + 5)) \(f(y + 5)) M \(f(x - 5)) \(f(y + 5)) L \(f(x + 5)) \(f(y - 5))\" stroke=\"\(c)\" stroke-width=\"2\"/>\n"
            case .best:
                out += "<circle class=\"marker best\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"\(c)\"/>\n"
            case .current:
                out += "<circle class=\"marker current\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"6\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>\n"
            }
        }

        // Title and legend.
        var legendX = left
        if let title {
            out += "<text x=\"\(f(left))\" y=\"\(f(oy + 22))\" font-weight=\"bold\" fill=\"\(ink)\">\(escape(title))</text>\n"
            legendX += Double(title.count) * 7.5 + 16
        }
        for s in series {
            if s.scatter {
                out += svgScatterMark(s.scatterShape, x: legendX + 9, y: oy + 18, name: escape(s.name), fill: color(s.role, ink), clip: nil)
            } else {
                out += "<line x1=\"\(f(legendX))\" y1=\"\(f(oy + 18))\" x2=\"\(f(legendX + 18))\" y2=\"\(f(oy + 18))\" stroke=\"\(color(s.role, ink))\" stroke-width=\"2\"\(s.dashed ? Self.dash : "")/>\n"
            }
            out += "<text x=\"\(f(legendX + 22))\" y=\"\(f(oy + 22))\" fill=\"\(ink)\">\(escape(s.name))</text>\n"
            legendX += 22 + Double(s.name.count) * 7.5 + 16
        }
        return out
    }

    /// The fill of a path's first point, where an optimiser starts.
    static let startColor = "#2e9e44"

    /// The stroke pattern of a dashed series.
    static let dash = " stroke-dasharray=\"6 4\""

    /// The stroke of level lines: a light grey-blue that stays behind the curves.
    static let contourColor = "#9aa7b8"

    /// One scatter point as an SVG shape centred at (`x`, `y`): circle, triangle, square or
    /// diamond by `shape`, so classes differ in print as well as in colour.
    private func svgScatterMark(_ shape: Int, x: Double, y: Double, name: String, fill: String, clip: String?) -> String {
        // Legend swatches (no clip) are classed apart from the data's points.
        let r = 4.0
        let attributes = "class=\"\(clip == nil ? "legend" : "scatter")\" data-name=\"\(name)\" fill=\"\(fill)\"" + (clip.map { " clip-path=\"url(#\($0))\"" } ?? "")
        func pathOf(_ points: [(Double, Double)]) -> String {
            "<path \(attributes) d=\"M " + points.map { "\(f($0.0)) \(f($0.1))" }.joined(separator: " L ") + " Z\"/>\n"
        }
        switch shape % 4 {
        case 0: return "<circle \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\"/>\n"
        case 1: return pathOf([(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)])
        case 2: return "<rect \(attributes) x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(f(2 * r))\" height=\"\(f(2 * r))\"/>\n"
        default: return pathOf([(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)])
        }
    }

    /// A coordinate with two decimals, trailing zeros dropped.
    private func f(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Text made safe for XML.
    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
