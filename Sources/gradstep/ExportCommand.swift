import ArgumentParser
import Explorer
import Foundation
import GraphCore
import GraphExport
import GraphLanguage
import Screen

extension ImageFormat: ExpressibleByArgument {}

/// `export --format`: a picture format Graphviz draws, or, with `--frames`, what slides take.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case dot, svg, png, pdf, gif, beamer, mp4

    /// What each picture is drawn as: Beamer's frames are PDFs, a video's PNGs.
    var picture: ImageFormat {
        switch self {
        case .dot: .dot
        case .svg: .svg
        case .png, .mp4: .png
        case .pdf, .beamer: .pdf
        case .gif: .gif
        }
    }
}
extension DotOptions.RankDir: ExpressibleByArgument {}
extension Granularity: ExpressibleByArgument {}

/// `gradstep export`: Graphviz pictures of graphs, one or a folder, one picture or a frame
/// per step, rendered on all cores.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write DOT and render SVG/PNG/PDF pictures with Graphviz: one graph, a folder, or a frame per step.",
        discussion: """
            A FILE may be a folder: every .grad file in it is exported. Pictures go next to \
            each input unless --out is given, as NAME.svg; with --frames, into NAME-frames/ \
            with one picture per step (NAME-reverse-07.svg …) and an index.html to click or \
            arrow-key through them.

            gradstep never overwrites a file it did not write itself unless --force is given: \
            each output folder keeps a list of the files gradstep wrote there, .gradstep-export, \
            updated under a lock so that several exports into one folder lose nothing. Needs \
            Graphviz's `dot` except for --format dot.
            """
    )

    @Argument(help: "Graph files or folders of them.", completion: .file(extensions: ["grad"]))
    var files: [String] = []

    @Option(name: .customShort("e"), parsing: .unconditional, help: ArgumentHelp("Export a typed expression instead.", valueName: "expr"))
    var expression: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Give an input a value (repeatable).", valueName: "name=value"))
    var values: [String] = []

    @Option(name: .customLong("of"), help: ArgumentHelp("The output to differentiate, by name (default: the first of 'output a, b').", valueName: "name"))
    var of: String?

    @Option(help: "dot, svg, png, pdf or gif; with --frames also beamer (a .tex with an overlay per step, frames as PDF), gif (an animation) or mp4 (a video, needs ffmpeg).")
    var format: ExportFormat = .svg

    @Option(help: ArgumentHelp("Seconds each step is shown in a --frames gif or mp4.", valueName: "s"))
    var delay: Double?

    @Flag(help: "With --frames: one index.html with every frame inside it, that works with no folder beside it.")
    var singleFile = false

    @Option(name: .customLong("jobs"), help: ArgumentHelp("Files rendered at once (default: the number of cores).", valueName: "n"))
    var rendersAtOnce: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: [.short, .long], help: ArgumentHelp("Folder to write into (default: next to each input).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("A theme from Themes/ (default: a print-friendly light palette).", valueName: "name"))
    var theme: String?

    @Option(help: "LR (inputs left) or TB (inputs on top); by default the arrangement that fits a 16:9 slide and an A4 page best (wrapped in rows or columns when neither direction fits).")
    var rankdir: DotOptions.RankDir?

    @Option(help: ArgumentHelp("Significant digits of the numbers in a picture.", valueName: "n"))
    var digits: Int = 4

    @Flag(help: "Draw every constant as a box of its own instead of inside its consumer's label.")
    var showConstants = false

    @Option(help: ArgumentHelp("PNG size as a multiple of 96 dpi (2 for slides).", valueName: "x"))
    var scale: Double?

    @Option(help: ArgumentHelp("PNG resolution in dots per inch (96 by default).", valueName: "n"))
    var dpi: Double?

    @Option(help: "What the picture shows: primal (values), forward (values and tangents) or reverse (values and adjoints).")
    var state: Phase = .reverse

    @Flag(help: "One picture per step of the chosen pass, and an index.html to step through them.")
    var frames = false

    @Option(help: ArgumentHelp("tensor (one node per tensor, as written) or scalar (the neuron-level view: one node per element and per multiply-add, written as NAME-scalar.svg).", valueName: "g"))
    var granularity: Granularity = .tensor

    @Flag(help: "Overwrite files gradstep did not write.")
    var force = false

    @Option(help: ArgumentHelp("Forward mode: the input, or one element of it (W[2,0]), whose tangent is seeded; the scalar view seeds one element.", valueName: "name"))
    var wrt: String?

    @Option(name: .customLong("seed"), help: ArgumentHelp("With --state forward: a tangent along any direction, one number per element of --wrt (a whole input, default the first), as trace --mode forward --seed.", valueName: "tensor"))
    var direction: String?

    // Unconditional, so a negative seed (`--seed-adjoint -1`) is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Reverse mode: the output's adjoint seed, a number or a tensor of the output's shape (a vector-Jacobian product).", valueName: "v"))
    var seedAdjoint: String?

    @Option(help: ArgumentHelp("Groups to draw open (group blocks and def calls such as dense#2), or all; every other group is drawn folded, as one box. With --granularity scalar: the tensor nodes to expand into neurons (all by default).",
                               valueName: "group,…"))
    var open: String?

    @Option(help: ArgumentHelp("fit (a picture too big for a 16:9 slide folds chains of nodes into named boxes, and says so) or full (every node).", valueName: "d"))
    var detail: Detail = .fit

    enum Detail: String, ExpressibleByArgument { case fit, full }

    @Option(help: ArgumentHelp("Seconds one Graphviz render may take.", valueName: "s"))
    var timeout: Double = 60

    func validate() throws {
        if files.isEmpty && expression == nil { throw ValidationError("give graph files, a folder, or -e EXPR") }
        if !files.isEmpty && expression != nil { throw ValidationError("give either files or -e EXPR, not both") }
        try GraphOptions.validateAssignments(values)
        if !(1...17).contains(digits) { throw ValidationError("--digits \(digits): give 1 to 17 significant digits") }
        if scale != nil && dpi != nil { throw ValidationError("give either --scale or --dpi, not both") }
        if let scale, !(scale > 0 && scale <= 20) { throw ValidationError("--scale \(scale): give a number above 0, at most 20") }
        if let dpi, !(dpi >= 10 && dpi <= 2000) { throw ValidationError("--dpi \(dpi): give 10 to 2000 dots per inch") }
        // NaN, 0 or a negative number gave Graphviz no time at all, silently.
        if !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout \(timeout): give the seconds one render may take, above 0 and at most 86400") }
        _ = try OutputSeed(seedAdjoint)
        if !frames && (format == .beamer || format == .mp4) { throw ValidationError("--format \(format.rawValue) writes the steps of a sweep: add --frames") }
        if let delay {
            guard format == .gif || format == .mp4, frames else { throw ValidationError("--delay sets the seconds per step of a --frames gif or mp4") }
            guard delay >= 0.01 && delay <= Handout.maximumDelay else {
                throw ValidationError("--delay \(delay): give 0.01 to \(Handout.maximumDelay) seconds per step")
            }
        }
        if singleFile {
            guard frames else { throw ValidationError("--single-file puts the frames into one page: add --frames") }
            guard [.svg, .png, .dot].contains(format) else {
                throw ValidationError("--single-file embeds svg or png frames (or dot text), not \(format.rawValue)")
            }
        }
        if rendersAtOnce < 1 { throw ValidationError("--jobs \(rendersAtOnce): give at least 1") }
    }

    /// With `--frames`, what the frames are handed out as (nil: a folder of pictures and its page).
    func handout() throws -> Handout? {
        guard frames else { return nil }
        let seconds = delay ?? 2
        switch format {
        case .beamer: return .beamer
        case .gif: return .gif(delay: seconds)
        case .mp4:
            guard let ffmpeg = Handout.program("ffmpeg") else {
                throw Failure(text: "error: --format mp4 needs ffmpeg, which is not on PATH\nhint: install it (apt-get install ffmpeg, brew install ffmpeg), or write an animated GIF with --format gif\n")
            }
            return .mp4(delay: seconds, ffmpeg: ffmpeg)
        case .dot, .svg, .png, .pdf: return singleFile ? .singleFile : nil
        }
    }

    func run() throws {
        let handout = try handout()
        let seed = try OutputSeed(seedAdjoint)
        var palette = DotPalette.light
        if let theme {
            do {
                let loaded = try ThemeLoader().load(named: theme)
                loaded.warnings.forEach { warn($0.description) }
                palette = DotPalette(theme: loaded.theme)
            } catch {
                throw Failure(text: errorText(error))
            }
        }
        let openGroups = Set(groupNames(open ?? ""))
        var groupNames: Set<String> = []
        var jobs: [ExportJob] = []
        var loadErrors = 0
        func add(_ loaded: Graph, outDir: URL) throws {
            var graph = loaded
            if let of {
                switch loaded.differentiating(of) {
                case .success(let g): graph = g
                case .failure(let f): throw Failure(text: f.rendered(useColor: colorOnStderr))
                }
            }
            let tensorGraph = graph
            var outputSeed = 1.0
            var outputSeedTensor: [Double]?
            switch seed {
            case .number(let s): outputSeed = s
            case .tensor(let literal):
                try OutputSeed.check(literal, seedAdjoint, tensorGraph)
                outputSeedTensor = literal.values
            }
            if granularity == .scalar {
                do {
                    graph = try graph.scalarView().graph
                    graph.name += "-scalar"
                } catch {
                    FileHandle.standardError.write(Data("error: \(graph.name): \(error.description)\n".utf8))
                    loadErrors += 1
                    return
                }
            }
            if let v = outputSeedTensor, v.count != graph.tape.entries[graph.tape.output].count {
                throw Failure(text: "error: --seed-adjoint \(seedAdjoint ?? ""): the scalar view's output has \(graph.tape.entries[graph.tape.output].count) elements, not \(v.count); give a number seed\n", status: 2)
            }
            var tangentSeed: TangentSeed?
            if let wrt {
                // Resolved in the tensor graph, as every command resolves it; the scalar view
                // names its nodes by the same references (`W[2,0]`).
                let seed: TangentSeed
                switch ElementReference.seed(wrt, in: tensorGraph.tape) {
                case .success(let s): seed = s
                case .failure(let error): throw Failure(text: "error: --wrt \(error) (in \(graph.name))\n", status: 2)
                }
                tangentSeed = seed
                if granularity == .scalar {
                    let tensorTape = tensorGraph.tape
                    guard seed.element != nil || tensorTape.entries[seed.leaf].count == 1 else {
                        let first = ElementReference(tensorTape, leaf: seed.leaf, element: 0)
                        throw Failure(text: "error: --wrt \(wrt): the scalar view seeds one element; name one, such as \(first)\n", status: 2)
                    }
                    let name = ElementReference(tensorTape, leaf: seed.leaf, element: seed.element).description
                    tangentSeed = graph.node(named: name).map { TangentSeed(leaf: $0) }
                }
            }
            if let direction {
                guard state == .forward, granularity == .tensor else {
                    throw Failure(text: "error: --seed seeds forward mode's tangents along a direction of a whole input; add --state forward"
                                  + (granularity == .scalar ? " and draw the tensor view (the scalar view seeds one element)" : "") + "\n", status: 2)
                }
                tangentSeed = try TangentSeed.direction(direction, on: tangentSeed, in: graph)
            }
            groupNames.formUnion(graph.groups.map(\.name))
            // The neuron view's groups are its tensor nodes: all open unless --open names the
            // ones to expand (the rest are drawn as the tensor view draws them).
            let open = granularity == .scalar && openGroups.isEmpty ? ["all"] : openGroups
            let folding = graph.groups.isEmpty ? nil : GroupFolding(groups: graph.groups, open: open, nodeCount: graph.tape.count)
            var job = ExportJob(name: graph.name, tape: graph.tape, state: state, format: format.picture, frames: frames,
                                outDir: outDir, force: force, seedLeaf: tangentSeed?.leaf,
                                seedElement: tangentSeed?.element, outputSeed: outputSeed,
                                outputSeedTensor: outputSeedTensor, folding: folding)
            job.handout = handout
            job.seedDirection = tangentSeed?.direction
            if let refusal = job.framesRefusal {
                throw Failure(text: "error: \(refusal)\nhint: \(ExportJob.framesHint)\n")
            }
            jobs.append(job)
        }
        let pairs = GraphOptions.assignments(values)
        if let expression {
            switch GraphLoader.load(expression: expression, values: pairs) {
            case .success(let g): try add(g, outDir: URL(fileURLWithPath: out ?? "."))
            case .failure(let f): throw Failure(text: f.rendered(useColor: colorOnStderr))
            }
        } else {
            for path in try expand(files) {
                switch GraphLoader.load(path: path, values: pairs) {
                case .success(let g):
                    try add(g, outDir: URL(fileURLWithPath: out ?? URL(fileURLWithPath: path).deletingLastPathComponent().path))
                case .failure(let f):
                    // Too large to evaluate (a full-size VGG11) but not to draw: its shapes.
                    if !frames, case .success(let g) = GraphLoader.load(path: path, values: pairs, shapesOnly: true) {
                        warn("note: \(g.name) is too large to evaluate: its picture shows shapes only, no numbers")
                        try add(g, outDir: URL(fileURLWithPath: out ?? URL(fileURLWithPath: path).deletingLastPathComponent().path))
                        continue
                    }
                    FileHandle.standardError.write(Data(f.rendered(useColor: colorOnStderr).utf8))
                    loadErrors += 1
                }
            }
        }
        if let unknown = openGroups.subtracting(groupNames).subtracting(["all"]).sorted().first {
            let known = groupNames.sorted()
            var text = "error: --open \(unknown): no group of that name"
            if let s = suggestion(for: unknown, among: known) { text += "; did you mean '\(s)'?" }
            else { text += known.isEmpty ? " (the graph has no groups)" : " (groups: \(known.joined(separator: ", ")))" }
            throw Failure(text: text + "\n", status: 2)
        }
        var sized = BatchExport(options: DotOptions(rankdir: rankdir, palette: palette, digits: digits,
                                                    showConstants: showConstants), timeout: timeout, maxConcurrent: rendersAtOnce)
        sized.size.dpi = dpi ?? 96 * (scale ?? 1)
        sized.foldToFit = detail == .fit && granularity == .tensor
        let batch = sized
        let showProgress = isatty(2) == 1
        let planned = jobs
        let interruption = cleanUpOnInterrupt()
        defer { interruption.forEach { $0.cancel() } }
        let summary = runBlocking {
            await batch.run(planned) { p in
                guard showProgress else { return }
                let mark = p.error == nil ? "" : " (failed)"
                FileHandle.standardError.write(Data("\r\u{1B}[K[\(p.done)/\(p.morePlanned ? "≥" : "")\(p.total)] \(p.file.path)\(mark)".utf8))
            }
        }
        if showProgress && !jobs.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print(summary.description, terminator: summary.description.hasSuffix("\n") ? "" : "\n")
        if loadErrors > 0 { print("\(loadErrors) graph\(loadErrors == 1 ? "" : "s") could not be loaded (see above).") }
        if !summary.succeeded || loadErrors > 0 { throw Failure(text: "", status: 1) }
    }

    /// Folders become the .grad files in them, sorted; anything else must be a file.
    func expand(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw Failure(text: "error: no such file or folder: \(path)\n")
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let graphs = names.filter { $0.hasSuffix(".grad") }.sorted()
                if graphs.isEmpty { throw Failure(text: "error: \(path) holds no .grad files\n") }
                result += graphs.map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            } else {
                try InputFile.check(path)
                result.append(path)
            }
        }
        return result
    }
}

/// On Ctrl-C, SIGTERM or SIGHUP (the terminal closed), kills the renders in flight (their
/// whole process groups) and removes this process's hidden temporary files before exiting
/// (130, 143 or 129), so a stopped batch leaves only whole pictures behind, each listed in
/// its folder's manifest.
func cleanUpOnInterrupt() -> [DispatchSourceSignal] {
    [(SIGINT, "interrupted"), (SIGTERM, "terminated"), (SIGHUP, "hung up")].map { number, what in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            Subprocess.killAll()
            AtomicFile.removeTemporaryFiles()
            FileHandle.standardError.write(Data("\n\(what); no partial files left behind\n".utf8))
            exit(128 + number)
        }
        source.resume()
        return source
    }
}

var colorOnStderr: Bool { isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

func warn(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

/// Runs async work from a synchronous command: the main thread waits, tasks run elsewhere.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    // Detached so it never inherits an actor whose thread is the one about to wait.
    Task.detached {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable { var value: T? }
