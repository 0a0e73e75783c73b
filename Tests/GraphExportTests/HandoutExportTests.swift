import Foundation
import GraphCore
@testable import GraphExport
import Testing
import TestSupport

/// What an animated GIF holds, read block by block here (not by `GIFAnimation`): its screen,
/// whether it loops, and each frame's size and delay.
struct GIFReadBack {
    var width = 0, height = 0
    var loops = false
    var frames: [(width: Int, height: Int, delay: Int)] = []

    init(_ data: Data) throws {
        let b = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        expectTrue(b.starts(with: Array("GIF89a".utf8)))
        width = u16(6); height = u16(8)
        var i = 13 + (b[10] & 0x80 != 0 ? 3 << (Int(b[10] & 7) + 1) : 0)
        var delay = -1
        func skipSubBlocks(_ from: Int) -> Int {
            var p = from
            while b[p] != 0 { p += Int(b[p]) + 1 }
            return p + 1
        }
        while i < b.count {
            switch b[i] {
            case 0x21:
                if b[i + 1] == 0xF9 { delay = u16(i + 4) }
                if b[i + 1] == 0xFF && String(decoding: b[i + 3 ..< i + 14], as: UTF8.self) == "NETSCAPE2.0" { loops = true }
                i = skipSubBlocks(i + 2)
            case 0x2C:
                frames.append((u16(i + 5), u16(i + 7), delay))
                var p = i + 10
                if b[i + 9] & 0x80 != 0 { p += 3 << (Int(b[i + 9] & 7) + 1) }
                i = skipSubBlocks(p + 1)
            case 0x3B:
                return
            default:
                Issue.record("unknown GIF block \(b[i]) at \(i)")
                return
            }
        }
        Issue.record("no GIF trailer")
    }
}

@Suite struct HandoutExportTests {
    /// The frames of Baydin's example in a reverse export: 6 primal, then 8 reverse.
    static let baydinFrames = 6 + 8

    @Test func latexEscapesEverySpecialCharacterAndWritesSymbolsAsCommands() {
        expectEqual(BeamerSlides.latex(#"a_b & 50% {x} $ # ~ ^ \ <>|"#), ##"a\_b \& 50\% \{x\} \$ \# \textasciitilde{} \textasciicircum{} \textbackslash{} \textless{}\textgreater{}\textbar{}"##)
        // v̄₋₁ is v with a combining macron and two subscript characters.
        expectEqual(BeamerSlides.latex("v̄₋₁ = ∂y/∂x · σ − 2"), #"\ensuremath{\bar{\mathrm{v}}}\textsubscript{\ensuremath{-}1} = \ensuremath{\partial}y/\ensuremath{\partial}x \ensuremath{\cdot} \ensuremath{\sigma} \ensuremath{-} 2"#)
        expectEqual(BeamerSlides.latex("Wᵀ x²"), #"W\textsuperscript{T} x\textsuperscript{2}"#)
        expectEqual(BeamerSlides.latex("--"), "-{}-{}")
        expectEqual(BeamerSlides.safeStem("my net (v2)/ä"), "my-net--v2---")
    }

    /// `.tex` beside PDF frames: one slide per sweep, one overlay per step, every picture there,
    /// the captions in LaTeX; compiled with pdflatex where TeX Live is installed.
    @Test func beamerSlidesHaveAnOverlayPerStepAndCompile() async throws {
        let graphviz = try requireGraphviz()
        let out = try temporaryFolder()
        var job = ExportJob(name: "baydin", tape: try baydinTape(), state: .reverse, format: .pdf, frames: true, outDir: out)
        job.handout = .beamer
        let summary = await BatchExport(graphviz: graphviz).run([job])
        expectTrue(summary.succeeded, "\(summary)")
        let folder = out.appendingPathComponent("baydin-frames")
        let tex = try String(contentsOf: folder.appendingPathComponent("baydin.tex"), encoding: .utf8)
        expectTrue(tex.unicodeScalars.allSatisfy { $0.isASCII }, "pdflatex reads the file with its default fonts")
        expectTrue(tex.contains("\\documentclass[aspectratio=169]{beamer}") && tex.hasSuffix("\\end{document}\n"))
        expectEqual(tex.components(separatedBy: "\\begin{frame}").count - 1, 2)
        let pictures = tex.split(separator: "\n").compactMap { line -> (Int, String)? in
            guard let r = line.range(of: #"\\only<(\d+)>\{\\includegraphics\[[^\]]*\]\{([^}]*)\}\}"#, options: .regularExpression) else { return nil }
            let text = String(line[r])
            let number = Int(text.dropFirst(6).prefix { $0.isNumber })!
            let file = String(text.split(separator: "{").last!.dropLast(2))
            return (number, file)
        }
        expectEqual(pictures.map(\.0), Array(1...6) + Array(1...8))
        for (_, file) in pictures {
            expectTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
            expectHasSuffix(file, ".pdf")
        }
        // Reverse step 5 visits v̄₀: its caption reads v̄₀ = v̄₃·∂v₃/∂v₀ + … in LaTeX.
        expectContains(tex, #"\ensuremath{\bar{\mathrm{v}}}\textsubscript{0} (x2) = \ensuremath{\bar{\mathrm{v}}}\textsubscript{3}\ensuremath{\cdot}\ensuremath{\partial}v\textsubscript{3}/\ensuremath{\partial}v\textsubscript{0}"#)
        var depth = 0, previous: Character = " "
        for c in tex {
            if previous != "\\" { depth += c == "{" ? 1 : c == "}" ? -1 : 0 }
            expectTrue(depth >= 0)
            previous = previous == "\\" && c == "\\" ? " " : c
        }
        expectEqual(depth, 0, "braces balance")

        guard let pdflatex = Handout.program("pdflatex") else {
            print("note: pdflatex is not installed (TeX Live: apt-get install texlive-latex-recommended): baydin.tex was checked for its structure, not compiled")
            return
        }
        let run = try await runProcess(pdflatex.path, ["-interaction=nonstopmode", "-halt-on-error", "baydin.tex"], in: folder)
        expectEqual(run.status, 0, "\(run.stdout.suffix(3000))")
        let pdf = try Data(contentsOf: folder.appendingPathComponent("baydin.pdf"))
        expectTrue(pdf.starts(with: Array("%PDF-".utf8)))
        // Beamer writes one page per overlay.
        expectTrue(String(decoding: pdf, as: UTF8.self).components(separatedBy: "/Type /Page\n").count - 1 >= Self.baydinFrames
                || run.stdout.contains("(\(Self.baydinFrames) pages"))
    }

    /// Hostile names are escaped in the .tex, and the picture names are plain.
    @Test func beamerEscapesHostileNames() async throws {
        let graphviz = try requireGraphviz()
        let out = try temporaryFolder()
        var job = ExportJob(name: "50% of {net}_1 & #2 ~\\", tape: try hostileTape(), state: .reverse, format: .pdf, frames: true, outDir: out)
        job.handout = .beamer
        let summary = await BatchExport(graphviz: graphviz).run([job])
        expectTrue(summary.succeeded, "\(summary)")
        // The folder's name is the graph's file name (a backslash made `_`); LaTeX's files are plain.
        let folder = out.appendingPathComponent("50% of {net}_1 & #2 ~_-frames")
        let tex = try String(contentsOf: folder.appendingPathComponent("50--of--net-_1----2--_.tex"), encoding: .utf8)
        expectTrue(tex.unicodeScalars.allSatisfy { $0.isASCII })
        expectContains(tex, ##"\title{50\% of \{net\}\_1 \& \#2 \textasciitilde{}\textbackslash{}}"##)
        // A caption's line breaks and control characters are spaces: each overlay stays one line.
        expectTrue(tex.split(separator: "\n").filter { $0.contains("\\only<") }.allSatisfy { $0.hasSuffix("}%") })
        expectContains(tex, "{50--of--net-_1----2--_-primal-00.pdf}")
    }

    /// An animated GIF: as many frames as steps, each with the delay asked for, looping.
    @Test func gifAnimationHasAFramePerStepWithTheDelay() async throws {
        let graphviz = try requireGraphviz()
        let out = try temporaryFolder()
        var job = ExportJob(name: "baydin", tape: try baydinTape(), state: .reverse, format: .gif, frames: true, outDir: out)
        job.handout = .gif(delay: 1.5)
        let summary = await BatchExport(graphviz: graphviz).run([job])
        expectTrue(summary.succeeded, "\(summary)")
        expectEqual(summary.written.map(\.lastPathComponent), ["baydin.gif"])
        expectTrue(!FileManager.default.fileExists(atPath: out.appendingPathComponent("baydin-frames").path))
        let gif = try GIFReadBack(Data(contentsOf: out.appendingPathComponent("baydin.gif")))
        expectEqual(gif.frames.count, Self.baydinFrames)
        expectTrue(gif.frames.allSatisfy { $0.delay == 150 }, "\(gif.frames.map(\.delay))")
        expectTrue(gif.loops)
        expectTrue(gif.frames.allSatisfy { $0.width <= gif.width && $0.height <= gif.height && $0.width > 50 })
        expectEqual(gif.width, gif.frames.map(\.width).max())
    }

    /// `--single-file`: the page alone, copied to a folder of its own, shows every frame
    /// (decoded from the page itself) and steps by key and by address.
    @Test func theSingleFilePageWorksAloneInAnotherFolder() async throws {
        let chromium = try requireChromium()
        let graphviz = try requireGraphviz()
        let tape = try baydinTape()
        let out = try temporaryFolder()
        var job = ExportJob(name: "baydin", tape: tape, state: .reverse, format: .svg, frames: true, outDir: out)
        job.handout = .singleFile
        let summary = await BatchExport(graphviz: graphviz).run([job])
        expectTrue(summary.succeeded, "\(summary)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("baydin-frames").path)
        expectEqual(written.filter { !$0.hasPrefix(".") }, ["index.html"])
        let alone = try temporaryFolder("alone"), driverFolder = try temporaryFolder("driver")
        try FileManager.default.copyItem(at: out.appendingPathComponent("baydin-frames/index.html"), to: alone.appendingPathComponent("index.html"))
        let captions = [Phase.primal, .reverse].flatMap { DotWriter.frames(tape: tape, name: "baydin", phase: $0).map(\.caption) }
        expectEqual(captions.count, Self.baydinFrames)
        let driver = """
            <!doctype html><html><body>
            <iframe id="f" src="\(alone.appendingPathComponent("index.html").absoluteString)#1" style="width:1200px;height:800px;border:0"></iframe><pre id="out"></pre>
            <script>
            const f = document.getElementById("f");
            const wait = () => new Promise(r => setTimeout(r, 200));
            f.onload = async () => {
              const w = f.contentWindow, d = f.contentDocument, rows = [];
              const row = () => {
                const img = d.querySelector("#picture img");
                return [d.body.dataset.frame, img.getAttribute("src").slice(0, 26), img.complete && img.naturalWidth > 0,
                        d.getElementById("caption").textContent].join("\\t");
              };
              await wait();
              for (let k = 1; k < \(Self.baydinFrames); k++) {
                d.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
                await wait();
                rows.push(row());
              }
              w.location.hash = "#1";
              await wait();
              rows.push(row());
              document.getElementById("out").textContent = rows.join("\\n");
            };
            </script></body></html>
            """
        let page = driverFolder.appendingPathComponent("driver.html")
        try driver.write(to: page, atomically: true, encoding: .utf8)
        let dom = try dumpDOM(chromium, page)
        let start = try #require(dom.range(of: "<pre id=\"out\">")), end = try #require(dom.range(of: "</pre>"))
        let lines = dom[start.upperBound ..< end.lowerBound].split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        expectEqual(lines.count, Self.baydinFrames)
        for (k, line) in lines.enumerated() {
            let frame = k == lines.count - 1 ? 1 : k + 2
            expectEqual(line.count, 4)
            guard line.count == 4 else { continue }
            expectEqual(line[0], String(frame))
            expectEqual(line[1], "data:image/svg+xml;base64,", "frame \(frame) is inside the page")
            expectEqual(line[2], "true", "frame \(frame) decodes and draws")
            let caption = line[3].replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
            expectEqual(caption, captions[frame - 1], "frame \(frame)")
        }
    }
}
