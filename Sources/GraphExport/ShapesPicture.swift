import Foundation
import GraphCore

/// The picture of a graph too large to evaluate (read for its shapes only, as
/// `Graphs/full-size/vgg11-features.grad`: 9 million weights, 46-million-element feature
/// maps): its structure and shapes, with no numbers. Each box shows what it computes and the
/// shape that comes out; each edge the shape it carries; a folded box (`FoldToFit`'s stages)
/// its ops, its output's shape and the params inside with how many values they hold.
enum ShapesPicture {
    /// The picture's DOT, folded by `folding` (nil: every node), laid out `rankdir` with
    /// `wrap` layers to a row.
    static func dot(_ tape: Tape, name: String, folding: GroupFolding?, note: String?, rankdir: DotOptions.RankDir,
                    wrap: Int?, options: DotOptions) -> String {
        let p = options.palette.checked
        let q = DotWriter.quoted, esc = DotWriter.escape
        func muted(_ text: String) -> String { "<FONT COLOR=\(q(p.muted))>\(esc(text))</FONT>" }
        func table(_ rows: [String]) -> String {
            "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
                + rows.map { "<TR><TD ALIGN=\"LEFT\">\($0)</TD></TR>" }.joined() + "</TABLE>"
        }
        func hidden(_ i: Int) -> Bool { !options.showConstants && tape.entries[i].op == .constant }
        func box(_ i: Int) -> String { folding?.foldedGroup(of: i).map { "g\($0)" } ?? "n\(i)" }
        func named(_ i: Int) -> String {
            tape.label(i) + (tape.names[i].map { $0 == tape.label(i) ? "" : " " + $0 } ?? "")
        }
        var title = "<B>\(esc(name))</B>  " + muted("shapes only: too large to evaluate (gradstep info lists every shape)")
        if let note { title += "<BR/><FONT COLOR=\(q(p.muted)) POINT-SIZE=\"11\">\(esc(note))</FONT>" }
        var out = ["// gradstep: \(esc(name)), shapes only", "digraph \(q(name)) {"]
        out.append("  graph [rankdir=\(rankdir.rawValue), bgcolor=\(q(p.background)), fontname=\(q(options.font)), fontsize=14, "
            + "fontcolor=\(q(p.title)), labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.45, pad=0.1, label=<\(title)>];")
        out.append("  node [shape=box, style=filled, fontname=\(q(options.font)), fontsize=11, margin=\"0.1,0.05\", "
            + "color=\(q(p.border)), fillcolor=\(q(p.background)), fontcolor=\(q(p.text))];")
        out.append("  edge [color=\(q(p.edge)), fontname=\(q(options.font)), fontsize=9, fontcolor=\(q(p.edge)), arrowsize=0.7];")
        var boxes: [String] = [], inputs = Set<String>()
        for i in 0 ..< tape.count where !hidden(i) && folding?.foldedGroup(of: i) == nil {
            let e = tape.entries[i]
            var rows = ["<B>\(esc(named(i)))</B>"]
            switch e.op.leaf {
            case .input: rows.append(muted("input"))
            case .param: rows.append(muted("param · \(Limits.grouped(e.shape.count)) values"))
            case .constant: rows.append(muted("const"))
            case nil: rows.append(muted(tape.formula(i)))
            }
            rows.append(esc(e.shape.description))
            let style = e.op == .input ? "filled,rounded" : e.op == .param ? "filled,diagonals" : "filled"
            out.append("  n\(i) [label=<\(table(rows))>, style=\(q(style))\(i == tape.output ? ", peripheries=2, color=\(q(p.output))" : "")];")
            boxes.append("n\(i)")
            if e.op == .input { inputs.insert("n\(i)") }
        }
        for (k, g) in (folding?.groups ?? []).enumerated() where folding?.isOpen(g.name) == false && !g.members.isEmpty {
            var rows = ["<B>\(esc(g.name))</B>", muted("folded to fit · \(g.members.count) nodes")]
            let ops = g.members.filter { tape.entries[$0].op.kind != .leaf }.map { tape.entries[$0].op.name }
            rows.append(muted(ops.prefix(6).joined(separator: " → ") + (ops.count > 6 ? " → … (\(ops.count) ops)" : "")))
            for o in g.outputs.suffix(2) { rows.append(esc("\(named(o)): \(tape.entries[o].shape)")) }
            let params = g.members.filter { tape.entries[$0].op == .param }
            if !params.isEmpty {
                let values = params.reduce(0) { $0 + tape.entries[$1].shape.count }
                let shown = params.prefix(2).map { "\(tape.names[$0] ?? tape.label($0)) \(tape.entries[$0].shape)" }.joined(separator: ", ")
                rows.append(muted("params " + shown + (params.count > 2 ? ", …" : "") + ": \(Limits.grouped(values)) values"))
            }
            out.append("  g\(k) [label=<\(table(rows))>, shape=box3d, margin=\"0.14,0.12\", penwidth=1.5\(g.members.contains(tape.output) ? ", color=\(q(p.output))" : "")];")
            boxes.append("g\(k)")
        }
        // One edge per pair of boxes, labelled with the shape it carries when it is one value.
        var edges: [(from: String, to: String)] = [], carried: [String: Set<Int>] = [:]
        for i in tape.firstComputed ..< tape.count {
            for a in tape.entries[i].operands where !hidden(a) {
                let from = box(a), to = box(i), pair = from + ">" + to
                guard from != to else { continue }
                if carried[pair] == nil { edges.append((from, to)) }
                carried[pair, default: []].insert(a)
            }
        }
        if let wrap { out.append(contentsOf: Wrap.lines(Wrap.rows(wrap, boxes: boxes, inputs: inputs, edges: edges))) }
        for e in edges {
            let values = carried[e.from + ">" + e.to] ?? []
            let label = values.count == 1 ? " [label=\(q(tape.entries[values.first!].shape.description))]" : ""
            out.append("  \(e.from) -> \(e.to)\(label);")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }
}

extension BatchExport {
    /// The file of a job whose tape was read for its shapes only: its picture of shapes, folded
    /// as much as it must be to fit a slide and a page (measured as `foldedToFit` does; every
    /// node with `--detail full`). Frames need numbers, so they are refused.
    func shapesPlan(_ job: ExportJob, graphviz: Graphviz?, file: URL) async throws(ExportError) -> [FileTask] {
        if job.frames {
            throw .io(file: file.path, message: "\(job.name) is too large to evaluate, so it has no steps to draw: export it without --frames")
        }
        var best: (dot: String, fit: Double)?
        let candidates = foldToFit ? FoldToFit.candidates(job.tape, existing: nil) : []
        if job.format.needsGraphviz, var capped = graphviz, !candidates.isEmpty {
            capped.timeout = Swift.min(capped.timeout, LayoutChoice.dotSeconds)
            for candidate in candidates {
                let folding: GroupFolding? = candidate.folding, note: String? = candidate.note
                func dot(_ rankdir: DotOptions.RankDir, _ wrap: Int?) -> String {
                    ShapesPicture.dot(job.tape, name: job.name, folding: folding, note: note, rankdir: rankdir, wrap: wrap, options: options)
                }
                let cost = LayoutChoice.dotCost(job.tape, options: options, folding: folding)
                guard cost <= LayoutChoice.dotBudget,
                      let layout = try? await capped.slideLayout(dot, fixed: options.rankdir, estimate: .TB,
                                                                 jointly: cost <= LayoutChoice.jointBudget, for: file) else { continue }
                if best == nil || layout.fit > best!.fit { best = (dot(layout.rankdir, layout.wrap), layout.fit) }
                if layout.fit >= FoldToFit.spare { break }
            }
        }
        let dot = best?.dot ?? ShapesPicture.dot(job.tape, name: job.name, folding: nil, note: nil,
                                                  rankdir: options.rankdir ?? .TB, wrap: nil, options: options)
        return [FileTask(job: job.name, file: file, content: .dot(dot, job.format, pinned: false), force: job.force)]
    }
}
