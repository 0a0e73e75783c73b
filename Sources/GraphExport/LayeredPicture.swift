import Foundation
import GraphCore
import GraphLayout

/// Pictures of graphs too costly for Graphviz's `dot` (see `LayoutChoice`: minutes and
/// gigabytes for a few hundred nodes with long edges): laid out by gradstep's own layered layout, the explorer's, in linear
/// time, and written as SVG directly, or as pinned positions for `neato -n2` (PNG, PDF).
///
/// Each node is a box of two or three short lines (label and name with the formula; the
/// value; the tangent or adjoint), edges are the layout's orthogonal polylines.
enum LayeredPicture {
    /// Points per layout cell, across and down (the layout is in character cells).
    static let cellWidth = 6.6, cellHeight = 13.0
    static let titleHeight = 30.0

    /// The text lines of node `i` and their colours.
    static func lines(_ scene: Scene, _ i: Int, _ p: DotPalette, _ options: DotOptions) -> [(String, String)] {
        let tape = scene.tape, e = tape.entries[i]
        var head = tape.label(i)
        if let name = tape.names[i], name != head { head += " " + name }
        if e.op.kind != .leaf { head += "  " + tape.formula(i) }
        var lines = [(head, p.text)]
        let digits = options.digits
        lines.append(("= " + (scene.showValue[i] ? Scene.preview(scene.slice(scene.values, i), e.shape, digits: digits) : Format.pending), p.value))
        if let adjoints = scene.adjoints, e.op != .constant, i <= tape.output {
            let text = scene.showAdjoint[i] ? Scene.preview(scene.slice(adjoints, i), e.shape, digits: digits) : Format.pending
            lines.append((tape.adjointLabel(i) + " = " + text, p.adjoint))
        } else if let tangents = scene.tangents, e.op != .constant, scene.phase == .forward {
            let text = scene.showTangent[i] ? Scene.preview(scene.slice(tangents, i), e.shape, digits: digits) : Format.pending
            lines.append((tape.tangentLabel(i) + " = " + text, p.tangent))
        }
        return lines.map { (String($0.0.prefix(48)), $0.1) }
    }

    /// The layered layout of `scene` in the given direction or, without one, in the direction
    /// whose picture is closer to 16:9.
    static func layout(_ scene: Scene, _ options: DotOptions) -> (GraphLayout, DotOptions.RankDir) {
        if let fixed = options.rankdir { return (layout(scene, options, rankdir: fixed), fixed) }
        func distance(_ l: GraphLayout) -> Double {
            Swift.abs(Foundation.log(Swift.max(1, Double(l.width) * cellWidth) / Swift.max(1, Double(l.height) * cellHeight) / (16.0 / 9.0)))
        }
        let lr = layout(scene, options, rankdir: .LR)
        if distance(lr) < Foundation.log(3 / (16.0 / 9.0)) { return (lr, .LR) }
        let tb = layout(scene, options, rankdir: .TB)
        return distance(tb) < distance(lr) ? (tb, .TB) : (lr, .LR)
    }

    /// The layered layout of `scene`'s nodes (every node's box fits its lines).
    static func layout(_ scene: Scene, _ options: DotOptions, rankdir: DotOptions.RankDir) -> GraphLayout {
        let p = options.palette.checked
        let tape = scene.tape
        var widths: [Int] = [], rows = 0
        for i in 0..<tape.count {
            let text = lines(scene, i, p, options)
            widths.append((text.map(\.0.count).max() ?? 1) + 2)
            rows = Swift.max(rows, text.count)
        }
        return LayeredLayout.layout(LayoutRequest(operands: tape.entries.map(\.operands), widths: widths,
                                                  height: rows + 2, leftToRight: rankdir == .LR))
    }

    /// The whole picture as SVG.
    static func svg(_ scene: Scene, name: String, options: DotOptions, title: String) -> String {
        let p = options.palette.checked
        let (layout, _) = layout(scene, options)
        let cw = cellWidth, ch = cellHeight, top = titleHeight
        func n(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
        let width = Swift.max(Double(layout.width) * cw, 400), height = Double(layout.height) * ch + top
        var out: [String] = []
        out.reserveCapacity(scene.tape.count * 8)
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.append("<!-- gradstep: \(DotWriter.escape(name)), laid out by gradstep's layered layout -->")
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))pt\" height=\"\(n(height))pt\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"\(DotWriter.escape(options.font))\" font-size=\"11\">")
        out.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
            + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(p.edge)\"/></marker></defs>")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"\(p.background)\"/>")
        out.append("<text x=\"8\" y=\"20\" font-size=\"14\" fill=\"\(p.title)\"><tspan font-weight=\"bold\">\(DotWriter.escape(name))</tspan>"
            + "<tspan fill=\"\(p.muted)\">  \(DotWriter.escape(title))</tspan></text>")
        out.append("<g class=\"edges\" fill=\"none\" stroke=\"\(p.edge)\" stroke-width=\"1\">")
        for edge in layout.edges where edge.points.count >= 2 {
            let points = edge.points.map { "\(n((Double($0.x) + 0.5) * cw)),\(n((Double($0.y) + 0.5) * ch + top))" }
            out.append("<polyline points=\"\(points.joined(separator: " "))\" marker-end=\"url(#arrow)\"/>")
        }
        out.append("</g>")
        for box in layout.boxes {
            let i = box.node, e = scene.tape.entries[i]
            let fill: DotPalette.NodeFill
            switch e.op.leaf {
            case .input: fill = .input
            case .param: fill = .param
            case .constant: fill = .constant
            case nil: fill = .plain
            }
            let x = Double(box.x) * cw, y = Double(box.y) * ch + top
            out.append("<g class=\"node\" id=\"n\(i)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(Double(box.width) * cw))\" "
                + "height=\"\(n(Double(box.height) * ch))\" rx=\"\(e.op == .input ? 4 : 0)\" fill=\"\(p.fill(fill))\" stroke=\"\(i == scene.tape.output ? p.output : p.border)\"/>")
            for (k, line) in lines(scene, i, p, options).enumerated() {
                out.append("<text x=\"\(n(x + cw))\" y=\"\(n(y + (Double(k) + 1.85) * ch))\" fill=\"\(line.1)\">\(DotWriter.escape(line.0))</text>")
            }
            out.append("</g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The layered layout as positions for `neato -n2`: box centres in points (y up, as
    /// Graphviz counts), sizes in inches; edges left for neato to draw straight.
    static func pinned(_ scene: Scene, options: DotOptions) -> PinnedLayout {
        let (layout, rankdir) = layout(scene, options)
        let cw = cellWidth, ch = cellHeight
        let height = Double(layout.height) * ch
        var nodes: [Int: PinnedLayout.Box] = [:]
        for b in layout.boxes {
            let x = (Double(b.x) + Double(b.width) / 2) * cw, y = height - (Double(b.y) + Double(b.height) / 2) * ch
            nodes[b.node] = PinnedLayout.Box(x: Format.short(x, digits: 8), y: Format.short(y, digits: 8),
                                             width: Format.short(Double(b.width) * cw / 72, digits: 6),
                                             height: Format.short(Double(b.height) * ch / 72, digits: 6))
        }
        let bb = "0,0,\(Format.short(Double(layout.width) * cw, digits: 8)),\(Format.short(height + titleHeight, digits: 8))"
        return PinnedLayout(rankdir: rankdir, boundingBox: bb, nodes: nodes, edges: [:])
    }
}
