import Foundation
import GraphBench
import GraphCore
import GraphExport
import GraphLanguage

/// Export of pictures (issues 13 and 22): graphs of 100 to 2,000 nodes and one of 100,000 from
/// `gradstep generate` to SVG (loaded, laid out and written, as `gradstep export` does), and
/// Graphs/ with every frame. Each is timed once: the 100,000-node run alone takes seconds. The
/// 100–2,000 rows cross the point where `dot` stops being worth its time (300 nodes took it
/// 9 s and 492 never finished, before the layout engine was chosen by predicted cost): every
/// one must stay under 5 s.
func pictureRows(graphsFolder: String) -> [Row] {
    var rows: [Row] = []
    func exportSeconds(_ jobs: [ExportJob]) -> (Double, ExportSummary) {
        let start = DispatchTime.now().uptimeNanoseconds
        let done = DispatchSemaphore(value: 0)
        let box = SummaryBox()
        Task.detached { box.summary = await BatchExport().run(jobs); done.signal() }
        done.wait()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, box.summary!)
    }
    func folder() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-bench-pictures-\(UUID().uuidString)")
    }
    for (nodes, limit) in [(100, 5.0), (200, 5.0), (300, 5.0), (400, 5.0), (500, 5.0), (1_000, 5.0), (2_000, 5.0), (100_000, 60.0)] {
        log("export of a \(nodes)-node generated graph to SVG …")
        let source = RandomDAG.source(nodes: nodes)
        let out = folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let start = DispatchTime.now().uptimeNanoseconds
        guard case .success(let graph) = GraphLoader.load(SourceFile(name: "dag.grad", text: source), graphName: "dag", mode: .file) else {
            log("skipped: the generated graph did not load")
            continue
        }
        let loading = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (seconds, summary) = exportSeconds([ExportJob(name: "dag", tape: graph.tape, format: .svg, outDir: out)])
        if !summary.succeeded { log(summary.description) }
        rows.append(Row(workload: "export \(nodes)-node generated graph to SVG (load + layout + write)", measured: loading + seconds,
                        reference: nil, unit: "s", target: "<\(Int(limit)) s", ok: summary.succeeded && loading + seconds < limit))
    }
    log("export of Graphs/ to SVG with every frame …")
    let graphsURL = URL(fileURLWithPath: graphsFolder)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: graphsURL.path)) ?? []).filter { $0.hasSuffix(".grad") }.sorted()
    let graphs = names.compactMap { try? GraphLoader.load(path: graphsURL.appendingPathComponent($0).path).get() }
    if graphs.isEmpty || (try? Graphviz.locate()) == nil {
        log("skipped: no graphs in \(graphsFolder) or no Graphviz")
    } else {
        let out = folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let jobs = graphs.map { ExportJob(name: $0.name, tape: $0.tape, format: .svg, frames: true, outDir: out) }
        let (seconds, summary) = exportSeconds(jobs)
        if !summary.succeeded { log(summary.description) }
        rows.append(Row(workload: "export Graphs/ to SVG, every frame (\(summary.written.count) files)", measured: seconds,
                        reference: nil, unit: "s", target: "<60 s", ok: summary.succeeded && seconds < 60))
    }
    return rows
}

private final class SummaryBox: @unchecked Sendable { var summary: ExportSummary? }
