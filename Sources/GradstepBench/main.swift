import Foundation
import GraphBench
import Explorer
import GraphCore
import GraphExport
import GraphLanguage
import Optimize

// `make bench`: every performance target of gradstep measured beside its reference in one
// process and one run, as medians over repeats. Prints a table and writes JSON
// (bench-results/bench.json, or the folder after --out). Release builds only: a debug build's
// numbers mean nothing.

var outFolder = "bench-results"
var graphsFolder = "Graphs"
var sizes = [1_000, 10_000, 100_000, 1_000_000]
var parseSizes = [1_000, 10_000, 100_000]
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    switch a {
    case "--out": outFolder = arguments.popFirst() ?? outFolder
    case "--quick": sizes = [1_000, 10_000]
    case "--graphs": graphsFolder = arguments.popFirst() ?? graphsFolder
    case "--optimize-only":
        // The optimisation rows alone, as a table.
        for r in try optimizationRows() {
            print("\(r.workload): \(r.measured) \(r.unit)" + (r.ratio.map { String(format: ", %.2f× the reference", $0) } ?? "") + ", target \(r.target): \(r.ok ? "ok" : "NOT MET")")
        }
        exit(0)
    case "--pictures-only":
        // The picture export rows alone (issue 13), as a table.
        for r in pictureRows(graphsFolder: graphsFolder) { print("\(r.workload): \(r.measured) \(r.unit), target \(r.target): \(r.ok ? "ok" : "NOT MET")") }
        exit(0)
    case "--parse-only":
        // The parse + build row alone, at 10³, 10⁴ and 10⁵ statements (or those after
        // --parse-sizes), each the median of 3 samples, as the full run measures it.
        // Each size also through the parser and the lowering (the way a file the single pass
        // does not take goes), timed right after, so the two see the same load.
        for n in parseSizes {
            let source = SourceFile(name: "dag", text: RandomDAG.source(nodes: n))
            let (_, build) = try GraphBenchmark.measureBuild(source: source, repeats: 3)
            let (_, usual) = try GraphBenchmark.measureBuild(source: source, repeats: 3, singlePass: false)
            print(String(format: "parse + build, %d statements: %.0f ns/node (%d nodes); through the parser and the lowering: %.0f ns/node",
                         n, build.nanosPerNode, build.nodes, usual.nanosPerNode))
        }
        exit(0)
    case "--memory-only":
        // The peak-memory rows alone (issue 23): `gradstep eval` in a child process per size,
        // and the explorer (ExplorerMemoryBench.swift).
        for r in memoryRows() + explorerMemoryRow() { print("\(r.workload): \(fmt(r.measured)) \(r.unit), target \(r.target): \(r.ok ? "ok" : "NOT MET")") }
        exit(0)
    case "--explorer-frame":
        // The explorer's memory row's child: one file laid out and drawn (ExplorerMemoryBench.swift).
        exit(explorerFrame(arguments.popFirst() ?? ""))
    case "--parse-sizes":
        parseSizes = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--tensor-only":
        // The tensor table alone (issue 23): gradstep against NumPy on one thread.
        for r in try tensorRows() {
            print("\(r.workload): \(fmt(r.measured)) \(r.unit)" + (r.reference.map { " against \(fmt($0)) \(r.unit)" } ?? "")
                  + (r.ratio.map { String(format: ", %.2f×", $0) } ?? "") + ", target \(r.target): \(r.ok ? "ok" : "NOT MET")")
        }
        exit(0)
    case "--load":
        // Profiling aid: parse and build one file, nothing else (`perf record … --load F`).
        let path = arguments.popFirst() ?? ""
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let start = DispatchTime.now().uptimeNanoseconds
        let result = GraphLoader.load(SourceFile(name: path, text: text), graphName: "profile", mode: .file)
        let nanos = Double(DispatchTime.now().uptimeNanoseconds - start)
        let nodes = (try? result.get().tape.count) ?? 0
        print("\(nodes) nodes, \(nanos / Double(Swift.max(nodes, 1))) ns/node")
        exit(0)
    default: print("usage: GradstepBench [--out DIR] [--graphs DIR] [--quick] [--optimize-only] [--pictures-only] [--tensor-only] [--memory-only] [--parse-sizes N,N --parse-only]"); exit(2)
    }
}

struct Row {
    var workload: String
    var measured: Double
    var reference: Double?
    var unit: String
    var target: String
    var ok: Bool
    var ratio: Double? { reference.map { measured / $0 } }
}
var rows: [Row] = []

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
func fmt(_ x: Double) -> String { x >= 100 ? String(format: "%.0f", x) : String(format: "%.2f", x) }
func load(_ text: String) -> Tape {
    switch GraphLoader.load(SourceFile(name: "dag", text: text), graphName: "dag", mode: .file) {
    case .success(let g): return g.tape
    case .failure(let f): fatalError(f.rendered())
    }
}

// Peak memory first, while this process is small: a child's peak resident set counts its
// parent's at the moment it starts (MemoryBench.swift). The rows join the table below.
let memory = memoryRows() + explorerMemoryRow()

// MARK: - Cached tape vs the hand-written loop
for n in sizes {
    log("random DAG, \(n) nodes …")
    let source = RandomDAG.source(nodes: n)
    let tape = load(source)
    let reference = ReferenceLoop(tape)!
    var v = tape.evaluate(), w = v
    var g = [Double](repeating: 0, count: tape.valueCount), h = g
    let repeats = n >= 1_000_000 ? 5 : 9
    let ours = Measure.median(repeats: repeats) { tape.forward(&v); tape.adjoints(values: v, into: &g) }
    let theirs = Measure.median(repeats: repeats) { reference.forward(&w); reference.reverse(w, &h) }
    precondition(g == h, "gradstep and the reference loop disagree")
    let count = Double(tape.count)
    rows.append(Row(workload: "forward+reverse, \(n) nodes", measured: ours / count, reference: theirs / count,
                    unit: "ns/node", target: "≤1.3× (2× ok)", ok: ours / theirs <= 2))
    let seed = tape.tangentSeed(leaf: 0)
    var t = seed, u = seed
    let oursT = Measure.median(repeats: repeats) {
        t.withUnsafeMutableBufferPointer { t in seed.withUnsafeBufferPointer { s in _ = t.update(fromContentsOf: s) } }
        tape.tangents(values: v, into: &t)
    }
    let theirsT = Measure.median(repeats: repeats) {
        u.withUnsafeMutableBufferPointer { u in seed.withUnsafeBufferPointer { s in _ = u.update(fromContentsOf: s) } }
        reference.tangent(w, &u)
    }
    precondition(t == u, "tangents disagree")
    rows.append(Row(workload: "forward tangent, \(n) nodes", measured: oursT / count, reference: theirsT / count,
                    unit: "ns/node", target: "≤1.2×", ok: oursT / theirsT <= 1.2))
}

// MARK: - Baydin: value + gradient per call
do {
    log("Baydin value + gradient …")
    let tape = load("input x1 = 2\ninput x2 = 5\ny = ln(x1) + x1*x2 - sin(x2)\n")
    var v = tape.evaluate()
    var g = v
    var x1 = 2.0
    let perCall = Measure.median(repeats: 9) {
        x1 = x1 == 2 ? 2.5 : 2
        v[0] = x1
        tape.forward(&v)
        tape.adjoints(values: v, into: &g)
    }
    rows.append(Row(workload: "Baydin value+gradient per call", measured: perCall, reference: nil,
                    unit: "ns", target: "≤300 ns", ok: perCall <= 300))
}

// MARK: - Memory and building
do {
    log("parse + build, 100000 statements …")
    let bench = try GraphBenchmark.run(source: SourceFile(name: "dag", text: RandomDAG.source(nodes: 100_000)), repeats: 3)
    rows.append(Row(workload: "bytes per scalar node (tape + value + adjoint)", measured: bench.bytesPerNode, reference: nil,
                    unit: "bytes", target: "≤56", ok: bench.bytesPerNode <= 56))
    rows.append(Row(workload: "parse + build, 1e5-statement file", measured: bench.buildNanosPerNode, reference: nil,
                    unit: "ns/node", target: "≤500 ns/node (issue 21)", ok: bench.buildNanosPerNode <= 500))
}
// Peak resident memory of `gradstep eval` beside the tape's bytes above (MemoryBench.swift).
rows += memory

// MARK: - Incremental recompute: time follows the cone, not the graph
do {
    log("incremental recompute …")
    var b = TapeBuilder()
    let total = 100_000
    let cones = [10, 100, 1_000, 10_000]
    var tips: [NodeID] = []
    var leaves: [NodeID] = []
    for length in cones + [total - cones.reduce(0, +)] {
        var node = b.leaf(.input, .scalar, [0.5])
        leaves.append(node)
        for _ in 0..<length { node = try b.apply(.sin, [node]) }
        tips.append(node)
    }
    var sum = tips[0]
    for tip in tips.dropFirst() { sum = try b.apply(.add, [sum, tip]) }
    let (tape, order) = b.finish(output: sum)
    var full = tape.evaluate()
    let fullTime = Measure.median(repeats: 7) { tape.forward(&full) }
    for (k, cone) in cones.enumerated() {
        var e = Evaluation(tape)
        let leaf = order[leaves[k].raw]
        var x = 0.5
        var recomputed = 0
        let time = Measure.median(repeats: 7) {
            x = x == 0.5 ? 0.6 : 0.5
            recomputed = e.set([(leaf: leaf, values: [x])])
        }
        rows.append(Row(workload: "recompute cone of \(recomputed) in \(tape.count) nodes", measured: time / Double(recomputed),
                        reference: fullTime / Double(tape.count), unit: "ns/node",
                        target: "∝ cone (\(cone) chain nodes)", ok: time < fullTime * Double(recomputed) / Double(tape.count) * 20))
    }
}

// MARK: - Explorer: one full redraw of a 2,000-node graph into the canvas
do {
    log("explorer redraw, 2000 nodes …")
    let graph = try GraphLoader.load(SourceFile(name: "dag", text: RandomDAG.source(nodes: 2_000)), graphName: "dag", mode: .file).get()
    for size in [(width: 120, height: 40), (width: 240, height: 70)] {
        var state = ExplorerBenchmark.state(graph: graph, size: size)
        _ = state.reduce(.mode(.reverse))
        _ = state.reduce(.last)
        let redraw = Measure.median(repeats: 9) { _ = ExplorerBenchmark.renderOnce(state) }
        rows.append(Row(workload: "explorer redraw, 2000 nodes, \(size.width)×\(size.height)", measured: redraw / 1e6, reference: nil,
                        unit: "ms", target: "≤5 ms", ok: redraw <= 5e6))
    }
}

// MARK: - Batch export: all cores against one
do {
    log("batch export of Graphs/ …")
    let folder = URL(fileURLWithPath: graphsFolder)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".grad") }.sorted()
    let graphs = names.compactMap { try? GraphLoader.load(path: folder.appendingPathComponent($0).path).get() }
    if graphs.isEmpty || (try? Graphviz.locate()) == nil {
        log("skipped: no graphs in \(graphsFolder) or no Graphviz")
    } else {
        func seconds(_ concurrent: Int) -> Double {
            let out = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gradstep-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let jobs = graphs.map { ExportJob(name: $0.name, tape: $0.tape, format: .svg, frames: true, outDir: out) }
            let batch = BatchExport(maxConcurrent: concurrent)
            let start = DispatchTime.now().uptimeNanoseconds
            let done = DispatchSemaphore(value: 0)
            // Detached: top-level code is main-actor isolated, and the main thread is about to wait.
            Task.detached { _ = await batch.run(jobs); done.signal() }
            done.wait()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let one = [seconds(1), seconds(1), seconds(1)].sorted()[1]
        let all = [seconds(cores), seconds(cores), seconds(cores)].sorted()[1]
        log(String(format: "  one at a time %.2f s, %d at a time %.2f s", one, cores, all))
        rows.append(Row(workload: "export Graphs/ with frames, \(cores) at a time vs 1", measured: one / all, reference: nil,
                        unit: "× speed-up", target: "≥1.7×", ok: one / all >= 1.7))
    }
}

// MARK: - Picture export: big generated graphs, every frame of Graphs/ (PictureBench.swift)
rows += pictureRows(graphsFolder: graphsFolder)

// MARK: - Optimisation: one step on micrograd's MLP (OptimizeBench.swift)
rows += try optimizationRows()

// MARK: - Tensors: the MLP against NumPy on one thread (TensorBench.swift)
rows += try tensorRows()

// MARK: - Report
let header = ["workload", "gradstep", "reference", "ratio", "unit", "target", "ok"]
let table = rows.map { r in
    [r.workload, fmt(r.measured), r.reference.map(fmt) ?? "—", r.ratio.map { String(format: "%.2f×", $0) } ?? "—",
     r.unit, r.target, r.ok ? "yes" : "NO"]
}
let widths = header.indices.map { c in ([header[c]] + table.map { $0[c] }).map(\.count).max()! }
func line(_ cells: [String]) -> String {
    "| " + zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ") + " |"
}
print(line(header))
print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
table.forEach { print(line($0)) }

try? FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
let report = JSON.array(rows.map { r in
    ["workload": .string(r.workload), "measured": .number(r.measured), "reference": .number(orNull: r.reference),
     "ratio": .number(orNull: r.ratio), "unit": .string(r.unit), "target": .string(r.target), "ok": .bool(r.ok)]
})
let json = report.text(expanding: 1) + "\n"
try json.write(toFile: outFolder + "/bench.json", atomically: true, encoding: .utf8)
log("wrote \(outFolder)/bench.json")
