/// The ways a trace can be written out.
public enum TraceFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case text
    /// A GitHub-flavoured Markdown table, for notes and handouts.
    case markdown
    /// Comma-separated, numbers at full precision, for spreadsheets.
    case csv
    /// A LaTeX `tabular` with math-mode labels, for slides and papers.
    case latex
    /// One object per row, numbers at full precision, for scripts.
    case json
    /// Forward mode in dual-number notation, one line per node:
    /// `v₂ = v₋₁·v₀ = (2 + 1ε)(5 + 0ε) = 10 + 5ε`. Other phases have no tangents and are
    /// written as `text`.
    case dual
}

extension Trace {
    /// Column titles and cell texts: `short` numbers for people, `exact` ones for machines.
    func table(exact: Bool) -> (header: [String], cells: [[String]]) {
        func num(_ x: Double) -> String { exact ? Format.exact(x) : Format.short(x) }
        func value(_ v: [Double], _ shape: Shape) -> String {
            shape.isScalar ? num(v[0]) : Format.tensor(v[...], shape, number: num)
        }
        func mark(_ r: TraceRow) -> String { r.kink ? " (kink)" : "" }
        switch phase {
        case .primal:
            return (["node", "name", "formula", "value"], rows.map { r in
                [r.label, r.name ?? "", r.formula + mark(r), value(r.result, r.shape)]
            })
        case .forward:
            return (["node", "name", "tangent", "with partials", "with numbers", "value", "tangent value"], rows.map { r in
                [r.label, r.name ?? "", r.formula + mark(r), r.expanded ?? "", r.numbers ?? "",
                 value(r.primal, r.shape), value(r.result, r.shape)]
            })
        case .reverse:
            // A checkpointed sweep adds the values recomputed before each step.
            let recomputed = checkpoint != nil
            return (["node", "name", "adjoint", "with partials", "with numbers", "adjoint value"] + (recomputed ? ["recomputed"] : []),
                    rows.map { r in
                [r.label, r.name ?? "", r.formula + mark(r), r.expanded ?? "", r.numbers ?? "",
                 value(r.result, r.shape)] + (recomputed ? [r.recomputed.joined(separator: ", ")] : [])
            })
        }
    }

    /// The layers' steps in words, by row label, in the rows' order.
    var remarks: [(label: String, text: String)] {
        rows.flatMap { r in r.remarks.map { (r.label, $0) } }
    }

    /// The trace in `format`.
    public func render(_ format: TraceFormat) -> String {
        switch format {
        case .text:
            let (header, cells) = table(exact: false)
            let used: [Int] = header.indices.filter { (c: Int) -> Bool in
                c == 0 || cells.contains { (row: [String]) -> Bool in !row[c].isEmpty }
            }
            let widths: [Int] = used.map { (c: Int) -> Int in
                cells.reduce(header[c].count) { (widest: Int, row: [String]) -> Int in Swift.max(widest, row[c].count) }
            }
            func line(_ row: [String]) -> String {
                zip(used, widths).map { (c: Int, w: Int) -> String in row[c] + String(repeating: " ", count: w - row[c].count) }
                    .joined(separator: "  ").replacingTrailingSpaces()
            }
            var out = [title, line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
            out += cells.map(line)
            out += remarks.map { "\($0.label): \($0.text)" }
            out += notes
            return out.joined(separator: "\n") + "\n"
        case .markdown:
            let (header, cells) = table(exact: false)
            func line(_ row: [String]) -> String {
                "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
            }
            var out = ["**\(title)**", "", line(header), "|" + header.map { _ in "---|" }.joined()]
            out += cells.map(line)
            if !remarks.isEmpty { out += [""] + remarks.map { "- \($0.label): \($0.text)" } }
            if !notes.isEmpty { out += [""] + notes }
            return out.joined(separator: "\n") + "\n"
        case .csv:
            let (header, cells) = table(exact: true)
            func field(_ s: String) -> String {
                s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            return ([header] + cells).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .latex:
            let (header, cells) = table(exact: false)
            var out = ["% \(title)", "\\begin{tabular}{" + String(repeating: "l", count: header.count) + "}",
                       header.joined(separator: " & ") + " \\\\", "\\hline"]
            out += cells.map { row in
                row.enumerated().map { c, s in
                    s.isEmpty ? "" : (c == 1 ? "\\texttt{\(Trace.latexText(s))}" : "$\(Trace.latexMath(s))$")
                }.joined(separator: " & ") + " \\\\"
            }
            out.append("\\end{tabular}")
            return out.joined(separator: "\n") + "\n"
        case .json:
            return json() + "\n"
        case .dual:
            guard phase == .forward else { return render(.text) }
            let title = self.title.replacingOccurrences(of: "Forward tangent trace", with: "Forward trace in dual numbers a + bε, ε² = 0")
            // With `dualAlgebra`, each step's rule in symbols under its numbers.
            var lines: [String] = []
            for d in dualSentences {
                lines.append(d.line)
                if dualAlgebra, let algebra = d.algebra { lines.append("    " + algebra) }
            }
            return ([title] + lines).joined(separator: "\n") + "\n"
        }
    }

    private func json() -> String {
        let items = rows.map { r -> JSON in
            var fields: [(key: String, value: JSON)] = [
                ("node", .int(r.node)), ("label", .string(r.label)), ("name", r.name.map { .string($0) } ?? .null),
                ("formula", .string(r.formula)),
            ]
            if let e = r.expanded { fields.append(("with_partials", .string(e))) }
            if let n = r.numbers { fields.append(("with_numbers", .string(n))) }
            fields.append(("value", .tensor(r.primal, r.shape)))
            switch phase {
            case .primal: break
            case .forward: fields.append(("tangent", .tensor(r.result, r.shape)))
            case .reverse:
                fields.append(("adjoint", .tensor(r.result, r.shape)))
                fields.append(("terms", .array(r.terms.map { t in
                    ["from": .string(t.from), "formula": .string(t.formula), "partial": .number(orNull: t.partial),
                     "value": .tensor(t.value, t.shape), "step": .int(t.step)]
                })))
            }
            if !r.remarks.isEmpty { fields.append(("remarks", .strings(r.remarks))) }
            if checkpoint != nil { fields.append(("recomputed", .strings(r.recomputed))) }
            fields.append(("kink", .bool(r.kink)))
            fields.append(("step", r.step.map { .int($0) } ?? .null))
            return .object(fields)
        }
        var fields: [(key: String, value: JSON)] = [("phase", .string(phase.rawValue)), ("title", .string(title))]
        if let checkpoint { fields.append(("checkpoint", checkpoint.json)) }
        fields.append(("rows", .array(items)))
        let trace = JSON.object(fields)
        return trace.text(expanding: 2)
    }

    /// Plain text for LaTeX text mode.
    static func latexText(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "_", "&", "%", "$", "#", "{", "}": out += "\\\(ch)"
            case "\\": out += "\\textbackslash{}"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Our Unicode formulas in LaTeX math: `v̄₋₁` → `\bar{v}_{-1}`, `·` → `\cdot`.
    static func latexMath(_ s: String) -> String {
        let subscripts: [Character: String] = ["₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5",
                                               "₆": "6", "₇": "7", "₈": "8", "₉": "9", "₋": "-"]
        let symbols: [Character: String] = [
            "·": "\\cdot ", "−": "-", "σ": "\\sigma", "Σ": "\\sum ", "∂": "\\partial ", "⊙": "\\odot ",
            "ᵀ": "^{\\top}", "²": "^{2}", "…": "\\ldots ", "∞": "\\infty ", "@": "\\mathbin{@}",
            "_": "\\_", "&": "\\&", "%": "\\%", "#": "\\#", "{": "\\{", "}": "\\}", "$": "\\$",
        ]
        let operators: Set<String> = ["sin", "cos", "tan", "exp", "ln", "log", "tanh", "max", "min"]
        var out = ""
        var pendingSub = ""
        var word = ""
        func flush() {
            if !pendingSub.isEmpty { out += "_{\(pendingSub)}"; pendingSub = "" }
        }
        // Words of two or more letters are operator names: `\cos`, `\operatorname{relu}`.
        func flushWord() {
            if word.count >= 2 { out += operators.contains(word) ? "\\\(word) " : "\\operatorname{\(word)}" }
            else { out += word }
            word = ""
        }
        for ch in s {
            if ch.isASCII && ch.isLetter && ch.unicodeScalars.count == 1 { flush(); word.append(ch); continue }
            flushWord()
            if let d = subscripts[ch] { pendingSub += d; continue }
            flush()
            let scalars = ch.unicodeScalars
            if scalars.count == 2, let base = scalars.first, let mark = scalars.last,
               mark == "\u{0304}" || mark == "\u{0307}" {
                out += (mark == "\u{0304}" ? "\\bar{" : "\\dot{") + String(base) + "}"
            } else if let sym = symbols[ch] {
                out += sym
            } else if ch.unicodeScalars.allSatisfy(\.isASCII) {
                out.append(ch)
            } else {
                out += "\\text{\(ch)}"
            }
        }
        flushWord()
        flush()
        return out
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
