import Foundation
import GraphCore

/// Folding a picture that does not fit a slide: chains of computed nodes, each the only
/// consumer of the one before (`relu(W @ x + b)`), become one named box with the chain's
/// output numbers, as a folded group is drawn. The graph's own groups stay as they are, and
/// the output stays a box of its own (the loss is what a picture is about).
///
/// A picture is folded when, laid out in full, it would be drawn at less than `minimumScale`
/// of its size on a 16:9 slide (900×450 pt): its 11 pt text would fall under 9 pt. Folding
/// is measured too: the folded layout is kept only when it is larger on the slide.
/// `--detail full` (`BatchExport.foldToFit` false) draws every node.
enum FoldToFit {
    /// 9 pt of 11 pt text.
    static let minimumScale = 9.0 / 11.0

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
            var name = tape.names[k] ?? tape.label(k)
            while taken.contains(name) { name += "′" }
            taken.insert(name)
            specs.append((name, .block, members))
        }
        return specs.isEmpty ? [] : NodeGroup.groups(specs, tape: tape)
    }
}

extension BatchExport {
    /// `job` with its chains folded when its full picture is too big for a slide and folding
    /// makes it larger there, or the job as it is; with the layout measured for the job
    /// returned (nil when none was made), so that it is not laid out twice.
    func foldedToFit(_ job: ExportJob, values: [Double]?, graphviz: Graphviz?, for file: URL) async -> (ExportJob, PinnedLayout?) {
        guard foldToFit, job.format.needsGraphviz, var capped = graphviz,
              LayoutChoice.dotCost(job.tape, options: options, folding: job.folding) <= LayoutChoice.dotBudget else { return (job, nil) }
        capped.timeout = Swift.min(capped.timeout, LayoutChoice.dotSeconds)
        guard let full = try? await layout(job, values: values, graphviz: capped, for: file) else { return (job, nil) }
        guard full.slideScale < FoldToFit.minimumScale else { return (job, full) }
        // Boxes at the program's names first (they keep its steps); whole chains when that
        // does not fit. Each is kept only when it is larger on the slide than what it replaces.
        var best = (job, full)
        for atNames in [true, false] {
            let chains = FoldToFit.chains(job.tape, existing: job.folding, atNames: atNames)
            guard !chains.isEmpty else { continue }
            var folded = job
            folded.folding = GroupFolding(groups: (job.folding?.groups ?? []) + chains, open: job.folding?.open ?? [],
                                          nodeCount: job.tape.count)
            folded.foldNote = "folded to fit a slide: \(chains.map(\.name).joined(separator: ", ")) (--detail full draws every node)"
            guard let layout = try? await layout(folded, values: values, graphviz: capped, for: file),
                  layout.slideScale > best.1.slideScale else { continue }
            best = (folded, layout)
            // Fits with a little room to spare (text measured by Graphviz varies by a point).
            if layout.slideScale >= FoldToFit.minimumScale * 1.03 { break }
        }
        return (best.0, best.1)
    }
}
