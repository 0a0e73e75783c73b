import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: the stepper page for a projector. The caption lives in the page, so each frame
/// is the size of the single picture; the picture fills the window at 1280×720 and
/// 1920×1080; clicker keys step; `#N` opens the N-th frame as the page counts.
@Suite("Export: the frames page on a projector")
struct ProjectorPageTests {
    /// Frames of a graph against its single picture, by width and height read from the SVGs.
    @Test(arguments: ["baydin.grad", "mlp-groups.grad", "maxpool-twice.grad", "mlp-relu-softmax.grad", "batchnorm-backward.grad"])
    func everyFrameIsTheSizeOfTheSinglePicture(file: String) async throws {
        // The same pictures as LegibleGroupsTests and SlidePictureTests read: drawn once.
        let single = try await SharedExports.shared.export(file, frames: false)
        let frames = try await SharedExports.shared.export(file, frames: true)
        expectTrue(single.summary.succeeded, "\(single.summary)")
        expectTrue(frames.summary.succeeded, "\(frames.summary)")
        let picture = try svgSize(single.folder.appendingPathComponent("\(single.graph.name).svg"))
        let frameFiles = frames.summary.written.filter { $0.pathExtension == "svg" && $0.path.contains("-frames/") }
        expectTrue(frameFiles.count > 3)
        for frame in frameFiles {
            let size = try svgSize(frame)
            expectTrue(abs(size.width / picture.width - 1) <= 0.1 && abs(size.height / picture.height - 1) <= 0.1, "\(frame.lastPathComponent): \(size.width)×\(size.height) pt against \(picture.width)×\(picture.height)")
        }
    }

    /// Headless Chromium at a projector's sizes: how much of the window the picture takes, what
    /// PageDown, PageUp and the arrows do, and where `#N` and `#reverse-1` land.
    @Test func thePictureFillsTheWindowAndClickerKeysStep() async throws {
        let chromium = try requireChromium()
        let graphviz = try requireGraphviz()
        let tape = try baydinTape()
        let out = try temporaryFolder()
        let summary = await BatchExport(graphviz: graphviz)
            .run([ExportJob(name: "baydin", tape: tape, state: .reverse, format: .svg, frames: true, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let folder = out.appendingPathComponent("baydin-frames")
        let files = [Phase.primal, .reverse].flatMap { phase in
            DotWriter.frames(tape: tape, name: "baydin", phase: phase).map { String(format: "baydin-%@-%02d.svg", phase.rawValue, $0.position) }
        }
        for (width, height) in [(1280, 720), (1920, 1080)] {
            let driver = """
                <!doctype html><html><body style="margin:0">
                <iframe id="f" src="index.html#8" style="width:\(width)px;height:\(height)px;border:0"></iframe><pre id="out"></pre>
                <script>
                const f = document.getElementById("f");
                const wait = () => new Promise(r => setTimeout(r, 200));
                f.onload = async () => {
                  await wait();
                  const w = f.contentWindow, d = f.contentDocument, rows = [];
                  const src = () => d.querySelector("#picture img").getAttribute("src");
                  const img = d.querySelector("#picture img");
                  const scale = Math.min(img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight);
                  rows.push(["size", Math.round(img.naturalWidth * scale), Math.round(img.naturalHeight * scale), w.innerWidth, w.innerHeight].join("\\t"));
                  rows.push(["#8", src(), d.getElementById("where").textContent].join("\\t"));
                  const key = (k) => d.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true}));
                  for (const k of ["PageDown", "PageDown", "PageUp", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "End", "PageDown", "Home", "PageUp"]) {
                    key(k); await wait();
                    rows.push([k, src(), w.location.hash].join("\\t"));
                  }
                  w.location.hash = "#reverse-1"; await wait();
                  rows.push(["#reverse-1", src(), w.location.hash].join("\\t"));
                  document.getElementById("out").textContent = rows.join("\\n");
                };
                </script></body></html>
                """
            let page = folder.appendingPathComponent("driver-\(width).html")
            try driver.write(to: page, atomically: true, encoding: .utf8)
            let dom = try dumpDOM(chromium, page, window: "\(width + 40),\(height + 200)")
            let start = try #require(dom.range(of: "<pre id=\"out\">")), end = try #require(dom.range(of: "</pre>"))
            let rows = dom[start.upperBound ..< end.lowerBound].split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            try #require(rows.count == 14, "\(rows)")
            // The picture is as wide as the window or nearly as tall (a bar of two lines stays).
            let shown = (Double(rows[0][1])!, Double(rows[0][2])!), window = (Double(rows[0][3])!, Double(rows[0][4])!)
            expectTrue(window == (Double(width), Double(height)))
            expectTrue(shown.0 >= 0.97 * window.0 || shown.1 >= 0.8 * window.1, "\(width)×\(height): picture \(shown)")
            // #8 is the eighth frame: the page says "8 / 14".
            expectTrue(rows[1][1] == files[7] && rows[1][2].hasPrefix("8 / \(files.count)"), "\(rows[1])")
            let after = [8, 9, 8, 9, 8, 7, 8, files.count - 1, files.count - 1, 0, 0]
            for (k, row) in rows[2...12].enumerated() {
                expectTrue(row[1] == files[after[k]] && row[2] == "#\(after[k] + 1)", "\(width): after \(row[0])")
            }
            expectTrue(rows[13][1] == "baydin-reverse-01.svg" && rows[13][2] == "#\(files.firstIndex(of: "baydin-reverse-01.svg")! + 1)")
        }
    }
}
