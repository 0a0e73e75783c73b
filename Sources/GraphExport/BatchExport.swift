import Foundation
import GraphCore

/// One graph to export.
public struct ExportJob: Sendable {
    /// The graph's name: file names start with it (`baydin.svg`, `baydin-reverse-07.svg`).
    public var name: String
    public var tape: Tape
    /// What the picture shows: values; values and tangents; values and adjoints.
    public var state: Phase
    public var format: ImageFormat
    /// One picture per step instead of one of the final state (see `BatchExport`).
    public var frames: Bool
    public var outDir: URL
    /// Overwrite files gradstep did not write.
    public var force: Bool
    /// Primal values to show; nil evaluates the tape at its stored leaf values.
    public var values: [Double]?
    /// Leaf seeded for forward mode; nil means the first input.
    public var seedLeaf: Int?
    /// The element of `seedLeaf` seeded (`W[2,0]`); nil seeds all of it.
    public var seedElement: Int?
    /// A direction along which forward mode seeds `seedLeaf` (the explorer's
    /// `:mode forward x=[1, -2]`), one number per element; nil for none.
    public var seedDirection: [Double]? = nil
    /// Forward mode's seed: `seedLeaf`, one element of it, or a direction on it.
    public var tangentSeed: TangentSeed? { seedLeaf.map { TangentSeed(leaf: $0, element: seedElement, direction: seedDirection) } }
    public var outputSeed: Double
    /// The output's adjoint seed element by element (a vector-Jacobian product), in place of
    /// `outputSeed` on every element; nil for a number seed.
    public var outputSeedTensor: [Double]?
    /// The graph's groups and which are drawn open (nil: no groups).
    public var folding: GroupFolding?
    /// What was folded to fit a slide, said under the picture's title (see `FoldToFit`).
    public var foldNote: String?
    /// One picture of the sweep at this step (as its frame in `frames`), in place of the final
    /// state: the explorer's `:export step`. Ignored with `frames`.
    public var step: Int?
    /// The boxes `FoldToFit` made (not the graph's own groups): `--detail full` opens them.
    public var madeToFit: Set<String> = []
    /// With `frames`: Beamer slides, an animation or a page with the frames inside (see
    /// `Handout`); nil for the folder of pictures and its page.
    public var handout: Handout?

    public init(name: String, tape: Tape, state: Phase = .reverse, format: ImageFormat = .svg,
                frames: Bool = false, outDir: URL, force: Bool = false, values: [Double]? = nil,
                seedLeaf: Int? = nil, seedElement: Int? = nil, outputSeed: Double = 1, outputSeedTensor: [Double]? = nil,
                folding: GroupFolding? = nil) {
        self.name = name
        self.tape = tape
        self.state = state
        self.format = format
        self.frames = frames
        self.outDir = outDir
        self.force = force
        self.values = values
        self.seedLeaf = seedLeaf
        self.seedElement = seedElement
        self.outputSeed = outputSeed
        self.outputSeedTensor = outputSeedTensor
        self.folding = folding
    }
}

/// One file finished (written or failed), for a progress line on a terminal.
public struct ExportProgress: Sendable {
    /// Files finished so far, including this one.
    public var done: Int
    /// Files planned so far; final once `morePlanned` is false.
    public var total: Int
    /// True while later graphs are still being planned, so `total` will grow.
    public var morePlanned = false
    public var file: URL
    /// Nil when the file was written.
    public var error: ExportError?
}

/// What a batch did.
public struct ExportSummary: Sendable, CustomStringConvertible {
    public struct Failure: Sendable {
        public var job: String
        public var file: URL?
        public var error: ExportError
    }

    /// Files written, sorted by path.
    public var written: [URL] = []
    /// Failures, sorted by job and file.
    public var failures: [Failure] = []

    /// True when every file was written; the CLI exits non-zero otherwise.
    public var succeeded: Bool { failures.isEmpty }

    /// `Wrote 12 files.` or `Wrote 11 files; 1 failed:` and one line per failure.
    public var description: String {
        let files = written.count == 1 ? "1 file" : "\(written.count) files"
        guard !failures.isEmpty else { return "Wrote \(files).\n" }
        var out = "Wrote \(files); \(failures.count) failed:\n"
        for f in failures { out += "  \(f.job): \(f.error)\n" }
        return out
    }
}

/// Exports many graphs at once: DOT or pictures rendered by Graphviz, a final state or a frame
/// per step, on all cores.
///
/// ```swift
/// let jobs = [ExportJob(name: "baydin", tape: tape, state: .reverse, format: .svg, outDir: out)]
/// let summary = await BatchExport().run(jobs) { p in print("[\(p.done)/\(p.total)] \(p.file.lastPathComponent)") }
/// print(summary)   // "Wrote 1 file."
/// ```
///
/// Files written for a job named `NAME`:
/// - without frames, `OUT/NAME.<format>`;
/// - with frames, a folder `OUT/NAME-frames/` holding one picture per step,
///   `NAME-<phase>-<step>.<format>` with the step zero-padded to the width of the step count
///   (at least two digits), and `index.html`, a self-contained page to click or arrow-key
///   through the frames with each step's trace row under the picture. The `primal` state gives
///   the primal frames, `forward` the tangent frames, `reverse` the primal frames followed by
///   the reverse ones (the forward pass runs before the backward pass).
///
/// Every file is rendered on its own (frames of one graph in parallel too), at most
/// `maxConcurrent` at a time, in the order of the jobs. A failure is reported for its file and the batch goes on.
///
/// Overwriting: each output folder keeps a manifest, `.gradstep-export`, listing the files
/// gradstep wrote there. An existing file is replaced only when it is in that manifest, or when
/// the job has `force`. Everything else is refused with `ExportError.wouldOverwrite`. The
/// manifest is updated under a lock and before each rename (see `ExportManifest`), so
/// concurrent batches into one folder lose nothing, and a `.gradstep-export` that is not a
/// file fails the job before anything is written.
public struct BatchExport: Sendable {
    /// Name of the manifest file in each output folder (`ExportManifest.fileName`).
    public static let manifestName = ExportManifest.fileName

    public var options: DotOptions
    /// Fold chains of a picture too big for a slide into named boxes (`FoldToFit`); the CLI
    /// does unless `--detail full`.
    public var foldToFit = false
    /// The `dot` program; nil finds it on `searchPath` when a job needs it.
    public var graphviz: Graphviz?
    /// Where to look for `dot` (PATH syntax); the process's PATH by default.
    public var searchPath: String?
    /// Seconds one render may take.
    public var timeout: Double
    /// Files rendered at once; the number of cores by default.
    public var maxConcurrent: Int
    /// PNG resolution and PDF margins.
    public var size = PictureSize()

    public init(options: DotOptions = DotOptions(), graphviz: Graphviz? = nil,
                searchPath: String? = ProcessInfo.processInfo.environment["PATH"], timeout: Double = 60,
                maxConcurrent: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.options = options
        self.graphviz = graphviz
        self.searchPath = searchPath
        self.timeout = timeout
        self.maxConcurrent = Swift.max(1, maxConcurrent)
    }

    /// Runs `jobs`; `progress` is called once per file, from one task at a time.
    ///
    /// Jobs are planned (laid out, their DOT written) one after another while the first files
    /// render, so rendering starts at once. Progress is reported as each file finishes, with
    /// the total planned so far and whether more graphs are still to be planned.
    public func run(_ jobs: [ExportJob],
                    progress: @escaping @Sendable (ExportProgress) -> Void = { _ in }) async -> ExportSummary {
        var summary = ExportSummary()
        var found = self.graphviz
        if found == nil, jobs.contains(where: { $0.format.needsGraphviz }) {
            found = try? Graphviz.locate(path: searchPath, timeout: timeout)
        }
        let graphviz = found
        var plannable: [ExportJob] = []
        for job in jobs {
            if job.format.needsGraphviz && graphviz == nil {
                summary.failures.append(.init(job: job.name, file: nil, error: .graphvizMissing))
            } else {
                plannable.append(job)
            }
        }

        enum Event: Sendable {
            case planned(Int, Result<[FileTask], ExportError>)
            case performed(FileTask, ExportError?)
        }
        let ledger = Ledger()
        let work = plannable
        await withTaskGroup(of: Event.self) { group in
            func plan(_ j: Int) -> @Sendable () async -> Event {
                { () async -> Event in
                    do throws(ExportError) {
                        return .planned(j, .success(try await self.plan(work[j], graphviz: graphviz)))
                    } catch {
                        return .planned(j, .failure(error))
                    }
                }
            }
            var ready: [FileTask] = [], started = 0, rendering = 0
            var planning = 0, nextPlan = 0
            var finished: [(file: URL, error: ExportError?)] = [], reported = 0
            // Planning runs `dot` too (the pinned layout), so it takes one of the
            // `maxConcurrent` slots like a render: with one slot nothing overlaps. Jobs are
            // planned in order, several at once when slots are free; a plan starts whenever
            // fewer files are waiting (or being planned) than there are slots, so rendering
            // never runs dry while there is work to plan.
            func fill() {
                while rendering + planning < maxConcurrent {
                    let waiting = ready.count - started
                    if nextPlan < work.count, waiting + planning < maxConcurrent {
                        group.addTask(operation: plan(nextPlan))
                        nextPlan += 1
                        planning += 1
                    } else if waiting > 0 {
                        let task = ready[started]
                        let size = self.size
                        group.addTask { .performed(task, await task.perform(graphviz: graphviz, ledger: ledger, size: size)) }
                        started += 1
                        rendering += 1
                    } else {
                        return
                    }
                }
            }
            fill()
            for await event in group {
                switch event {
                case let .planned(j, result):
                    planning -= 1
                    switch result {
                    case let .success(tasks): ready += tasks
                    case let .failure(error): summary.failures.append(.init(job: work[j].name, file: nil, error: error))
                    }
                case let .performed(task, error):
                    rendering -= 1
                    if let error {
                        summary.failures.append(.init(job: task.job, file: task.file, error: error))
                    } else {
                        summary.written.append(task.file)
                    }
                    finished.append((task.file, error))
                }
                fill()
                while reported < finished.count {
                    let (file, error) = finished[reported]
                    reported += 1
                    progress(ExportProgress(done: reported, total: ready.count, morePlanned: nextPlan < work.count || planning > 0,
                                            file: file, error: error))
                }
            }
        }
        await ledger.close()
        summary.written.sort { $0.path < $1.path }
        summary.failures.sort { ($0.job, $0.file?.path ?? "") < ($1.job, $1.file?.path ?? "") }
        return summary
    }

    /// The picture of step `step` of `job`'s sweep, drawn as that step's frame is.
    static func stepSource(_ job: ExportJob, _ step: Int, options: DotOptions, pinned: PinnedLayout?) -> FrameSource {
        let explanation = Explanation(tape: job.tape, values: job.values ?? job.tape.evaluate(), phase: job.state,
                                      tangentSeed: job.seedLeaf.map { TangentSeed(leaf: $0) }, outputSeed: job.outputSeed,
                                      outputSeedTensor: job.outputSeedTensor)
        return FrameSource(explanation: explanation, position: step, name: job.name, options: options, pinned: pinned)
    }

    /// The files `job` writes, in order, with their contents still to render.
    func plan(_ job: ExportJob, graphviz: Graphviz? = nil) async throws(ExportError) -> [FileTask] {
        let base = Self.fileName(job.name)
        let ext = job.format.rawValue
        if job.tape.isShapesOnly {
            // Too large to evaluate: a picture of its shapes (see `ShapesPicture`).
            try Self.makeFolder(job.outDir)
            try ExportFolder.checkManifest(job.outDir)
            return try await shapesPlan(job, graphviz: graphviz, file: job.outDir.appendingPathComponent("\(base).\(ext)"))
        }
        guard job.frames else {
            try Self.makeFolder(job.outDir)
            try ExportFolder.checkManifest(job.outDir)
            let file = job.outDir.appendingPathComponent("\(base).\(ext)")
            let (job, measured) = await foldedToFit(job, values: job.values, graphviz: graphviz, for: file)
            var placement: PinnedLayout?? = .some(measured)
            if measured == nil { placement = await self.placement(job, values: job.values, graphviz: graphviz, for: file) }
            let options = jobOptions(job, own: placement == nil)
            if let step = job.step {
                var pinned = placement ?? nil
                if placement == nil && job.format.needsGraphviz {
                    pinned = LayeredPicture.pinned(DotWriter.finalScene(tape: job.tape, state: job.state, values: job.values,
                                                                        tangentSeed: job.seedLeaf.map { TangentSeed(leaf: $0) },
                                                                        outputSeed: job.outputSeed, outputSeedTensor: job.outputSeedTensor),
                                                   options: options)
                }
                let source = Self.stepSource(job, step, options: options, pinned: pinned)
                return [FileTask(job: job.name, file: file, content: .frame(source, job.format, pinned: pinned != nil), force: job.force)]
            }
            var pinned: PinnedLayout?
            if let placement {
                pinned = placement
            } else if job.format.needsGraphviz {
                // Too costly for dot: gradstep's own layout, drawn by gradstep (SVG) or by neato.
                let scene = DotWriter.finalScene(tape: job.tape, state: job.state, values: job.values,
                                                 tangentSeed: job.tangentSeed, outputSeed: job.outputSeed,
                                             outputSeedTensor: job.outputSeedTensor)
                if job.format == .svg {
                    let svg = LayeredPicture.svg(scene, name: job.name, options: options, title: scene.subtitle)
                    return [FileTask(job: job.name, file: file, content: .text(svg), force: job.force)]
                }
                pinned = LayeredPicture.pinned(scene, options: options)
            }
            let dot = DotWriter.dot(tape: job.tape, name: job.name, state: job.state, values: job.values,
                                    tangentSeed: job.tangentSeed, outputSeed: job.outputSeed, outputSeedTensor: job.outputSeedTensor,
                                    options: options, pinned: pinned)
            return [FileTask(job: job.name, file: file, content: .dot(dot, job.format, pinned: pinned != nil), force: job.force)]
        }
        let handout = job.handout
        // LaTeX reads picture names as they are written: Beamer's frames get plain ones.
        let stem = handout == .beamer ? BeamerSlides.safeStem(base) : base
        let folder = handout?.isAnimation == true ? job.outDir : job.outDir.appendingPathComponent("\(base)-frames")
        try Self.makeFolder(folder)
        try ExportFolder.checkManifest(folder)
        let values = job.values ?? job.tape.evaluate()
        let phases = job.framePhases
        var tasks: [FileTask] = []
        var entries: [FramesPage.Entry] = []
        var sources: [FrameSource] = []
        let (job, measured) = await foldedToFit(job, values: values, graphviz: graphviz, for: folder)
        // One layout for every frame, so that nodes hold still while one steps through them.
        var placement: PinnedLayout?? = .some(measured)
        if measured == nil { placement = await self.placement(job, values: values, graphviz: graphviz, for: folder) }
        let options = jobOptions(job, own: placement == nil)
        var pinned: PinnedLayout? = placement ?? nil
        if placement == nil && job.format.needsGraphviz {
            let scene = DotWriter.finalScene(tape: job.tape, state: job.state, values: values,
                                             tangentSeed: job.tangentSeed, outputSeed: job.outputSeed,
                                             outputSeedTensor: job.outputSeedTensor)
            pinned = LayeredPicture.pinned(scene, options: options)
        }
        for phase in phases {
            // Each frame is drawn when its file is written: see `FrameSource`. The step's sentence
            // lives in the page (index.html), not in the picture, so a frame is the single
            // picture's size.
            let explanation = Explanation(tape: job.tape, values: values, phase: phase,
                                          tangentSeed: job.tangentSeed, outputSeed: job.outputSeed,
                                             outputSeedTensor: job.outputSeedTensor)
            var stepper = Stepper(explanation: explanation)
            // DOT frames are drawn here, in order, each once (the page and the file share it).
            let drawer = FrameDrawer(explanation: explanation, name: job.name, options: options, pinned: pinned)
            let width = Swift.max(2, String(stepper.count).count)
            repeat {
                let step = String(stepper.position)
                let padded = String(repeating: "0", count: Swift.max(0, width - step.count)) + step
                let file = "\(stem)-\(phase.rawValue)-\(padded).\(ext)"
                let source = FrameSource(explanation: explanation, position: stepper.position, name: job.name,
                                         options: options, pinned: pinned, captioned: handout?.isAnimation == true)
                sources.append(source)
                let dot = job.format == .dot ? source.dot(drawnBy: drawer) : nil
                if handout?.writesFrameFiles ?? true {
                    tasks.append(FileTask(job: job.name, file: folder.appendingPathComponent(file),
                                          content: dot.map { .dot($0, job.format, pinned: pinned != nil) }
                                              ?? .frame(source, job.format, pinned: pinned != nil), force: job.force))
                }
                entries.append(.init(file: file, title: "\(phase.rawValue) · step \(stepper.position) of \(stepper.count)",
                                     caption: DotWriter.caption(stepper), dot: dot,
                                     phase: phase, step: stepper.position))
            } while stepper.next()
        }
        let legend = Self.hasPartialAdjoints(job, values: values) ? Scene.partialLegend : nil
        func bundle(_ kind: FrameBundle.Kind, _ file: String) {
            let made = FrameBundle(kind: kind, frames: sources, format: job.format, pinned: pinned != nil)
            tasks.append(FileTask(job: job.name, file: folder.appendingPathComponent(file), content: .bundle(made), force: job.force))
        }
        switch handout {
        case let .gif(delay): bundle(.gif(delay: delay), "\(base).gif")
        case let .mp4(delay, ffmpeg): bundle(.mp4(delay: delay, ffmpeg: ffmpeg), "\(base).mp4")
        // A DOT page holds the DOT text already.
        case .singleFile where job.format.needsGraphviz:
            bundle(.page(name: job.name, entries: entries, palette: options.palette.checked, legend: legend), "index.html")
        case nil, .beamer, .singleFile:
            let page = FramesPage.html(name: job.name, format: job.format, entries: entries, background: options.palette.checked,
                                       legend: legend)
            tasks.append(FileTask(job: job.name, file: folder.appendingPathComponent("index.html"),
                                  content: .text(page), force: job.force))
            if handout == .beamer {
                tasks.append(FileTask(job: job.name, file: folder.appendingPathComponent("\(stem).tex"),
                                      content: .text(BeamerSlides.tex(name: job.name, entries: entries, legend: legend)), force: job.force))
            }
        }
        return tasks
    }

    /// Where `job`'s pictures go: Graphviz's layout, pinned (nil inside when there is nothing
    /// to lay out, no Graphviz, or dot failed: each picture is then laid out by dot on its
    /// own, which reports the error); nil for gradstep's own layout, used when dot's predicted
    /// cost is too high or dot runs past `LayoutChoice.dotSeconds` (see `LayoutChoice`).
    func placement(_ job: ExportJob, values: [Double]?, graphviz: Graphviz?, for file: URL) async -> PinnedLayout?? {
        guard job.format.needsGraphviz else { return .some(nil) }
        if LayoutChoice.dotCost(job.tape, options: options, folding: job.folding) > LayoutChoice.dotBudget { return nil }
        guard var capped = graphviz else { return .some(nil) }
        capped.timeout = Swift.min(capped.timeout, LayoutChoice.dotSeconds)
        do throws(ExportError) {
            return .some(try await layout(job, values: values, graphviz: capped, for: file))
        } catch {
            if case .timedOut = error { return nil }
            return .some(nil)
        }
    }

    /// The one layout of `job`'s pictures, shaped for a slide unless the direction is given.
    func layout(_ job: ExportJob, values: [Double]?, graphviz: Graphviz, for file: URL) async throws(ExportError) -> PinnedLayout {
        let options = jobOptions(job, own: false)
        var layout = try await graphviz.slideLayout({ rankdir, wrap in
            DotWriter.layoutDOT(tape: job.tape, name: job.name, state: job.state, values: values, tangentSeed: job.tangentSeed,
                                outputSeed: job.outputSeed, outputSeedTensor: job.outputSeedTensor, rankdir: rankdir, wrap: wrap,
                                options: options)
        }, fixed: options.rankdir, estimate: Scene.chooseRankdir(job.tape, options: options),
           jointly: LayoutChoice.dotCost(job.tape, options: options, folding: job.folding) <= LayoutChoice.jointBudget, for: file)
        layout.legendLine = Self.hasPartialAdjoints(job, values: values)
        return layout
    }

    /// Whether `job`'s reverse frames show a partial adjoint (a node that receives several
    /// terms): their pictures carry the legend, and the layout keeps its line.
    static func hasPartialAdjoints(_ job: ExportJob, values: [Double]?) -> Bool {
        guard job.state == .reverse else { return false }
        let x = Explanation(tape: job.tape, values: values ?? job.tape.evaluate(), phase: .reverse,
                            outputSeed: job.outputSeed, outputSeedTensor: job.outputSeedTensor)
        return (0..<job.tape.count).contains(where: x.canBePartialAdjoint)
    }

    /// The batch's options with `job`'s groups; gradstep's own layout (`own`) draws every node.
    func jobOptions(_ job: ExportJob, own: Bool) -> DotOptions {
        var options = self.options
        options.folding = own ? nil : job.folding
        options.note = own ? nil : job.foldNote
        options.madeToFit = own ? [] : job.madeToFit
        return options
    }

    /// A graph name made safe as the start of a file name: no path separators, no leading dot.
    public static func fileName(_ name: String) -> String {
        var out = String(name.unicodeScalars.map { u -> Character in
            u == "/" || u == "\\" || u.value < 0x20 || u == ":" ? "_" : Character(u)
        })
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out.isEmpty ? "graph" : out
    }

    static func makeFolder(_ url: URL) throws(ExportError) {
        // A file, device or FIFO where the folder (or one above it) would be is named as such,
        // not as the system's "a file with the same name already exists".
        var probe = url
        while probe.path != "/" {
            var info = stat()
            if stat(probe.path, &info) == 0 {
                let kind = info.st_mode & S_IFMT
                guard kind == S_IFDIR else {
                    let what = kind == S_IFREG ? "a file" : kind == S_IFIFO ? "a FIFO" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : "something else"
                    throw .io(file: url.path, message: "cannot create the folder: \(probe.path) is \(what), not a folder")
                }
                break
            }
            probe.deleteLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .io(file: url.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}

/// One file of a batch.
struct FileTask: Sendable {
    enum Content: Sendable {
        /// DOT text, written as is or rendered to a picture.
        case dot(String, ImageFormat, pinned: Bool)
        /// A frame's DOT text, drawn only now, then as `.dot`.
        case frame(FrameSource, ImageFormat, pinned: Bool)
        /// A page written as is.
        case text(String)
        /// Every frame drawn, then made into one file (an animation, a page with them inside).
        case bundle(FrameBundle)
    }

    var job: String
    var file: URL
    var content: Content
    var force: Bool

    /// Claims the file (a fast refusal before any rendering), writes a temporary file, and
    /// commits it through the folder's manifest.
    func perform(graphviz: Graphviz?, ledger: Ledger, size: PictureSize = PictureSize()) async -> ExportError? {
        do throws(ExportError) {
            try await ledger.claim(file, force: force)
            let temporary: URL
            switch content {
            case let .dot(dot, format, pinned):
                temporary = try await write(dot, format, pinned: pinned, graphviz: graphviz, size: size)
            case let .frame(source, format, pinned):
                temporary = try await write(source.dot(), format, pinned: pinned, graphviz: graphviz, size: size)
            case let .text(text):
                temporary = try AtomicFile.writeTemporary(Data(text.utf8), for: file)
            case let .bundle(bundle):
                temporary = try await bundle.write(for: file, graphviz: graphviz, size: size)
            }
            try await ledger.commit(temporary, to: file, force: force)
            return nil
        } catch {
            return error
        }
    }

    /// DOT text written as is, or rendered to a picture, as a temporary file next to `file`.
    private func write(_ dot: String, _ format: ImageFormat, pinned: Bool, graphviz: Graphviz?,
                       size: PictureSize) async throws(ExportError) -> URL {
        guard format.needsGraphviz else { return try AtomicFile.writeTemporary(Data(dot.utf8), for: file) }
        guard let graphviz else { throw .graphvizMissing }
        return try await graphviz.renderToTemporary(dot, format: format, for: file, pinned: pinned, sizing: size)
    }
}

/// Which files this batch claimed (two jobs writing one file is an error), and the output
/// folders it has open, each with its manifest guard (see `ExportManifest`).
actor Ledger {
    private var claimed: Set<String> = []
    private var folders: [String: ExportFolder] = [:]

    func claim(_ file: URL, force: Bool) throws(ExportError) {
        let path = file.standardizedFileURL.path
        guard claimed.insert(path).inserted else { throw .duplicateOutput(file: file.path) }
        try folder(of: file).check(file, force: force)
    }

    func commit(_ temporary: URL, to file: URL, force: Bool) throws(ExportError) {
        try folder(of: file).commit(temporary, to: file, force: force)
    }

    /// Leaves every folder (releases their locks).
    func close() {
        for folder in folders.values { folder.close() }
        folders = [:]
    }

    private func folder(of file: URL) throws(ExportError) -> ExportFolder {
        let url = file.deletingLastPathComponent()
        let key = url.standardizedFileURL.path
        if let open = folders[key] { return open }
        let opened = try ExportFolder(url)
        folders[key] = opened
        return opened
    }
}
