import Foundation
import GraphCore

/// Folding a picture that does not fit where it is shown: a 16:9 slide's content area
/// (900×450 pt) with text of at least 9 pt, and an A4 page in portrait (481×728 pt, the page
/// less margins of 2 cm) with text of at least 7 pt. What does not fit becomes named boxes
/// that show the numbers of what they stand for, as torchview draws a module:
///
/// 1. chains of computed nodes, each the only consumer of the one before (`relu(W @ x + b)`),
///    first ended at every name the program gave (`h1`, `h2`: an MLP's layers), then whole;
/// 2. stages: the graph cut, in the order it computes, into a few runs of about equal size
///    (the graph's own groups stay whole inside one), each with the params and constants
///    only it reads; a picture of 2,000 nodes becomes a handful of boxes.
///
/// Each folding is laid out and measured (`PinnedLayout.fit`), from the finest to the
/// coarsest; the first that fits is drawn, or the one that comes closest. The output keeps a
/// box of its own (the loss is what a picture is about). `--detail full`
/// (`BatchExport.foldToFit` false) draws every node.
enum FoldToFit {
    /// Where a picture is shown: content area in points and the least median text size.
    struct Target {
        var name: String
        var width: Double, height: Double, text: Double
    }

    static let targets = [Target(name: "16:9 slide", width: 900, height: 450, text: 9),
                          Target(name: "A4 page", width: 481, height: 728, text: 7)]
    /// A folding is taken as fitting only with this much to spare (the picture is drawn at the
    /// layout's size, so little is needed).
    static let spare = 1.01

    /// One way to fold a picture: the groups drawn as boxes, and what the picture says.
    struct Folding {
        var folding: GroupFolding
        var note: String
        /// The boxes made to fit (not the graph's own groups).
        var made: Set<String>
    }

    /// Every folding worth trying for `tape`, finest first.
    static func candidates(_ tape: Tape, existing: GroupFolding?) -> [Folding] {
        var result: [Folding] = []
        let kept = existing?.groups ?? []
        for atNames in [true, false] {
            let chains = chains(tape, existing: existing, atNames: atNames)
            guard !chains.isEmpty else { continue }
            result.append(Folding(folding: GroupFolding(groups: kept + chains, open: existing?.open ?? [], nodeCount: tape.count),
                                  note: note(chains.map(\.name)), made: Set(chains.map(\.name))))
        }
        let units = Stages.units(tape, existing: existing).count
        let counts = [12, 8, 6, 4, 3, 2].filter { $0 < units }.map { ($0, false) } + [2, 1].filter { $0 < units }.map { ($0, true) }
        for (count, inputs) in counts {
            let (groups, made) = Stages.fold(tape, existing: existing, count: count, inputs: inputs)
            guard !made.isEmpty else { continue }
            result.append(Folding(folding: GroupFolding(groups: groups, open: existing?.open ?? [], nodeCount: tape.count),
                                  note: note(groups.filter { made.contains($0.name) }.map(\.name)), made: made))
        }
        return result
    }

    /// The picture's second title line: what is folded (at most four names, so that the line
    /// does not widen the picture) and how to see every node.
    static func note(_ names: [String]) -> String {
        let shown = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? " and \(names.count - 4) more" : "")
        return "folded to fit a slide: \(shown) (--detail full draws every node)"
    }

    /// The chains of `tape` outside `existing`'s groups, two nodes or more, as groups named
    /// after their last node (suffixed when a name is taken). With `atNames`, a node the
    /// program named ends its chain (`h1 = tanh(w * h0 + x1)` is one box, `h2` the next).
    static func chains(_ tape: Tape, existing: GroupFolding?, atNames: Bool = false) -> [NodeGroup] {
        let n = tape.count
        var consumers = Array(repeating: [Int](), count: n)
        for i in tape.firstComputed ..< n {
            for a in Set(tape.entries[i].operands) { consumers[a].append(i) }
        }
        let grouped = Set(existing?.groups.flatMap(\.members) ?? [])
        func free(_ i: Int) -> Bool { i >= tape.firstComputed && i != tape.output && i < tape.output && !grouped.contains(i) }
        // `next[i]`: the node that continues i's chain, when i feeds only it and it reads no
        // other computed node.
        var next = Array(repeating: -1, count: n), previous = Array(repeating: -1, count: n)
        for i in 0 ..< n where free(i) && consumers[i].count == 1 {
            let j = consumers[i][0]
            let computedOperands = Set(tape.entries[j].operands.filter { $0 >= tape.firstComputed })
            if free(j) && computedOperands == [i] && !(atNames && tape.names[i] != nil) {
                next[i] = j
                previous[j] = i
            }
        }
        var taken = Set(existing?.groups.map(\.name) ?? [])
        var specs: [(name: String, origin: NodeGroup.Origin, members: [Int])] = []
        for start in 0 ..< n where free(start) && previous[start] < 0 && next[start] >= 0 {
            var members = [start], k = start
            while next[k] >= 0 { k = next[k]; members.append(k) }
            specs.append((unique(tape.names[k] ?? tape.label(k), &taken), .block, members))
        }
        return specs.isEmpty ? [] : NodeGroup.groups(specs, tape: tape)
    }

    /// `name`, primed until no group has it yet; then taken.
    static func unique(_ name: String, _ taken: inout Set<String>) -> String {
        var name = name
        while taken.contains(name) { name += "′" }
        taken.insert(name)
        return name
    }
}

extension PinnedLayout {
    /// How well the picture fits its targets (`FoldToFit.targets`): the least, over the
    /// targets, of its median text once scaled to the target's content area over the text
    /// size the target needs. At least 1: it fits them all. Graphviz's padding (0.1 in a
    /// side) and the title drawn above the pinned box are counted.
    var fit: Double {
        let v = boundingBox.split(separator: ",").compactMap { Double($0) }
        guard v.count == 4 else { return 0 }
        // neato draws the title a third taller than dot measured it (seen on every example).
        let width = v[2] - v[0] + 14.4, height = v[3] - v[1] + 14.4 + titleHeight * 4 / 3
        let median = Self.median(textSizes) ?? 11
        return FoldToFit.targets.map { median * Swift.min($0.width / width, $0.height / height) / $0.text }.min() ?? 0
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

extension BatchExport {
    /// `job` folded as much as it must be to fit a slide and an A4 page, or the job as it is;
    /// with the layout measured for the job returned (nil when none was made), so that it is
    /// not laid out twice. A graph too costly for `dot` in full (`LayoutChoice`) is tried
    /// folded only: its overview is a picture `dot` draws in moments.
    func foldedToFit(_ job: ExportJob, values: [Double]?, graphviz: Graphviz?, for file: URL) async -> (ExportJob, PinnedLayout?) {
        guard foldToFit, job.format.needsGraphviz, var capped = graphviz else { return (job, nil) }
        capped.timeout = Swift.min(capped.timeout, LayoutChoice.dotSeconds)
        var best: (job: ExportJob, layout: PinnedLayout)?
        if LayoutChoice.dotCost(job.tape, options: options, folding: job.folding) <= LayoutChoice.dotBudget,
           let full = try? await layout(job, values: values, graphviz: capped, for: file) {
            if full.fit >= FoldToFit.spare { return (job, full) }
            best = (job, full)
        }
        for candidate in FoldToFit.candidates(job.tape, existing: job.folding) {
            var folded = job
            folded.folding = candidate.folding
            folded.foldNote = candidate.note
            folded.madeToFit = candidate.made
            guard LayoutChoice.dotCost(job.tape, options: options, folding: candidate.folding) <= LayoutChoice.dotBudget,
                  let layout = try? await layout(folded, values: values, graphviz: capped, for: file) else { continue }
            if best == nil || layout.fit > best!.layout.fit { best = (folded, layout) }
            if layout.fit >= FoldToFit.spare { break }
        }
        return best.map { ($0.job, $0.layout) } ?? (job, nil)
    }
}
