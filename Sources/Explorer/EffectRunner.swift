import Foundation
import GraphExport
import GraphLanguage
import Screen
import Synchronization

/// Runs the effects the reducer returns: reads files, loads themes, writes exports. Nothing
/// slow runs on the caller's thread: loading a graph (`:open`, `:expr`, which may be a big or
/// hostile input) runs on a thread of its own, an export on the task pool, and their answers
/// come back later through `deliver` (the shell drains those from a `Mailbox` between keys), so
/// the input loop keeps reading keys meanwhile. A theme (one small file) answers at once.
///
///     let runner = EffectRunner(layouts: upgrades, deliver: mailbox.post)
///     for effect in state.reduce(action) { for answer in runner.perform(effect) { state.reduce(answer) } }
public struct EffectRunner: Sendable {
    public var deliver: @Sendable (Action) -> Void
    /// Runs the background layouts (`.layout`); their answers are collected from it once a turn.
    public var layouts: LayoutUpgrades?
    public var themes: ThemeLoader
    /// Seconds one Graphviz render may take.
    public var exportTimeout: Double

    public init(themes: ThemeLoader = ThemeLoader(), exportTimeout: Double = 60, layouts: LayoutUpgrades? = nil,
                deliver: @escaping @Sendable (Action) -> Void) {
        self.themes = themes
        self.layouts = layouts
        self.exportTimeout = exportTimeout
        self.deliver = deliver
    }

    /// Runs one effect (`.quit` is the shell's business and does nothing here). Returns the
    /// answers available at once; the others arrive through `deliver`.
    public func perform(_ effect: Effect) -> [Action] {
        switch effect {
        case .quit:
            return []
        case .open(let path, let request):
            inBackground { .loaded(GraphLoader.load(path: path), request: request) }
            return []
        case .expression(let text, let request):
            inBackground { .loaded(Self.loadExpression(text), request: request) }
            return []
        case .loadTheme(let name):
            do {
                return [.themeLoaded(name: name, .success(try themes.load(named: name).theme))]
            } catch let error as ThemeError {
                return [.themeLoaded(name: name, .failure(error))]
            } catch {
                return [.notify(.error("\(error)"))]
            }
        case .export(let request):
            let (deliver, timeout) = (self.deliver, exportTimeout)
            Task { deliver(.notify(await Self.export(request, timeout: timeout))) }
            return []
        case .layout(let job):
            layouts?.start(job)
            return []
        }
    }

    /// Runs `work` on a thread of its own (not the task pool: a long parse must not hold up a
    /// Graphviz render or a layout) and delivers its answer.
    private func inBackground(_ work: @escaping @Sendable () -> Action) {
        let deliver = self.deliver
        let thread = Thread { deliver(work()) }
        thread.stackSize = 64 << 20  // deeply nested input recurses in the parser
        thread.start()
    }

    /// `:expr`'s text loaded as an expression, its hints written in the explorer's syntax.
    static func loadExpression(_ text: String) -> Result<Graph, LoadFailure> {
        let (expression, values) = ExplorerState.splitAssignments(text)
        return GraphLoader.load(expression: expression, values: values).mapError(explorerSyntax)
    }

    /// A failure of `:expr` in the explorer's words: values are given as `@ x=…` after the
    /// expression, where the command line says `--set x=…`.
    static func explorerSyntax(_ failure: LoadFailure) -> LoadFailure {
        func reword(_ text: String) -> String {
            text.replacingOccurrences(of: "--set ", with: "@ ").replacingOccurrences(of: "=VALUE", with: "=…")
        }
        var f = failure
        f.message = f.message.map(reword)
        for k in f.diagnostics.indices {
            f.diagnostics[k].message = reword(f.diagnostics[k].message)
            f.diagnostics[k].hint = f.diagnostics[k].hint.map(reword)
        }
        return f
    }

    /// Writes `request` with `BatchExport`, as `gradstep export` does: a file gradstep did not
    /// write is not overwritten (unless `force`), the folder's manifest lists the file, and the
    /// file appears whole or not at all. Answers with the absolute path written, or why not.
    static func export(_ request: ExportRequest, timeout: Double) async -> Message {
        let file = URL(fileURLWithPath: request.file)
        var job = ExportJob(name: request.name, tape: request.tape, state: request.phase, format: request.format,
                            outDir: file.deletingLastPathComponent(), force: request.force, values: request.values,
                            seedLeaf: request.seedLeaf, seedElement: request.seedElement, outputSeed: request.outputSeed,
                            outputSeedTensor: request.outputSeedTensor, folding: request.folding)
        job.step = request.step
        job.seedDirection = request.seedDirection
        let summary = await BatchExport(timeout: timeout, maxConcurrent: 1).run([job])
        if let failure = summary.failures.first {
            if case .wouldOverwrite(let path) = failure.error {
                return .error("not written: \(path) exists and gradstep did not write it (:export! overwrites it)")
            }
            return .error("not written: \(failure.error)")
        }
        let written = summary.written.first?.path ?? request.file
        let what = request.step.map { "step \($0)" } ?? "the whole sweep"
        return .info("wrote \(written) (\(request.phase.rawValue) mode, \(what))")
    }
}

/// Actions that arrive from background work, collected until the input loop takes them.
public final class Mailbox: Sendable {
    private let box = Mutex<[Action]>([])

    public init() {}

    public func post(_ action: Action) { box.withLock { $0.append(action) } }

    /// Everything posted since the last call, oldest first.
    public func drain() -> [Action] { box.withLock { list in defer { list = [] }; return list } }
}
