import Foundation
import GraphCore
@testable import GraphExport
import GraphLanguage
import Testing
import TestSupport

/// Issue 22: every picture `export` writes by default fits a 16:9 slide's content area
/// (900×450 pt) with a median text of at least 9 pt, and an A4 page in portrait with a median
/// text of at least 7 pt. The page's content area is 481×728 pt: A4 is 595×842 pt, less a
/// 2 cm (56.7 pt) margin on each side, the margins of a LaTeX article with the geometry
/// package's common `margin=2cm` and of most word processors' "narrow" setting.
@Suite("Export: pictures that fit a slide and a page")
struct SlideFitTests {
    /// Every `.grad` under Graphs/, subfolders included.
    static func allGraphFiles() -> [URL] {
        let root = repositoryRoot.appendingPathComponent("Graphs")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "grad" }.sorted { $0.path < $1.path }
    }

    /// The median text size of an SVG scaled to fit `width`×`height` pt (a slide by default).
    static func medianOnSlide(_ picture: SVGPicture, width: Double = 900, height: Double = 450) -> Double {
        let sizes = picture.allTexts.map(\.size).sorted()
        guard !sizes.isEmpty, picture.width > 0, picture.height > 0 else { return 0 }
        let median = sizes.count % 2 == 1 ? sizes[sizes.count / 2] : (sizes[sizes.count / 2 - 1] + sizes[sizes.count / 2]) / 2
        return median * min(width / picture.width, height / picture.height)
    }

    /// The same on an A4 page in portrait (481×728 pt of content).
    static func medianOnPage(_ picture: SVGPicture) -> Double { medianOnSlide(picture, width: 481, height: 728) }

    @Test func everyDefaultPictureFitsASlideAndAPage() async throws {
        var batch = BatchExport(graphviz: try requireGraphviz())
        batch.foldToFit = true
        let out = try temporaryFolder()
        var jobs: [ExportJob] = [], shapesOnly: [String] = []
        for file in Self.allGraphFiles() {
            // Graphs/full-size/vgg11-features.grad holds tensors past the element limit: read
            // for its shapes only, as `gradstep export` reads it, it is drawn without numbers.
            var loaded = GraphLoader.load(path: file.path)
            if case .failure = loaded {
                loaded = GraphLoader.load(path: file.path, shapesOnly: true)
                shapesOnly.append(file.lastPathComponent)
            }
            let graph = try loaded.get()
            let folding = graph.groups.isEmpty ? nil : GroupFolding(groups: graph.groups, open: [], nodeCount: graph.tape.count)
            jobs.append(ExportJob(name: graph.name, tape: graph.tape, outDir: out, folding: folding))
        }
        expectEqual(shapesOnly, ["vgg11-features.grad"])
        expectEqual(jobs.count, Self.allGraphFiles().count)
        let summary = await batch.run(jobs)
        expectTrue(summary.succeeded, "\(summary)")
        for job in jobs {
            let picture = try SVGPicture(out.appendingPathComponent("\(job.name).svg"))
            let slide = Self.medianOnSlide(picture), page = Self.medianOnPage(picture)
            expectTrue(slide >= 9, "\(job.name): median text \(slide) pt on a slide (\(picture.width)×\(picture.height) pt)")
            expectTrue(page >= 7, "\(job.name): median text \(page) pt on an A4 page (\(picture.width)×\(picture.height) pt)")
        }
    }

    /// Folding says what it folded, and `--detail full` (no folding) draws every node.
    @Test func foldingSaysWhatItFoldedAndFullDetailDrawsEverything() async throws {
        let graph = try GraphLoader.load(path: repositoryRoot.appendingPathComponent("Graphs/mlp-relu-softmax.grad").path).get()
        let out = try temporaryFolder()
        var fit = BatchExport(graphviz: try requireGraphviz())
        fit.foldToFit = true
        _ = await fit.run([ExportJob(name: "fit", tape: graph.tape, outDir: out)])
        let full = await BatchExport(graphviz: try requireGraphviz()).run([ExportJob(name: "full", tape: graph.tape, outDir: out)])
        expectTrue(full.succeeded)
        let folded = try SVGPicture(out.appendingPathComponent("fit.svg"))
        let every = try SVGPicture(out.appendingPathComponent("full.svg"))
        expectTrue(folded.otherTexts.contains { $0.text.contains("folded to fit a slide") && $0.text.contains("--detail full") })
        expectTrue(folded.nodes.count < every.nodes.count)
        let drawn = (0..<graph.tape.count).filter { graph.tape.entries[$0].op != .constant }
        expectTrue(drawn.allSatisfy { every.nodes["n\($0)"] != nil })
        expectTrue(Self.medianOnSlide(folded) > Self.medianOnSlide(every))
    }
}
