/// gradstep's own layout: instant, for any size. Nodes go in layers by longest path from the
/// leaves (inputs in the first layer), layers side by side (or stacked for top-to-bottom),
/// nodes within a layer in tape order; edges are straight polylines between box sides.
public enum LayeredLayout {
    /// Gap between layers and between boxes in a layer, in cells.
    static let layerGap = 4, nodeGap = 1

    public static func layout(_ r: LayoutRequest) -> GraphLayout {
        let n = r.widths.count
        var layer = [Int](repeating: 0, count: n)
        for i in 0..<n { for a in r.operands[i] where a < i { layer[i] = max(layer[i], layer[a] + 1) } }
        let layerCount = (layer.max() ?? 0) + 1
        var members = [[Int]](repeating: [], count: layerCount)
        for i in 0..<n { members[layer[i]].append(i) }
        var boxes = [GraphLayout.Box](repeating: GraphLayout.Box(node: 0, x: 0, y: 0, width: 0, height: 0), count: n)
        var along = 0  // position along the flow (x for LR, y for TB)
        var extent = 0
        for nodes in members {
            let thickness = r.leftToRight ? (nodes.map { r.widths[$0] }.max() ?? 0) : r.height
            var across = 0
            for i in nodes {
                let w = r.widths[i], h = r.height
                boxes[i] = r.leftToRight
                    ? GraphLayout.Box(node: i, x: along, y: across, width: w, height: h)
                    : GraphLayout.Box(node: i, x: across, y: along, width: w, height: h)
                across += (r.leftToRight ? h : w) + nodeGap
            }
            extent = max(extent, across)
            along += thickness + layerGap
        }
        var edges: [GraphLayout.Edge] = []
        for i in 0..<n {
            for a in r.operands[i] {
                let from = boxes[a], to = boxes[i]
                let start = r.leftToRight ? GraphLayout.Point(x: from.x + from.width, y: from.y + from.height / 2)
                                          : GraphLayout.Point(x: from.x + from.width / 2, y: from.y + from.height)
                let end = r.leftToRight ? GraphLayout.Point(x: to.x - 1, y: to.y + to.height / 2)
                                        : GraphLayout.Point(x: to.x + to.width / 2, y: to.y - 1)
                edges.append(GraphLayout.Edge(from: a, to: i, points: [start, end]))
            }
        }
        let width = boxes.map { $0.x + $0.width }.max() ?? 0
        let height = boxes.map { $0.y + $0.height }.max() ?? 0
        return GraphLayout(boxes: boxes, edges: edges, width: width, height: height, engine: .layered)
    }
}
