import GraphCore

/// `export --frames --format beamer`: a LaTeX Beamer file beside the frames drawn as PDF, one
/// slide per sweep and one overlay per step (`\only<k>`), the step's sentence under the
/// picture, so that `pdflatex NAME.tex` in the frames folder gives slides to step through.
///
/// Every string that comes from the graph (its name, labels, formulas and numbers) goes
/// through `latex(_:)`, which writes plain ASCII: TeX's special characters escaped, and the
/// symbols of gradstep's sentences (v̄₃, ∂, ·, −, σ, …) as LaTeX commands, so the file compiles
/// with pdflatex's default 8-bit fonts and needs no Unicode engine. Picture file names are made
/// of letters, digits, `.`, `_` and `-` only (`safeStem`), which `\includegraphics` reads as
/// they are.
enum BeamerSlides {
    static func tex(name: String, entries: [FramesPage.Entry], legend: String?) -> String {
        var out = """
            % Slides of \(comment(name)) written by `gradstep export --frames --format beamer`: one slide per sweep,
            % one overlay per step. Compile in this folder: pdflatex \(comment(safeStem(name))).tex
            \\documentclass[aspectratio=169]{beamer}
            \\usepackage[T1]{fontenc}
            \\usepackage{graphicx}
            \\setbeamertemplate{navigation symbols}{}
            \\title{\(latex(name))}
            \\begin{document}

            """
        var phases: [Phase] = []
        for e in entries where phases.last != e.phase { phases.append(e.phase) }
        for phase in phases {
            let steps = entries.filter { $0.phase == phase }
            out += "\\begin{frame}{\(latex(name)): the \(phase.rawValue) sweep}\n"
            out += "  \\centering\n"
            for (k, e) in steps.enumerated() {
                out += "  \\only<\(k + 1)>{\\includegraphics[width=\\linewidth,height=0.68\\textheight,keepaspectratio]{\(e.file)}}%\n"
            }
            out += "\n  \\par\\vspace{0.5ex}\\raggedright\\footnotesize\n"
            for (k, e) in steps.enumerated() {
                out += "  \\only<\(k + 1)>{\\textbf{\(latex(e.title))}: \(latex(e.caption))}%\n"
            }
            if let legend, phase == .reverse { out += "\n  \\par\\scriptsize \(latex(legend))\n" }
            out += "\\end{frame}\n\n"
        }
        return out + "\\end{document}\n"
    }

    /// A name for picture files that LaTeX reads as written: anything but ASCII letters,
    /// digits, `.`, `_` and `-` becomes `-`.
    static func safeStem(_ name: String) -> String {
        let mapped = String(name.unicodeScalars.map { u -> Character in
            (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u))) || u == "_" || u == "-" || u == "." ? Character(u) : "-"
        })
        return mapped.isEmpty ? "graph" : mapped
    }

    /// `text` in a `%` comment: one line, ASCII.
    static func comment(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" })
    }

    /// `text` as LaTeX text-mode source in ASCII (see the type's comment).
    static func latex(_ text: String) -> String {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        var k = 0
        while k < scalars.count {
            let u = scalars[k]
            // A letter with a combining accent after it: v̄ is \bar{v}.
            if k + 1 < scalars.count, let accent = accents[scalars[k + 1].value] {
                out += "\\ensuremath{\\\(accent){\(mathLetter(u))}}"
                k += 2
                continue
            }
            // A run of subscript (or superscript) characters is one \textsubscript: v₋₁.
            if let (table, command) = [(subscripts, "textsubscript"), (superscripts, "textsuperscript")].first(where: { $0.0[u.value] != nil }) {
                var run = ""
                while k < scalars.count, let s = table[scalars[k].value] {
                    run += s
                    k += 1
                }
                out += "\\\(command){\(run)}"
                continue
            }
            out += character(u)
            k += 1
        }
        return out
    }

    private static func mathLetter(_ u: Unicode.Scalar) -> String {
        if let m = math[u.value] { return m }
        return u.isASCII && u.properties.isAlphabetic ? "\\mathrm{\(Character(u))}" : character(u)
    }

    private static func character(_ u: Unicode.Scalar) -> String {
        switch u {
        case "\\": return "\\textbackslash{}"
        case "{", "}", "$", "&", "#", "%", "_": return "\\\(Character(u))"
        case "^": return "\\textasciicircum{}"
        case "~": return "\\textasciitilde{}"
        case "<": return "\\textless{}"
        case ">": return "\\textgreater{}"
        case "|": return "\\textbar{}"
        case "\"": return "\\textquotedbl{}"
        // Kept apart so -- and `` never become ligatures.
        case "-": return "-{}"
        case "`": return "\\textasciigrave{}"
        default: break
        }
        if u.value < 0x20 || u.value == 0x7F { return " " }
        if u.isASCII { return String(Character(u)) }
        if let m = math[u.value] { return "\\ensuremath{\(m)}" }
        if let t = textSymbols[u.value] { return t }
        return "\\textbf{?}"
    }

    /// Combining accents, by the math accent that draws them.
    private static let accents: [UInt32: String] = [0x0304: "bar", 0x0305: "bar", 0x0307: "dot", 0x0302: "hat", 0x0303: "tilde",
                                                    0x20D7: "vec", 0x0308: "ddot"]

    private static let subscripts: [UInt32: String] = {
        var t: [UInt32: String] = [0x208B: "\\ensuremath{-}", 0x208A: "+", 0x208D: "(", 0x208E: ")"]
        for d in 0...9 { t[0x2080 + UInt32(d)] = String(d) }
        for (u, s) in [(0x2090, "a"), (0x2091, "e"), (0x2092, "o"), (0x2093, "x"), (0x2095, "h"), (0x2096, "k"), (0x2097, "l"),
                       (0x2098, "m"), (0x2099, "n"), (0x209A, "p"), (0x209B, "s"), (0x209C, "t"), (0x1D62, "i"), (0x2C7C, "j")] {
            t[UInt32(u)] = s
        }
        return t
    }()

    private static let superscripts: [UInt32: String] = {
        var t: [UInt32: String] = [0x207B: "\\ensuremath{-}", 0x207A: "+", 0x00B9: "1", 0x00B2: "2", 0x00B3: "3", 0x1D40: "T",
                                   0x207D: "(", 0x207E: ")", 0x207F: "n", 0x2071: "i"]
        for d in [0, 4, 5, 6, 7, 8, 9] { t[0x2070 + UInt32(d)] = String(d) }
        return t
    }()

    /// Symbols written in math mode.
    private static let math: [UInt32: String] = {
        var t: [UInt32: String] = [
            0x2202: "\\partial", 0x00B7: "\\cdot", 0x22C5: "\\cdot", 0x00D7: "\\times", 0x2212: "-", 0x00B1: "\\pm",
            0x2264: "\\leq", 0x2265: "\\geq", 0x2260: "\\neq", 0x2248: "\\approx", 0x2192: "\\to", 0x2190: "\\leftarrow",
            0x21D2: "\\Rightarrow", 0x2211: "\\sum", 0x220F: "\\prod", 0x221A: "\\surd", 0x221E: "\\infty", 0x2207: "\\nabla",
            0x2299: "\\odot", 0x2297: "\\otimes", 0x2208: "\\in", 0x2016: "\\|", 0x2308: "\\lceil", 0x2309: "\\rceil",
            0x230A: "\\lfloor", 0x230B: "\\rfloor", 0x00F7: "\\div", 0x2218: "\\circ", 0x2261: "\\equiv", 0x27E8: "\\langle",
            0x27E9: "\\rangle", 0x2026: "\\ldots", 0x22EF: "\\cdots", 0x2223: "\\mid", 0x00AC: "\\neg", 0x2227: "\\wedge",
            0x2228: "\\vee", 0x2200: "\\forall", 0x2203: "\\exists", 0x00B0: "^{\\circ}", 0x2032: "'", 0x2033: "''",
            0x2225: "\\parallel", 0x22A4: "\\top", 0x2205: "\\emptyset", 0x2A2F: "\\times", 0x2219: "\\bullet", 0x2022: "\\bullet",
            0x211D: "\\mathbf{R}", 0x2115: "\\mathbf{N}", 0x2124: "\\mathbf{Z}",
        ]
        let greek = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
                     "nu", "xi", "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"]
        for (i, g) in greek.enumerated() { t[0x03B1 + UInt32(i)] = g == "o" ? "o" : "\\" + g }
        let capitals = ["A", "B", "\\Gamma", "\\Delta", "E", "Z", "H", "\\Theta", "I", "K", "\\Lambda", "M", "N", "\\Xi", "O",
                        "\\Pi", "P", "", "\\Sigma", "T", "\\Upsilon", "\\Phi", "X", "\\Psi", "\\Omega"]
        for (i, g) in capitals.enumerated() where !g.isEmpty { t[0x0391 + UInt32(i)] = g }
        t[0x03F5] = "\\epsilon"; t[0x03D5] = "\\phi"; t[0x03D1] = "\\vartheta"
        return t
    }()

    /// Symbols with a text-mode command (T1 fonts).
    private static let textSymbols: [UInt32: String] = [
        0x2013: "\\textendash{}", 0x2014: "\\textemdash{}", 0x2018: "`", 0x2019: "'", 0x201C: "``", 0x201D: "''",
        0x00A0: "~", 0x00E9: "\\'e", 0x00E8: "\\`e", 0x00E0: "\\`a", 0x00E4: "\\\"a", 0x00F6: "\\\"o", 0x00FC: "\\\"u",
        0x00DF: "\\ss{}", 0x00A7: "\\S{}", 0x2713: "\\ensuremath{\\surd}", 0x2717: "\\ensuremath{\\times}", 0x25B8: "\\ensuremath{\\triangleright}",
        0x2009: "\\,", 0x202F: "\\,", 0x2002: "\\enspace{}", 0x2003: "\\quad{}",
    ]
}
