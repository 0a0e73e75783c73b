import GraphCore

// Folded groups in a picture: each is one box `g<k>` (k its index in `GroupFolding.groups`)
// in place of its members, with its name, what it is, its outputs' numbers and, in a frame,
// how far the sweep has got inside it ("reverse: 2 of 3 done"); a step inside it highlights
// the box. Edges between a member and the outside run to and from the box; edges between
// two members vanish with them; several edges between the same two boxes become one (it
// keeps its chain-rule label only when it stands for a single edge).

extension Scene {
    /// An edge as drawn: from box to box, the first tape edge it stands for, and how many.
    typealias DrawnEdge = (from: String, to: String, key: EdgeKey, count: Int)

    /// The options' folding when it was made for this tape (nil otherwise: group members are
    /// tape indices, meaningless on another tape, such as a scalar expansion).
    func folding(_ options: DotOptions) -> GroupFolding? {
        guard let folding = options.folding, folding.nodeCount == tape.count else { return nil }
        return folding
    }

    /// The DOT id of the box node `i` is drawn in.
    func boxID(_ i: Int, _ options: DotOptions) -> String {
        if let k = folding(options)?.foldedGroup(of: i) { return "g\(k)" }
        return "n\(i)"
    }

    /// True when node `i` is drawn inside a folded group's box, not as a box of its own.
    func isFolded(_ i: Int, _ options: DotOptions) -> Bool {
        folding(options)?.foldedGroup(of: i) != nil
    }

    /// One line per folded group's box.
    func groupBoxLines(_ options: DotOptions, pinned: PinnedLayout?) -> [String] {
        guard let folding = folding(options) else { return [] }
        let p = options.palette.checked
        let q = DotWriter.quoted
        var lines: [String] = []
        for (k, g) in folding.groups.enumerated() where !folding.isOpen(g.name) && !g.members.isEmpty {
            let (label, status) = groupLabel(g, p, options)
            var colour = p.border, fill = p.fill(.plain), font = p.text, pen = "1.5"
            switch status {
            case .plain: break
            case .pending: colour = p.muted; font = p.muted
            case .current: colour = p.current; fill = p.fill(.current); pen = "3"
            case .done: fill = p.fill(.done)
            }
            if g.members.contains(tape.output) && status == .plain { colour = p.output }
            var line = "  g\(k) [label=<\(label)>, shape=box3d, margin=\"0.14,0.12\", style=\"filled\", color=\(q(colour)), fillcolor=\(q(fill)), "
                + "fontcolor=\(q(font)), penwidth=\(pen), tooltip=\(q(groupTooltip(g, options)))"
            if let box = pinned?.groupBoxes[k] {
                line += ", pos=\"\(box.x),\(box.y)!\", width=\(box.width), height=\(box.height), fixedsize=true"
            }
            lines.append(line + "];")
        }
        return lines
    }

    /// The box's HTML-like label and the status it is drawn with: current when the step is
    /// inside, done when every visited member is, pending when none is yet.
    func groupLabel(_ g: NodeGroup, _ p: DotPalette, _ options: DotOptions) -> (String, Status) {
        let esc = DotWriter.escape
        func font(_ colour: String, _ text: String) -> String { "<FONT COLOR=\(DotWriter.quoted(colour))>\(text)</FONT>" }
        var rows = ["<B>\(esc(g.name))</B>"]
        let made = options.madeToFit.contains(g.name)
        // A box made to fit shows two entries of each tensor (the tooltip has them all).
        let entries = made ? 2 : 3
        let what: String = switch g.origin {
        case .block: made ? "folded to fit" : "group"
        case .call(let function): "call of \(function)"
        case .tensor(let shape): shape.isScalar ? "scalar" : "tensor \(shape)"
        }
        rows.append(font(p.muted, esc("\(what) · \(g.members.count) node\(g.members.count == 1 ? "" : "s")" + (made ? "" : " · folded"))))
        let visited = g.members.filter { status[$0] != .plain }
        // The frame shows the state after its step, so the current node counts as done.
        let done = visited.filter { status[$0] == .done || status[$0] == .current }.count
        let current = visited.contains { status[$0] == .current }
        if !visited.isEmpty {
            rows.append(font(current ? p.current : p.muted, esc("\(phase.rawValue): \(done) of \(visited.count) done")))
        } else if reserveProgress {
            let n = g.members.count
            rows.append(font(p.muted, esc("\(Phase.reverse.rawValue): \(n) of \(n) done")))
        }
        // A box of many outputs (a stage of a big graph) shows its last two and counts the rest.
        let shown = g.outputs.count > 3 ? Array(g.outputs.suffix(2)) : g.outputs
        if shown.count < g.outputs.count {
            let more = g.outputs.count - shown.count
            rows.append(font(p.muted, esc("\(more) more output\(more == 1 ? "" : "s") (tooltip)")))
        }
        for o in shown {
            let e = tape.entries[o]
            let name = tape.label(o) + (tape.names[o].map { $0 == tape.label(o) ? "" : " \($0)" } ?? "")
            if showValue[o] {
                rows.append(font(p.value, esc("\(name) = " + Scene.preview(readable(.value, o)[...], e.shape, digits: options.digits, entries: entries))))
            }
            if adjoints != nil, showAdjoint[o], o <= tape.output {
                let soFar = partial[o]
                rows.append(font(soFar ? p.muted : p.adjoint, esc("\(tape.adjointLabel(o))\(soFar ? " (so far)" : "") = "
                    + Scene.preview(readable(.adjoint, o)[...], e.shape, digits: options.digits, entries: entries))))
            }
            if tangents != nil, showTangent[o], phase == .forward {
                rows.append(font(p.tangent, esc("\(tape.tangentLabel(o)) = " + Scene.preview(readable(.tangent, o)[...], e.shape, digits: options.digits, entries: entries))))
            }
        }
        // The gradients of the params (and inputs) inside: what the box's sweep is for.
        // (Leaves the box passes on are among its outputs already.)
        let outputs = Set(g.outputs)
        let leaves = g.members.filter { tape.entries[$0].op.kind == .leaf && tape.entries[$0].op != .constant && !outputs.contains($0) }
        if adjoints != nil {
            for leaf in leaves.prefix(3) where showAdjoint[leaf] {
                let name = tape.names[leaf].map { $0 == tape.label(leaf) ? "" : " (\($0))" } ?? ""
                rows.append(font(partial[leaf] ? p.muted : p.adjoint, esc("\(tape.adjointLabel(leaf))\(name)\(partial[leaf] ? " (so far)" : "") = "
                    + Scene.preview(readable(.adjoint, leaf)[...], tape.entries[leaf].shape, digits: options.digits, entries: entries))))
            }
            if leaves.count > 3 { rows.append(font(p.muted, esc("\(leaves.count - 3) more leaf value\(leaves.count == 4 ? "" : "s") (tooltip)"))) }
        }
        let boxStatus: Status = current ? .current
            : visited.isEmpty ? .plain
            : done == visited.count ? .done
            : done == 0 ? .pending : .plain
        let html = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
            + rows.map { "<TR><TD ALIGN=\"LEFT\">\($0)</TD></TR>" }.joined() + "</TABLE>"
        return (html, boxStatus)
    }

    /// A dashed frame, labelled with its name, around each open group's drawn nodes; in a
    /// pinned picture where the layout put it (without its box, `neato -n2` would frame the
    /// whole picture).
    func openGroupClusters(_ options: DotOptions, pinned: PinnedLayout? = nil) -> [String] {
        guard let folding = folding(options) else { return [] }
        let p = options.palette.checked
        let q = DotWriter.quoted
        var lines: [String] = []
        for (k, g) in folding.groups.enumerated() where folding.isOpen(g.name) {
            let drawn = g.members.filter { !hidden($0, options) && !isFolded($0, options) }
            guard !drawn.isEmpty else { continue }
            var place = ""
            if let pinned {
                guard let frame = pinned.clusters[k] else { continue }
                place = "bb=\(q(frame.bb)); " + (frame.lp.map { "lp=\(q($0)); " } ?? "")
            }
            lines.append("  subgraph cluster_g\(k) { label=\(q(g.name)); labeljust=l; style=\"dashed,rounded\"; " + place
                + "color=\(q(p.muted)); fontcolor=\(q(p.muted)); fontsize=11; "
                + drawn.map { "n\($0);" }.joined(separator: " ") + " }")
        }
        return lines
    }

    /// What hovering over a folded box shows: its members' labels, the numbers of its
    /// outputs and of the params inside, and how to open it.
    func groupTooltip(_ g: NodeGroup, _ options: DotOptions) -> String {
        let members = g.members.count > 40
            ? g.members.prefix(40).map { tape.label($0) }.joined(separator: ", ") + ", … (\(g.members.count) nodes)"
            : g.members.map { tape.label($0) }.joined(separator: ", ")
        var parts = ["\(g.name): \(members)"]
        let leaves = g.members.filter { tape.entries[$0].op.kind == .leaf && tape.entries[$0].op != .constant }
        for i in (g.outputs + leaves).prefix(40) {
            parts.append(tooltip(i, options))
        }
        let how = options.madeToFit.contains(g.name) ? "export with --detail full to draw them" : "export with --open \(g.name) to draw them"
        // Graphviz reads a quoted string of at most 16,384 bytes (a minus sign is three).
        let text = parts.joined(separator: "; ")
        return (text.count > 3000 ? text.prefix(3000) + " …" : text) + " (\(how))"
    }

    /// The edges of the picture, as `(from, to, key, count)`: one per pair of drawn boxes, in
    /// the order of the first tape edge between them; `count` is how many tape edges it stands for.
    func drawnEdges(_ options: DotOptions) -> [DrawnEdge] {
        var result: [DrawnEdge] = []
        var index: [String: Int] = [:]
        let folded = !(folding(options)?.isFlat ?? true)
        for i in tape.firstComputed ..< tape.count {
            for (k, a) in tape.entries[i].operands.enumerated() where !hidden(a, options) {
                let key = EdgeKey(consumer: i, position: k)
                guard folded else {
                    result.append(("n\(a)", "n\(i)", key, 1))
                    continue
                }
                let from = boxID(a, options), to = boxID(i, options)
                if from == to { continue }
                let pair = from + ">" + to
                if let j = index[pair] {
                    result[j].count += 1
                } else {
                    index[pair] = result.count
                    result.append((from, to, key, 1))
                }
            }
        }
        return result
    }
}
