import Foundation
import GraphCore

/// Which engine lays out a picture: Graphviz's `dot` (the better drawing) when its predicted
/// cost is small, gradstep's own layered layout (linear time, `LayeredPicture`) otherwise, and
/// the own layout too when `dot` still runs past `dotSeconds`. No graph waits on `dot` for
/// long, whatever its node count.
///
/// The prediction: `dot` spends its time ordering layers, over the real nodes plus one
/// virtual node per layer an edge crosses, and each sweep looks at every edge segment. Its
/// cost grows as (nodes + virtual nodes) × (edge segments), which for the random graphs of
/// `gradstep generate` (many long edges) explodes past 200 nodes, and for a 600-node chain
/// that reads the same two inputs at every step (edges across the whole picture) too.
enum LayoutChoice {
    /// Above this predicted cost, gradstep's own layout is used without trying `dot`. Measured
    /// on a busy 2-core machine: 4.6e5 (a 100-node `gradstep generate` graph) took 0.6 s,
    /// 3.2e6 (200 nodes) 4 s, 1.3e7 (300 nodes) 19 s; every file in Graphs/ is under 6e4.
    static let dotBudget = 1.5e6
    /// At or below this predicted cost, `Graphviz.slideLayout` lays out the first three
    /// arrangements in one `dot` run: each then takes a few milliseconds next to the 10 to
    /// 14 ms of starting `dot`, and the first fits in one slide layout of eight in Graphs/
    /// (all under it). Above it, one run an arrangement, so a slow layout is never made
    /// only to be dropped.
    static let jointBudget = 6e4
    /// Seconds `dot` may take to lay out a picture (each arrangement a slide layout tries; a
    /// run of several has this much for each) before gradstep's own layout takes over.
    static let dotSeconds = 4.0

    /// The predicted cost of laying out the drawn boxes of `tape` with `dot`: (boxes + virtual
    /// nodes) × (edge segments). Layers by longest path; inputs in the first layer (the picture
    /// puts them there), params and constants just before their first consumer.
    static func dotCost(_ tape: Tape, options: DotOptions, folding: GroupFolding?) -> Double {
        let n = tape.count
        guard n > 0 else { return 0 }
        // A folded group is one box: its members share a representative.
        var box = Array(0..<n)
        if let folding, !folding.isFlat, folding.nodeCount == n {
            for g in folding.groups where !folding.isOpen(g.name) {
                guard let first = g.members.first else { continue }
                for m in g.members { box[m] = first }
            }
        }
        func drawn(_ i: Int) -> Bool { !(tape.entries[i].op == .constant && !options.showConstants) }
        var layer = Array(repeating: 0, count: n)
        for i in tape.firstComputed ..< n where drawn(i) {
            for a in tape.entries[i].operands where drawn(a) && box[a] != box[i] {
                layer[box[i]] = Swift.max(layer[box[i]], layer[box[a]] + 1)
            }
        }
        var firstUse = Array(repeating: Int.max, count: n)
        for i in tape.firstComputed ..< n where drawn(i) {
            for a in tape.entries[i].operands { firstUse[box[a]] = Swift.min(firstUse[box[a]], layer[box[i]]) }
        }
        for i in 0 ..< tape.firstComputed where tape.entries[i].op != .input && firstUse[box[i]] != Int.max && box[i] == i {
            layer[i] = firstUse[i] - 1
        }
        var virtual = 0.0, segments = 0.0, boxes = Set<Int>()
        for i in 0 ..< n where drawn(i) {
            boxes.insert(box[i])
            for a in tape.entries[i].operands where drawn(a) && box[a] != box[i] {
                let span = Swift.max(1, layer[box[i]] - layer[box[a]])
                virtual += Double(span - 1)
                segments += Double(span)
            }
        }
        return (Double(boxes.count) + virtual) * Swift.max(1, segments)
    }
}
