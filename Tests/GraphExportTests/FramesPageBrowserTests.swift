import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Headless Chromium (Debian's `chromium`, installed by `make deps`); the test fails, not
/// skips, without it.
func requireChromium(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> URL {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("chromium")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    Issue.record("This test drives the frames page in headless Chromium: apt-get install chromium", sourceLocation: sourceLocation)
    throw ExportError.io(file: "chromium", message: "not found on PATH")
}

/// The DOM Chromium holds after loading `page` and running its scripts.
func dumpDOM(_ chromium: URL, _ page: URL, window: String = "1600,1000") throws -> String {
    let process = Process()
    process.executableURL = chromium
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                         "--window-size=\(window)", "--virtual-time-budget=20000", "--dump-dom", page.absoluteString]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite struct FramesPageBrowserTests {
    /// Steps a real browser through every frame of one graph by changing `#N` (counted from 1,
    /// as the page counts) in the page's address, and checks that the picture and the trace row change together, that the page
    /// wears the theme's background, and that the picture is scaled to the window, up and down.
    @Test func theFramesPageFollowsTheAddressThroughEveryFrame() async throws {
        let chromium = try requireChromium()
        let graphviz = try requireGraphviz()
        let tape = try baydinTape()
        let out = try temporaryFolder()
        let dark = DotPalette(background: "#1E1E2E", text: "#CDD6F4", muted: "#A6ADC8", border: "#585B70", title: "#CDD6F4",
                              value: "#89B4FA", tangent: "#A6E3A1", adjoint: "#FAB387", current: "#F9E2AF", done: "#94E2D5",
                              input: "#89B4FA", param: "#CBA6F7", constant: "#A6ADC8", output: "#F5C2E7", kink: "#F38BA8",
                              edge: "#7F849C")
        let summary = await BatchExport(options: DotOptions(palette: dark), graphviz: graphviz)
            .run([ExportJob(name: "baydin", tape: tape, state: .reverse, format: .svg, frames: true, outDir: out)])
        expectTrue(summary.succeeded, "\(summary)")
        let folder = out.appendingPathComponent("baydin-frames")
        // What each frame must show: the primal frames, then the reverse ones.
        let expected = [Phase.primal, .reverse].flatMap { phase in
            DotWriter.frames(tape: tape, name: "baydin", phase: phase).map { frame in
                (file: String(format: "baydin-%@-%02d.svg", phase.rawValue, frame.position), caption: frame.caption)
            }
        }
        expectEqual(expected.count, 6 + 8)
        let driver = """
            <!doctype html><html><body>
            <iframe id="f" src="index.html#1" style="width:1400px;height:900px;border:0"></iframe><pre id="out"></pre>
            <script>
            const f = document.getElementById("f");
            const wait = () => new Promise(r => setTimeout(r, 150));
            f.onload = async () => {
              const w = f.contentWindow, d = f.contentDocument, rows = [];
              for (let k = \(expected.count - 1); k >= 0; k--) {
                w.location.hash = "#" + (k + 1);
                await wait();
                const img = d.querySelector("#picture img");
                rows.push([k, img.getAttribute("src"), d.getElementById("caption").textContent].join("\\t"));
              }
              const img = d.querySelector("#picture img");
              const scale = () => Math.min(img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight);
              const up = scale();
              f.style.width = "250px"; f.style.height = "250px";
              await wait();
              const down = scale();
              rows.push(["scale", up > 1, down < 1, w.getComputedStyle(d.body).backgroundColor].join("\\t"));
              document.getElementById("out").textContent = rows.join("\\n");
            };
            </script></body></html>
            """
        let page = folder.appendingPathComponent("driver.html")
        try driver.write(to: page, atomically: true, encoding: .utf8)
        let dom = try dumpDOM(chromium, page)
        let start = try #require(dom.range(of: "<pre id=\"out\">")), end = try #require(dom.range(of: "</pre>"))
        let lines = dom[start.upperBound ..< end.lowerBound].split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        expectEqual(lines.count, expected.count + 1)
        for line in lines.dropLast() {
            let k = try #require(Int(line[0]))
            expectEqual(line[1], expected[k].file, "frame \(k)")
            // The page shows text, so entities the DOM dump adds are undone.
            let caption = line[2].replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
            expectEqual(caption, expected[k].caption, "frame \(k)")
        }
        expectEqual(lines.last, ["scale", "true", "true", "rgb(30, 30, 46)"])
    }
}
