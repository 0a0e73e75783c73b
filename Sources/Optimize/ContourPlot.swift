import Foundation
import GraphCore

/// For a run over two variables: the loss's contour lines around the path, with the path
/// drawn on them (Rosenbrock's banana valley, the zigzag of exact line search), as an SVG
/// fragment. Levels are quantiles of the loss over the grid, so a steep valley and a shallow
/// bowl both get lines where the picture needs them; lines are traced by marching squares.
public enum ContourPlot {
    /// Grid cells per side.
    static let cells = 60

    /// An SVG `<g>` of size `width × height` at (`x`, `y`): contours of `loss` over a box
    /// around `path`, the path, and the axes labelled with `names`.
    public static func svg(loss: (Double, Double) -> Double, path: [(Double, Double)], names: (String, String),
                           x left: Double, y top: Double, width: Double, height: Double) -> String {
        let points = path.filter { $0.0.isFinite && $0.1.isFinite }
        guard !points.isEmpty else { return "" }
        func range(_ v: [Double]) -> (Double, Double) {
            let (lo, hi) = (v.min()!, v.max()!)
            let span = Swift.max(hi - lo, 1e-3 * Swift.max(1, Swift.abs(lo), Swift.abs(hi)))
            let mid = (lo + hi) / 2
            return (mid - 0.6 * span, mid + 0.6 * span)
        }
        let (x0, x1) = range(points.map(\.0)), (y0, y1) = range(points.map(\.1))
        let n = cells
        var grid = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n + 1)
        for j in 0...n {
            for i in 0...n {
                grid[j][i] = loss(x0 + (x1 - x0) * Double(i) / Double(n), y0 + (y1 - y0) * Double(j) / Double(n))
            }
        }
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * width }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * height }
        let sorted = grid.flatMap { $0 }.filter(\.isFinite).sorted()
        var levels: [Double] = []
        if !sorted.isEmpty {
            for q in stride(from: 0.04, through: 0.96, by: 0.06) {
                let level = sorted[Int(q * Double(sorted.count - 1))]
                if levels.last != level { levels.append(level) }
            }
        }
        var body = "<g>\n<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"black\"/>\n"
        var lines = ""
        for level in levels {
            var d = ""
            for j in 0..<n {
                for i in 0..<n {
                    // Corners counter-clockwise from (i, j); where the loss crosses `level`
                    // along each edge.
                    let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    var crossings: [(Double, Double)] = []
                    for e in 0..<4 {
                        let (a, b) = (corners[e], corners[(e + 1) % 4])
                        let (fa, fb) = (grid[a.1][a.0], grid[b.1][b.0])
                        guard fa.isFinite, fb.isFinite, (fa < level) != (fb < level) else { continue }
                        let t = (level - fa) / (fb - fa)
                        let gx = Double(a.0) + t * Double(b.0 - a.0), gy = Double(a.1) + t * Double(b.1 - a.1)
                        crossings.append((px(x0 + (x1 - x0) * gx / Double(n)), py(y0 + (y1 - y0) * gy / Double(n))))
                    }
                    for k in stride(from: 0, to: crossings.count - 1, by: 2) {
                        let (p, q) = (crossings[k], crossings[k + 1])
                        d += String(format: "M%.1f %.1fL%.1f %.1f", p.0, p.1, q.0, q.1)
                    }
                }
            }
            if !d.isEmpty { lines += "<path d=\"\(d)\" fill=\"none\" stroke=\"#9aa7b8\" stroke-width=\"0.8\"/>\n" }
        }
        body += lines
        let route = points.enumerated().map { k, p in String(format: "%@%.2f %.2f", k == 0 ? "M" : " L", px(p.0), py(p.1)) }.joined()
        body += "<path d=\"\(route)\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n"
        let every = Swift.max(1, points.count / 200)
        for (k, p) in points.enumerated() where k % every == 0 || k == points.count - 1 {
            body += String(format: "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%@\"/>\n", px(p.0), py(p.1),
                           k == 0 || k == points.count - 1 ? 4.0 : 2.0, k == 0 ? "#2ca02c" : "#d62728")
        }
        func label(_ v: Double) -> String { Format.short(v, digits: 3) }
        body += "<text x=\"\(left)\" y=\"\(top + height + 16)\" text-anchor=\"start\">\(label(x0))</text>\n"
        body += "<text x=\"\(left + width)\" y=\"\(top + height + 16)\" text-anchor=\"end\">\(label(x1))</text>\n"
        body += "<text x=\"\(left + width / 2)\" y=\"\(top + height + 16)\" text-anchor=\"middle\">\(LossCurve.escape(names.0))</text>\n"
        body += "<text x=\"\(left - 6)\" y=\"\(top + height)\" text-anchor=\"end\">\(label(y0))</text>\n"
        body += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\">\(label(y1))</text>\n"
        body += "<text x=\"\(left - 6)\" y=\"\(top + height / 2)\" text-anchor=\"end\">\(LossCurve.escape(names.1))</text>\n"
        return body + "</g>\n"
    }
}
