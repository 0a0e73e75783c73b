/// Where the graph pane draws each node and edge, in character cells (x right, y down),
/// independent of the screen: the pane pans and clips over it.
///
/// A layout is computed once per graph structure (and per node size), never per keystroke:
/// first a quick layered layout of gradstep's own, then, for graphs small enough, Graphviz's
/// in the background, swapped in when it arrives.
public struct GraphLayout: Sendable, Equatable {
    /// One node's box. `node` is the tape index.
    public struct Box: Sendable, Equatable {
        public var node: Int
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int

        public init(node: Int, x: Int, y: Int, width: Int, height: Int) {
            (self.node, self.x, self.y, self.width, self.height) = (node, x, y, width, height)
        }
    }

    /// An edge from operand `from` to consumer `to`, as a polyline of cell points that starts
    /// on or next to the operand's box and ends on or next to the consumer's box.
    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var points: [Point]

        public init(from: Int, to: Int, points: [Point]) {
            (self.from, self.to, self.points) = (from, to, points)
        }
    }

    public struct Point: Sendable, Equatable, Hashable {
        public var x: Int
        public var y: Int
        public init(x: Int, y: Int) { (self.x, self.y) = (x, y) }
    }

    /// Who computed the layout.
    public enum Engine: String, Sendable { case layered, graphviz }

    /// Boxes indexed by tape index (`boxes[i].node == i`).
    public var boxes: [Box]
    public var edges: [Edge]
    /// The extent of everything drawn.
    public var width: Int
    public var height: Int
    public var engine: Engine

    public init(boxes: [Box], edges: [Edge], width: Int, height: Int, engine: Engine) {
        (self.boxes, self.edges, self.width, self.height, self.engine) = (boxes, edges, width, height, engine)
    }
}

/// What a layout needs to know: the graph's edges and each node's box size in cells.
public struct LayoutRequest: Sendable, Hashable {
    /// `operands[i]`: the tape indices node i reads.
    public var operands: [[Int]]
    /// Box width of each node in cells (its label's width plus borders).
    public var widths: [Int]
    /// Box height of every node in cells.
    public var height: Int
    /// Inputs at the left, output at the right (`LR`), or top to bottom (`TB`).
    public var leftToRight: Bool

    public init(operands: [[Int]], widths: [Int], height: Int, leftToRight: Bool = true) {
        (self.operands, self.widths, self.height, self.leftToRight) = (operands, widths, height, leftToRight)
    }
}
