import Foundation
import Testing

/// Graphviz SVG read back as geometry: each node's and cluster's box (the bounds of its shape)
/// and texts, in the picture's own coordinates, for tests that measure what a reader sees.
struct SVGPicture {
    struct Rect {
        var x0, y0, x1, y1: Double
        func contains(_ r: Rect, slack: Double = 0.5) -> Bool {
            r.x0 >= x0 - slack && r.x1 <= x1 + slack && r.y0 >= y0 - slack && r.y1 <= y1 + slack
        }
        func overlaps(_ r: Rect, slack: Double = 1) -> Bool {
            r.x0 < x1 - slack && x0 < r.x1 - slack && r.y0 < y1 - slack && y0 < r.y1 - slack
        }
    }

    struct Text {
        var x, y, size: Double
        var anchor: String
        var text: String
        /// The text's extent, its width estimated at `em` per character (Liberation Sans, the
        /// Helvetica Graphviz uses here, averages about half an em; digits are 0.556 em).
        func bounds(em: Double = 0.45) -> Rect {
            let width = Double(text.count) * em * size
            let left: Double = switch anchor {
            case "end": x - width
            case "middle": x - width / 2
            default: x
            }
            return Rect(x0: left, y0: y - 0.72 * size, x1: left + width, y1: y + 0.21 * size)
        }
    }

    struct Item {
        var title: String
        var box: Rect
        var texts: [Text]
    }

    var width = 0.0, height = 0.0
    var nodes: [String: Item] = [:]
    var clusters: [String: Item] = [:]
    /// Texts outside nodes and clusters (titles, edge labels).
    var otherTexts: [Text] = []

    init(_ url: URL) throws {
        try self.init(text: String(contentsOf: url, encoding: .utf8))
    }

    init(text: String) throws {
        func attribute(_ name: String, in tag: Substring) -> String? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            return String(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        if let svg = text.range(of: "<svg ") {
            let tag = text[svg.lowerBound...].prefix { $0 != ">" }
            width = Double(attribute("width", in: tag)?.replacingOccurrences(of: "pt", with: "") ?? "") ?? 0
            height = Double(attribute("height", in: tag)?.replacingOccurrences(of: "pt", with: "") ?? "") ?? 0
        }
        let groupPattern = try NSRegularExpression(pattern: "<g id=\"[^\"]*\" class=\"(node|cluster|edge|graph)\"")
        let full = NSRange(text.startIndex..., in: text)
        let starts = groupPattern.matches(in: text, range: full)
        let textPattern = try NSRegularExpression(pattern: "<text ([^>]*)>([^<]*)</text>")
        let number = try NSRegularExpression(pattern: "-?[0-9]+(?:\\.[0-9]+)?(?:e-?[0-9]+)?")
        for (k, match) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].range.location : (text as NSString).length
            let chunk = (text as NSString).substring(with: NSRange(location: match.range.location, length: end - match.range.location))
            let kind = (text as NSString).substring(with: match.range(at: 1))
            let title = chunk.range(of: "<title>").flatMap { t in
                chunk.range(of: "</title>").map { String(chunk[t.upperBound ..< $0.lowerBound]) }
            } ?? ""
            var texts: [Text] = []
            let nsChunk = chunk as NSString
            for t in textPattern.matches(in: chunk, range: NSRange(location: 0, length: nsChunk.length)) {
                let tag = Substring(nsChunk.substring(with: t.range(at: 1)))
                let body = nsChunk.substring(with: t.range(at: 2))
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&#160;", with: " ").replacingOccurrences(of: "&#45;", with: "-")
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&amp;", with: "&")
                guard let x = attribute("x", in: tag).flatMap(Double.init), let y = attribute("y", in: tag).flatMap(Double.init),
                      let size = attribute("font-size", in: tag).flatMap(Double.init) else { continue }
                texts.append(Text(x: x, y: y, size: size, anchor: attribute("text-anchor", in: tag) ?? "start", text: body))
            }
            guard kind == "node" || kind == "cluster" else {
                otherTexts += texts
                continue
            }
            // The shape: every coordinate of its polygons and paths (before the first text).
            let shapes = chunk.prefix { _ in true }
            var xs: [Double] = [], ys: [Double] = []
            for attributeName in [" points=\"", " d=\""] {
                var rest = Substring(shapes)
                while let r = rest.range(of: attributeName) {
                    let value = String(rest[r.upperBound...].prefix { $0 != "\"" })
                    let ns = value as NSString
                    let values = number.matches(in: value, range: NSRange(location: 0, length: ns.length)).compactMap { Double(ns.substring(with: $0.range)) }
                    for p in stride(from: 0, to: values.count - 1, by: 2) {
                        xs.append(values[p])
                        ys.append(values[p + 1])
                    }
                    rest = rest[r.upperBound...]
                }
            }
            guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { continue }
            let item = Item(title: title, box: Rect(x0: x0, y0: y0, x1: x1, y1: y1), texts: texts)
            if kind == "node" { nodes[title] = item } else { clusters[title] = item }
        }
    }

    /// The texts of each node and cluster that stick out of its box, as messages.
    func textsOutsideTheirBoxes() -> [String] {
        var problems: [String] = []
        for item in Array(nodes.values) + Array(clusters.values) {
            for t in item.texts where !item.box.contains(t.bounds()) {
                problems.append("\(item.title): “\(t.text)” at \(t.x),\(t.y) sticks out of \(item.box)")
            }
        }
        return problems
    }

    /// All texts, for sizes.
    var allTexts: [Text] { nodes.values.flatMap(\.texts) + clusters.values.flatMap(\.texts) + otherTexts }
}
