import Foundation
import GraphCore

/// The loss curve L₀ … L_N drawn for a terminal (braille dots, 2×4 per character) and as an
/// SVG picture. Self-contained on purpose: a shared Plot module can replace it later.
///
/// The vertical axis is logarithmic when every loss is positive and they span more than two
/// decades (descent usually does), linear otherwise; NaN and ∞ are left out.
public enum LossCurve {
    /// How the vertical axis maps a loss to [0, 1] (0 at the bottom).
    struct Scale {
        var low: Double, high: Double, logarithmic: Bool

        init?(_ losses: [Double]) {
            let finite = losses.filter(\.isFinite)
            guard let lo = finite.min(), let hi = finite.max() else { return nil }
            logarithmic = lo > 0 && hi / lo > 100
            (low, high) = logarithmic ? (Foundation.log10(lo), Foundation.log10(hi)) : (lo, hi)
            if high == low { (low, high) = (low - 1, high + 1) }
        }

        func position(_ y: Double) -> Double? {
            guard y.isFinite else { return nil }
            let v = logarithmic ? Foundation.log10(y) : y
            return (v - low) / (high - low)
        }

        var labels: (top: String, bottom: String) {
            logarithmic ? (Format.short(Foundation.pow(10, high), digits: 3), Format.short(Foundation.pow(10, low), digits: 3))
                : (Format.short(high, digits: 3), Format.short(low, digits: 3))
        }
    }

    /// The curve as `height + 2` lines of text about `width + 10` columns wide: a left axis
    /// labelled with the largest and smallest loss, braille dots, and the step numbers.
    public static func braille(_ losses: [Double], width: Int = 60, height: Int = 8) -> [String] {
        guard let scale = Scale(losses), width > 1, height > 0 else { return [] }
        let dotsWide = 2 * width, dotsHigh = 4 * height
        var cells = [[UInt8]](repeating: [UInt8](repeating: 0, count: width), count: height)
        func set(_ x: Int, _ y: Int) {
            let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
            cells[y / 4][x / 2] |= bits[x % 2][y % 4]
        }
        let n = losses.count - 1
        var previous: Int?
        for x in 0..<dotsWide {
            // The loss at this column, interpolated between the two nearest steps.
            let t = n == 0 ? 0 : Double(x) * Double(n) / Double(dotsWide - 1)
            let k = Swift.min(Int(t), n), k1 = Swift.min(k + 1, n)
            guard let p0 = scale.position(losses[k]) else { previous = nil; continue }
            let p = scale.position(losses[k1]).map { p0 + ($0 - p0) * (t - Double(k)) } ?? p0
            let y = Swift.min(dotsHigh - 1, Swift.max(0, Int(((1 - p) * Double(dotsHigh - 1)).rounded())))
            let from = previous ?? y
            for yy in Swift.min(from, y) ... Swift.max(from, y) { set(x, yy) }
            previous = y
        }
        let (top, bottom) = scale.labels
        let gutter = Swift.max(top.count, bottom.count)
        func pad(_ s: String) -> String { String(repeating: " ", count: gutter - s.count) + s }
        var lines: [String] = []
        for (r, row) in cells.enumerated() {
            let label = r == 0 ? pad(top) : (r == height - 1 ? pad(bottom) : String(repeating: " ", count: gutter))
            let tick = r == 0 || r == height - 1 ? "┤" : "│"
            lines.append(label + " " + tick + String(String.UnicodeScalarView(row.map { Unicode.Scalar(0x2800 + UInt32($0))! })))
        }
        lines.append(String(repeating: " ", count: gutter + 1) + "└" + String(repeating: "─", count: width))
        let last = "\(n)"
        lines.append(String(repeating: " ", count: gutter + 2) + "0" + String(repeating: " ", count: Swift.max(1, width - 1 - last.count)) + last
                     + (scale.logarithmic ? "  step (loss on a log scale)" : "  step"))
        return lines
    }

    /// The curve as a standalone SVG document (640×360), with axes, the extreme losses and
    /// the step range labelled; with `beside` (e.g. a `ContourPlot` drawn at x = 640, 40 to
    /// 360 wide), the picture widens to hold it on the right.
    public static func svg(_ losses: [Double], title: String, beside: String? = nil) -> String {
        let (h, left, top, bottom) = (360.0, 70.0, 40.0, 40.0)
        let (right, w) = (20.0, 640.0)
        let total = beside == nil ? w : w + 400
        var body = ""
        if let scale = Scale(losses) {
            let n = Swift.max(losses.count - 1, 1)
            var path = ""
            for (k, loss) in losses.enumerated() {
                guard let p = scale.position(loss) else { continue }
                let x = left + (w - left - right) * Double(k) / Double(n)
                let y = top + (h - top - bottom) * (1 - p)
                path += (path.isEmpty ? "M" : " L") + String(format: "%.2f %.2f", x, y)
            }
            let (hi, lo) = scale.labels
            body += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n"
            body += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">\(hi)</text>\n"
            body += "<text x=\"\(left - 6)\" y=\"\(h - bottom + 4)\" text-anchor=\"end\">\(lo)</text>\n"
            body += "<text x=\"\(left)\" y=\"\(h - bottom + 18)\" text-anchor=\"middle\">0</text>\n"
            body += "<text x=\"\(w - right)\" y=\"\(h - bottom + 18)\" text-anchor=\"middle\">\(losses.count - 1)</text>\n"
            body += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\">step\(scale.logarithmic ? " (loss on a log scale)" : "")</text>\n"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(total))" height="\(Int(h))" viewBox="0 0 \(Int(total)) \(Int(h))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(total / 2)" y="22" text-anchor="middle" font-size="14">\(escape(title))</text>
            <path d="M\(left) \(top) L\(left) \(h - bottom) L\(w - right) \(h - bottom)" fill="none" stroke="black"/>
            \(body)\(beside ?? "")</svg>

            """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
