import GraphCore

/// What one picture shows of a tape: which numbers are visible, how each node and edge is
/// styled. `DotWriter` fills it for a final state or a frame; `render` turns it into DOT.
struct Scene {
    enum Status { case plain, pending, current, done }
    enum EdgeStatus { case plain, done, current }

    /// The sweep this picture shows; every number, kink and chain-rule term comes from it.
    let explanation: Explanation
    var tape: Tape { explanation.tape }
    var values: [Double] { explanation.values }
    var phase: Phase { explanation.phase }
    var showValue: [Bool]
    var tangents: [Double]?
    var showTangent: [Bool]
    var adjoints: [Double]?
    var showAdjoint: [Bool]
    var status: [Status]
    /// Reverse frames: the adjoints that are partial sums (some of their terms still to come),
    /// drawn dashed and marked "so far" so that they never look final.
    var partial: [Bool]
    /// Edges that carry a chain-rule term, with their style.
    var edges: [EdgeKey: (Contribution, EdgeStatus)] = [:]
    var subtitle = ""
    /// (steps done, steps in the sweep) for a frame.
    var step: (Int, Int)?
    var caption: String?
    /// A line under the title saying what a mark means (the partial adjoints' dashes).
    var legend: String?
    /// Layout only: folded groups' boxes keep a row for the progress line frames draw.
    var reserveProgress = false

    init(_ explanation: Explanation) {
        self.explanation = explanation
        let tape = explanation.tape
        showValue = Array(repeating: true, count: tape.count)
        showTangent = Array(repeating: false, count: tape.count)
        showAdjoint = Array(repeating: false, count: tape.count)
        status = Array(repeating: .plain, count: tape.count)
        partial = Array(repeating: false, count: tape.count)
    }

    /// True when some drawn node shows a partial adjoint: the picture then says what the
    /// dashed boxes mean.
    var hasPartial: Bool { partial.contains(true) }

    /// The legend of the partial mark, for a title or a page.
    static let partialLegend = "dashed box, grey v̄ (so far): a sum still receiving terms"

    // MARK: - Numbers

    /// A value as text: a scalar, a small tensor in full, a large one as its shape and first
    /// entries.
    static func numbers(_ v: ArraySlice<Double>, _ shape: Shape, digits: Int = 6) -> String {
        if shape.isScalar { return v.first.map { Format.short($0, digits: digits) } ?? "" }
        if shape.count > DotWriter.smallTensor { return preview(v, shape, digits: digits) }
        return Format.tensor(v, shape) { Format.short($0, digits: digits) }
    }

    /// A tensor in a few characters, for an edge: `2×3 [0.1, −0.2, …]` (all of it when it
    /// has at most three entries).
    static func preview(_ v: ArraySlice<Double>, _ shape: Shape, digits: Int, entries: Int = 3) -> String {
        if shape.isScalar { return numbers(v, shape, digits: digits) }
        let first = v.prefix(entries).map { Format.short($0, digits: digits) }
        return shape.description + " [" + first.joined(separator: ", ") + (v.count > entries ? ", …]" : "]")
    }

    /// The whole tensor, for a tooltip: `Format.tensor`'s text, cut after `limit` characters
    /// with " …". It is written element by element and stops once past the limit, so a large
    /// tensor's tooltip formats the elements it shows, not all of them (every frame of a pass
    /// has a tooltip per node).
    static func whole(_ v: ArraySlice<Double>, _ shape: Shape, digits: Int, limit: Int = 4000) -> String {
        var text = "", length = 0
        func add(_ s: String) { text += s; length += s.count }
        // Format.nested's brackets over elements start ..< start + count; false once past the limit.
        func nested(_ start: Int, _ count: Int, _ dims: ArraySlice<Int>) -> Bool {
            add("[")
            guard let outer = dims.first, dims.count > 1 else {
                for k in 0..<count {
                    if k > 0 { add(", ") }
                    add(Format.short(v[v.startIndex + start + k], digits: digits))
                    if length > limit { return false }
                }
                add("]")
                return true
            }
            let inner = count / Swift.max(outer, 1)
            for k in 0..<outer {
                if k > 0 { add(", ") }
                guard nested(start + k * inner, inner, dims.dropFirst()) else { return false }
            }
            add("]")
            return true
        }
        if shape.rank == 0 {
            if let x = v.first { add(Format.short(x, digits: digits)) }
        } else {
            _ = nested(0, v.count, shape.dims[...])
        }
        return length > limit ? String(text.prefix(limit)) + " …" : text
    }

    func slice(_ buffer: [Double], _ i: Int) -> ArraySlice<Double> {
        let e = tape.entries[i]
        return buffer[Int(e.offset) ..< Int(e.offset) + e.count]
    }

    /// True when node `i` is not drawn: a constant written into its consumers' labels.
    func hidden(_ i: Int, _ options: DotOptions) -> Bool {
        !options.showConstants && tape.entries[i].op == .constant
    }

    // MARK: - DOT

    /// The picture as DOT text. A `FrameDrawer` passed as `memo` reuses what an earlier frame
    /// of its sweep drew the same (see `FrameDrawer`); the text is the same either way.
    func render(name: String, options: DotOptions, pinned: PinnedLayout? = nil, memo: FrameDrawer? = nil) -> String {
        let p = options.palette.checked
        let q = DotWriter.quoted
        let rankdir = pinned?.rankdir ?? options.rankdir ?? Scene.chooseRankdir(tape, options: options)
        var out: [String] = []
        out.append("// gradstep: \(DotWriter.escape(name)), \(phase.rawValue)" + (step.map { ", step \($0.0) of \($0.1)" } ?? ""))
        out.append("digraph \(q(name)) {")
        var title = "<B>\(DotWriter.escape(name))</B>  <FONT COLOR=\(q(p.muted))>\(DotWriter.escape(subtitle))"
        if let (done, count) = step { title += " · step \(done) of \(count)" }
        title += "</FONT>"
        // A blank line where the layout kept one for the legend, so that every picture that
        // shares the layout has the same size.
        if let line = legend ?? (pinned?.legendLine == true ? " " : nil) {
            title += "<BR/><FONT COLOR=\(q(p.muted)) POINT-SIZE=\"11\">\(DotWriter.escape(line))</FONT>"
        }
        if let note = options.note { title += "<BR/><FONT COLOR=\(q(p.muted)) POINT-SIZE=\"11\">\(DotWriter.escape(note))</FONT>" }
        if let caption { title += "<BR/>" + DotWriter.escape(caption) }
        var graph = "rankdir=\(rankdir.rawValue), bgcolor=\(q(p.background)), fontname=\(q(options.font)), "
            + "fontsize=14, fontcolor=\(q(p.title)), labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.45, "
            + "pad=0.1, label=<\(title)>"
        // Routes come with the layout; without them (gradstep's own layout) neato draws lines.
        if let pinned { graph += ", bb=\(q(pinned.boundingBox)), splines=\(pinned.edges.isEmpty ? "line" : "true")" }
        out.append("  graph [\(graph)];")
        out.append("  node [shape=box, style=filled, fontname=\(q(options.font)), fontsize=11, margin=\"0.1,0.05\", "
            + "color=\(q(p.border)), fillcolor=\(q(p.background)), fontcolor=\(q(p.text))];")
        out.append("  edge [color=\(q(p.edge)), fontname=\(q(options.font)), fontsize=9, fontcolor=\(q(p.edge)), arrowsize=0.7];")
        for i in 0..<tape.count where !hidden(i, options) && !isFolded(i, options) {
            if let memo {
                out.append(memo.node(i, of: self) { nodeLine(i, p, options, pinned: pinned) })
            } else {
                out.append(nodeLine(i, p, options, pinned: pinned))
            }
        }
        out.append(contentsOf: groupBoxLines(options, pinned: pinned))
        if let memo {
            out.append(contentsOf: memo.fixed { sweepLines(options, pinned: pinned) })
        } else {
            out.append(contentsOf: sweepLines(options, pinned: pinned))
        }
        for edge in memo?.drawnEdges(of: self, options) ?? drawnEdges(options) {
            if let memo {
                out.append(memo.edge(edge.key, edges[edge.key]?.1) { edgeLine(edge, p, options, pinned: pinned) })
            } else {
                out.append(edgeLine(edge, p, options, pinned: pinned))
            }
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    /// Node `i`'s DOT line: its box with its label, style, tooltip and, when pinned, place.
    func nodeLine(_ i: Int, _ p: DotPalette, _ options: DotOptions, pinned: PinnedLayout?) -> String {
        let q = DotWriter.quoted
        var line = "  n\(i) [label=<\(nodeLabel(i, kink: explanation.isKink(i), p, options))>, \(nodeStyle(i, p))"
        line += ", tooltip=\(q(tooltip(i, options)))"
        if let box = pinned?.nodes[i] {
            line += ", pos=\"\(box.x),\(box.y)!\", width=\(box.width), height=\(box.height), fixedsize=true"
        }
        return line + "];"
    }

    /// The lines that depend on the layout and the options but on no number or step: open
    /// groups' frames, a pinned picture's corners, and the ranks (the inputs' column, or
    /// the rows of a wrapped picture).
    func sweepLines(_ options: DotOptions, pinned: PinnedLayout?) -> [String] {
        var out = openGroupClusters(options, pinned: pinned)
        // neato trims a pinned picture to its nodes; two invisible corners keep the whole box.
        if let corners = pinned?.corners {
            for (k, c) in corners.enumerated() {
                out.append("  corner\(k) [shape=point, style=invis, width=0, height=0, label=\"\", pos=\"\(c)!\"];")
            }
        }
        // Inputs start the picture; params and constants find their place next to their
        // first consumer (Graphviz keeps a source's one edge short), not in the first column.
        // A node in a rank subgraph and a cluster makes dot drop the cluster: framed inputs
        // stay out of the first rank.
        let framed = Set(folding(options).map { f in f.groups.filter { f.isOpen($0.name) }.flatMap(\.members) } ?? [])
        let inputs = (0..<tape.firstComputed).filter { tape.entries[$0].op == .input && !isFolded($0, options) && !framed.contains($0) }
        if let wrap = options.wrap, pinned == nil {
            out.append(contentsOf: Wrap.lines(wrapRows(wrap, options)))
        } else if !inputs.isEmpty && pinned == nil {
            out.append("  { rank=min; " + inputs.map { "n\($0);" }.joined(separator: " ") + " }")
        }
        return out
    }

    /// One drawn edge's DOT line: its chain-rule term, style and, when pinned, route.
    func edgeLine(_ edge: DrawnEdge, _ p: DotPalette, _ options: DotOptions, pinned: PinnedLayout?) -> String {
        let q = DotWriter.quoted
        let key = edge.key
        // An edge standing for several (into or out of a folded group) has no single term.
        var attributes = edge.count == 1 ? edgeAttributes(key, p, options) : []
        if let route = pinned?.edges[key] {
            attributes.append("pos=\(q(route.pos))")
            if let lp = route.labelPosition { attributes.append("lp=\(q(lp))") }
        }
        // No gradient crosses a stop_gradient or a comparison: its operand's edge is drawn cut.
        if tape.entries[key.consumer].op.stopsGradient { attributes += ["style=dashed", "arrowhead=tee"] }
        attributes.append("id=\"e\(key.consumer)_\(key.position)\"")
        return "  \(edge.from) -> \(edge.to) [" + attributes.joined(separator: ", ") + "];"
    }

    /// What hovering over node `i` shows: its label, name and whole value.
    func tooltip(_ i: Int, _ options: DotOptions) -> String {
        var parts = [tape.label(i) + (tape.names[i].map { $0 == tape.label(i) ? "" : " (\($0))" } ?? "")]
        if showValue[i] { parts.append("= " + Scene.whole(slice(values, i), tape.entries[i].shape, digits: options.digits)) }
        if let adjoints, showAdjoint[i] {
            parts.append(tape.adjointLabel(i) + " = " + Scene.whole(slice(adjoints, i), tape.entries[i].shape, digits: options.digits))
        }
        if let tangents, showTangent[i] {
            parts.append(tape.tangentLabel(i) + " = " + Scene.whole(slice(tangents, i), tape.entries[i].shape, digits: options.digits))
        }
        return parts.joined(separator: "  ")
    }

    /// An HTML-like table: one cell per text row, and for a matrix one cell per column so
    /// that the columns line up.
    func nodeLabel(_ i: Int, kink: Bool, _ p: DotPalette, _ options: DotOptions) -> String {
        let e = tape.entries[i]
        let esc = DotWriter.escape
        func font(_ colour: String, _ text: String) -> String {
            "<FONT COLOR=\(DotWriter.quoted(colour))>\(text)</FONT>"
        }
        enum Row { case text(String), cells([String]) }
        let label = tape.label(i)
        var head = "<B>\(esc(label))</B>"
        if let name = tape.names[i], name != label { head += " " + esc(name) }
        var rows: [Row] = [.text(head)]
        switch e.op.leaf {
        case .input: rows.append(.text(font(p.muted, "input")))
        case .param: rows.append(.text(font(p.muted, "param")))
        case .constant: rows.append(.text(font(p.muted, "const · no gradient")))
        case nil: rows.append(.text(font(p.muted, esc(tape.formula(i)))))
        }
        // Hidden constants this node reads, by name, when the formula shows only the name.
        for a in e.operands where hidden(a, options) {
            let c = tape.entries[a], text = Scene.numbers(slice(values, a), c.shape, digits: options.digits)
            if tape.label(a) != text { rows.append(.text(font(p.muted, esc("\(tape.label(a)) = \(text) (const)")))) }
        }
        if !e.shape.isScalar { rows.append(.text(font(p.muted, esc(e.shape.description)))) }
        func numberRows(_ prefix: String, _ v: [Double]?, _ colour: String, dimZeros: Bool = false) {
            guard let v else {
                rows.append(.text(font(p.muted, esc(prefix + " " + Format.pending))))
                return
            }
            if Scene.drawsAsTable(e.shape) {
                rows += Scene.tableRows(v, e.shape, prefix: prefix, colour: colour, muted: p.muted, digits: options.digits,
                                        dim: { dimZeros && $0 == 0 }).map(Row.cells)
            } else {
                rows.append(.text(font(colour, esc(prefix + " " + Scene.numbers(v[...], e.shape, digits: options.digits)))))
            }
        }
        numberRows("=", showValue[i] ? readable(.value, i) : nil, p.value)
        if tangents != nil, e.op != .constant, phase == .forward {
            numberRows(tape.tangentLabel(i) + " =", showTangent[i] ? readable(.tangent, i) : nil, p.tangent)
        }
        if adjoints != nil, e.op != .constant, i <= tape.output {
            let soFar = partial[i] && showAdjoint[i]
            // Entries that received no gradient (a max-pool's losers) are drawn muted.
            numberRows(tape.adjointLabel(i) + (soFar ? " (so far) =" : " ="), showAdjoint[i] ? readable(.adjoint, i) : nil,
                       soFar ? p.muted : p.adjoint, dimZeros: e.shape.rank >= 3)
        }
        if kink && showValue[i] { rows.append(.text(font(p.kink, "kink: subgradient used"))) }
        let columns = rows.map { if case let .cells(c) = $0 { c.count } else { 1 } }.max() ?? 1
        var html = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
        for row in rows {
            switch row {
            case let .text(text):
                html += "<TR><TD COLSPAN=\"\(columns)\" ALIGN=\"LEFT\">\(text)</TD></TR>"
            case let .cells(cells):
                html += "<TR>" + cells.joined() + String(repeating: "<TD></TD>", count: columns - cells.count) + "</TR>"
            }
        }
        return html + "</TABLE>"
    }

    func nodeStyle(_ i: Int, _ p: DotPalette) -> String {
        let e = tape.entries[i]
        let q = DotWriter.quoted
        var style = ["filled"]
        var colour = p.border, fill = p.fill(.plain), font = p.text, pen = "1"
        switch e.op.leaf {
        case .input:
            style.append("rounded"); colour = p.input; fill = p.fill(.input); pen = "1.5"
        case .param:
            style.append("diagonals"); colour = p.param; fill = p.fill(.param); pen = "1.5"
        case .constant:
            style.append("dashed"); colour = p.constant; fill = p.fill(.constant); font = p.muted
        case nil:
            break
        }
        switch status[i] {
        case .plain: break
        case .pending: colour = p.muted; font = p.muted
        case .current: colour = p.current; fill = p.fill(.current); pen = "3"
        case .done:
            if e.op.kind == .leaf { colour = p.done; pen = "2" } else { fill = p.fill(.done) }
        }
        if i == tape.output && status[i] == .plain { colour = p.output }
        if partial[i] && showAdjoint[i] { style.append("dashed") }
        var attrs = ["style=\(q(style.joined(separator: ",")))", "color=\(q(colour))",
                     "fillcolor=\(q(fill))", "fontcolor=\(q(font))", "penwidth=\(pen)"]
        if i == tape.output { attrs.append("peripheries=2") }
        return attrs.joined(separator: ", ")
    }

    /// Label, colour and tooltip of one edge; empty when it carries no chain-rule term.
    func edgeAttributes(_ key: EdgeKey, _ p: DotPalette, _ options: DotOptions) -> [String] {
        let q = DotWriter.quoted
        // Constants receive no gradient, so the edge from a constant carries no term.
        guard let (c, edgeStatus) = edges[key], tape.entries[c.operand].op != .constant else { return [] }
        let term = explanation.term(c)
        let digits = options.digits
        var lines: [String], whole: String
        if let partial = c.partial {
            lines = ["∂ = " + Format.short(partial, digits: digits),
                     "\(tape.adjointLabel(c.consumer))·∂ = " + Scene.preview(term.value[...], term.shape, digits: digits)]
            whole = lines[0] + "  " + "\(tape.adjointLabel(c.consumer))·∂ = " + Scene.whole(term.value[...], term.shape, digits: digits)
        } else {
            lines = [term.expanded, "= " + Scene.preview(term.value[...], term.shape, digits: digits)]
            whole = term.expanded + " = " + Scene.whole(term.value[...], term.shape, digits: digits)
        }
        let line: String, text: String, pen: String
        switch edgeStatus {
        case .plain: line = p.adjoint; text = p.adjoint; pen = "1"
        case .done: line = p.done; text = p.done; pen = "1.5"
        case .current: line = p.current; text = p.text; pen = "3"
        }
        var body = lines.map(DotWriter.escape).joined(separator: "<BR/>")
        if edgeStatus == .current { body = "<B>" + body + "</B>" }
        return ["label=<<FONT COLOR=\(q(text))>\(body)</FONT>>", "color=\(q(line))", "penwidth=\(pen)",
                "labeltooltip=\(q(whole))", "edgetooltip=\(q(whole))"]
    }
}
