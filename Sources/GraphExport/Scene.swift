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
    /// Edges that carry a chain-rule term, with their style.
    var edges: [EdgeKey: (Contribution, EdgeStatus)] = [:]
    var subtitle = ""
    /// (steps done, steps in the sweep) for a frame.
    var step: (Int, Int)?
    var caption: String?

    init(_ explanation: Explanation) {
        self.explanation = explanation
        let tape = explanation.tape
        showValue = Array(repeating: true, count: tape.count)
        showTangent = Array(repeating: false, count: tape.count)
        showAdjoint = Array(repeating: false, count: tape.count)
        status = Array(repeating: .plain, count: tape.count)
    }

    // MARK: - Numbers

    /// A value as text: a scalar, a small tensor in full, a large one as its size.
    static func numbers(_ v: ArraySlice<Double>, _ shape: Shape) -> String {
        if shape.isScalar { return v.first.map { Format.short($0) } ?? "" }
        if shape.count > DotWriter.smallTensor { return "\(shape.count) values" }
        return Format.tensor(v, shape)
    }

    /// The same, one line per matrix row.
    static func lines(_ v: ArraySlice<Double>, _ shape: Shape) -> [String] {
        guard shape.rank == 2, shape.count <= DotWriter.smallTensor else { return [numbers(v, shape)] }
        let c = Int(shape.cols), start = v.startIndex
        return (0..<Int(shape.rows)).map { r in
            Format.tensor(v[start + r * c ..< start + (r + 1) * c], .vector(c))
        }
    }

    func slice(_ buffer: [Double], _ i: Int) -> ArraySlice<Double> {
        let e = tape.entries[i]
        return buffer[Int(e.offset) ..< Int(e.offset) + e.count]
    }

    // MARK: - DOT

    func render(name: String, options: DotOptions) -> String {
        let p = options.palette.checked
        let q = DotWriter.quoted
        var out: [String] = []
        out.append("// gradstep: \(DotWriter.escape(name)), \(phase.rawValue)" + (step.map { ", step \($0.0) of \($0.1)" } ?? ""))
        out.append("digraph \(q(name)) {")
        var title = "<B>\(DotWriter.escape(name))</B>  <FONT COLOR=\(q(p.muted))>\(DotWriter.escape(subtitle))"
        if let (done, count) = step { title += " · step \(done) of \(count)" }
        title += "</FONT>"
        if let caption { title += "<BR/>" + DotWriter.escape(caption) }
        out.append("  graph [rankdir=\(options.rankdir.rawValue), bgcolor=\(q(p.background)), fontname=\(q(options.font)), "
            + "fontsize=14, fontcolor=\(q(p.title)), labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.45, label=<\(title)>];")
        out.append("  node [shape=box, style=filled, fontname=\(q(options.font)), fontsize=11, margin=\"0.1,0.05\", "
            + "color=\(q(p.border)), fillcolor=\(q(p.background)), fontcolor=\(q(p.text))];")
        out.append("  edge [color=\(q(p.edge)), fontname=\(q(options.font)), fontsize=9, fontcolor=\(q(p.edge)), arrowsize=0.7];")
        for i in 0..<tape.count {
            out.append("  n\(i) [label=<\(nodeLabel(i, kink: explanation.isKink(i), p))>, \(nodeStyle(i, p))];")
        }
        let sources = tape.differentiableLeaves
        if !sources.isEmpty {
            out.append("  { rank=min; " + sources.map { "n\($0);" }.joined(separator: " ") + " }")
        }
        for i in tape.firstComputed ..< tape.count {
            for (k, a) in tape.entries[i].operands.enumerated() {
                out.append("  n\(a) -> n\(i)" + edgeAttributes(EdgeKey(consumer: i, position: k), p) + ";")
            }
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    func nodeLabel(_ i: Int, kink: Bool, _ p: DotPalette) -> String {
        let e = tape.entries[i]
        let esc = DotWriter.escape
        func font(_ colour: String, _ text: String) -> String {
            "<FONT COLOR=\(DotWriter.quoted(colour))>\(text)</FONT>"
        }
        let label = tape.label(i)
        var head = "<B>\(esc(label))</B>"
        if let name = tape.names[i], name != label { head += " " + esc(name) }
        var rows = [head]
        switch e.op {
        case .input: rows.append(font(p.muted, "input"))
        case .param: rows.append(font(p.muted, "param"))
        case .constant: rows.append(font(p.muted, "const · no gradient"))
        default: rows.append(font(p.muted, esc(tape.formula(i))))
        }
        if !e.shape.isScalar { rows.append(font(p.muted, esc(e.shape.description))) }
        func numberRows(_ prefix: String, _ v: ArraySlice<Double>?, _ colour: String) {
            guard let v else {
                rows.append(font(p.muted, esc(prefix + " ?")))
                return
            }
            let lines = Scene.lines(v, e.shape)
            for (n, line) in lines.enumerated() {
                rows.append(font(colour, esc((n == 0 ? prefix + " " : "") + line)))
            }
        }
        numberRows("=", showValue[i] ? slice(values, i) : nil, p.value)
        if let tangents, e.op != .constant, phase == .forward {
            numberRows(tape.tangentLabel(i) + " =", showTangent[i] ? slice(tangents, i) : nil, p.tangent)
        }
        if let adjoints, e.op != .constant, i <= tape.output {
            numberRows(tape.adjointLabel(i) + " =", showAdjoint[i] ? slice(adjoints, i) : nil, p.adjoint)
        }
        if kink && showValue[i] { rows.append(font(p.kink, "kink: subgradient used")) }
        return rows.joined(separator: "<BR/>")
    }

    func nodeStyle(_ i: Int, _ p: DotPalette) -> String {
        let e = tape.entries[i]
        let q = DotWriter.quoted
        var style = ["filled"]
        var colour = p.border, fill = p.background, font = p.text, pen = "1"
        switch e.op {
        case .input:
            style.append("rounded"); colour = p.input; fill = p.tint(p.input, 0.12); pen = "1.5"
        case .param:
            style.append("diagonals"); colour = p.param; fill = p.tint(p.param, 0.12); pen = "1.5"
        case .constant:
            style.append("dashed"); colour = p.constant; fill = p.tint(p.constant, 0.15); font = p.muted
        default:
            break
        }
        switch status[i] {
        case .plain: break
        case .pending: colour = p.muted; font = p.muted
        case .current: colour = p.current; fill = p.tint(p.current, 0.25); pen = "3"
        case .done:
            if e.op.kind == .leaf { colour = p.done; pen = "2" } else { fill = p.tint(p.done, 0.15) }
        }
        if i == tape.output && status[i] == .plain { colour = p.output }
        var attrs = ["style=\(q(style.joined(separator: ",")))", "color=\(q(colour))",
                     "fillcolor=\(q(fill))", "fontcolor=\(q(font))", "penwidth=\(pen)"]
        if i == tape.output { attrs.append("peripheries=2") }
        return attrs.joined(separator: ", ")
    }

    func edgeAttributes(_ key: EdgeKey, _ p: DotPalette) -> String {
        let q = DotWriter.quoted
        // Constants receive no gradient, so the edge from a constant carries no term.
        guard let (c, edgeStatus) = edges[key], tape.entries[c.operand].op != .constant else { return "" }
        let term = explanation.term(c)
        var lines: [String]
        if let partial = c.partial {
            lines = ["∂ = " + Format.short(partial), "\(tape.adjointLabel(c.consumer))·∂ = " + Scene.numbers(term.value[...], term.shape)]
        } else {
            lines = [term.expanded, "= " + Scene.numbers(term.value[...], term.shape)]
        }
        let colour: String, pen: String
        switch edgeStatus {
        case .plain: colour = p.adjoint; pen = "1"
        case .done: colour = p.done; pen = "1.5"
        case .current: colour = p.current; pen = "3"
        }
        let label = "<FONT COLOR=\(q(colour))>" + lines.map(DotWriter.escape).joined(separator: "<BR/>") + "</FONT>"
        return " [label=<\(label)>, color=\(q(colour)), penwidth=\(pen)]"
    }
}
