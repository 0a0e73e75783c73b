/// Where the graph pane draws each node and edge, in character cells (x right, y down),
/// independent of the screen: the pane pans and clips over it.
///
/// A layout is computed once per graph structure (and per node size), never per keystroke:
/// first a quick layered layout of gradstep's own, then, for graphs small enough, Graphviz's
/// in the background, swapped in when it arrives.
public struct GraphLayout: Sendable, Equatable {
    /// One node's box. `node` is the tape index.
    ///
    /// Stored in 32 bits a field (20 bytes, not 40): the explorer keeps a box per node, a
    /// million of them for a 10⁶-node graph, and no drawing is 2³¹ cells across.
    public struct Box: Sendable, Equatable {
        private var storedNode, storedX, storedY, storedWidth, storedHeight: Int32

        public var node: Int { get { Int(storedNode) } set { storedNode = Int32(clamping: newValue) } }
        public var x: Int { get { Int(storedX) } set { storedX = Int32(clamping: newValue) } }
        public var y: Int { get { Int(storedY) } set { storedY = Int32(clamping: newValue) } }
        public var width: Int { get { Int(storedWidth) } set { storedWidth = Int32(clamping: newValue) } }
        public var height: Int { get { Int(storedHeight) } set { storedHeight = Int32(clamping: newValue) } }

        public init(node: Int, x: Int, y: Int, width: Int, height: Int) {
            (storedNode, storedX, storedY) = (Int32(clamping: node), Int32(clamping: x), Int32(clamping: y))
            (storedWidth, storedHeight) = (Int32(clamping: width), Int32(clamping: height))
        }
    }

    /// An edge from operand `from` to consumer `to`, as a polyline of cell points that starts
    /// on or next to the operand's box and ends on or next to the consumer's box. A layout
    /// keeps its edges in one buffer (`Edges`); this is one of them taken out.
    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var points: [Point]

        public init(from: Int, to: Int, points: [Point]) {
            (self.from, self.to, self.points) = (from, to, points)
        }
    }

    /// A cell, in 32 bits a coordinate (8 bytes: edge polylines are most of a layout's size).
    public struct Point: Sendable, Equatable, Hashable {
        private var storedX, storedY: Int32
        public var x: Int { get { Int(storedX) } set { storedX = Int32(clamping: newValue) } }
        public var y: Int { get { Int(storedY) } set { storedY = Int32(clamping: newValue) } }
        public init(x: Int, y: Int) { (storedX, storedY) = (Int32(clamping: x), Int32(clamping: y)) }
    }

    /// The edges, their polylines end to end in one buffer: an array per edge would cost a heap
    /// block (about 48 bytes before its points) for each of a big graph's million edges.
    /// `edges[k]` is an `Edge`; `points(k)` reads edge k's points without copying them.
    public struct Edges: RandomAccessCollection, Sendable, Equatable {
        private var fromNodes: [Int32] = [], toNodes: [Int32] = []
        /// Edge k's points are `allPoints[pointStart[k] ..< pointStart[k + 1]]`.
        private var pointStart: [Int32] = [0]
        private var allPoints: [Point] = []

        public init() {}

        public init(_ edges: [Edge]) {
            reserveCapacity(edges: edges.count, points: edges.reduce(0) { $0 + $1.points.count })
            for e in edges { append(from: e.from, to: e.to, points: e.points) }
        }

        public mutating func reserveCapacity(edges: Int, points: Int) {
            fromNodes.reserveCapacity(edges)
            toNodes.reserveCapacity(edges)
            pointStart.reserveCapacity(edges + 1)
            allPoints.reserveCapacity(points)
        }

        public mutating func append(from: Int, to: Int, points: some Sequence<Point>) {
            fromNodes.append(Int32(clamping: from))
            toNodes.append(Int32(clamping: to))
            allPoints.append(contentsOf: points)
            pointStart.append(Int32(allPoints.count))
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { fromNodes.count }
        public subscript(k: Int) -> Edge { Edge(from: from(k), to: to(k), points: Array(points(k))) }

        public func from(_ k: Int) -> Int { Int(fromNodes[k]) }
        public func to(_ k: Int) -> Int { Int(toNodes[k]) }
        /// Edge k's polyline, read in place.
        public func points(_ k: Int) -> ArraySlice<Point> { allPoints[Int(pointStart[k]) ..< Int(pointStart[k + 1])] }
        /// Every edge's points, one after another.
        public var everyPoint: [Point] { allPoints }

        /// The same edges with their ends renamed by `node` (a folded layout's items to tape nodes).
        public func renamingEnds(_ node: (Int) -> Int) -> Edges {
            var copy = self
            copy.fromNodes = fromNodes.map { Int32(clamping: node(Int($0))) }
            copy.toNodes = toNodes.map { Int32(clamping: node(Int($0))) }
            return copy
        }
    }

    /// Who computed the layout.
    public enum Engine: String, Sendable { case layered, graphviz }

    /// Boxes indexed by tape index (`boxes[i].node == i`).
    public var boxes: [Box]
    public var edges: Edges
    /// The extent of everything drawn.
    public var width: Int
    public var height: Int
    public var engine: Engine

    public init(boxes: [Box], edges: Edges, width: Int, height: Int, engine: Engine) {
        (self.boxes, self.edges, self.width, self.height, self.engine) = (boxes, edges, width, height, engine)
    }

    public init(boxes: [Box], edges: [Edge], width: Int, height: Int, engine: Engine) {
        self.init(boxes: boxes, edges: Edges(edges), width: width, height: height, engine: engine)
    }
}

/// What a layout needs to know: the graph's edges and each node's box size in cells.
public struct LayoutRequest: Sendable, Hashable {
    /// `operands[i]`: the tape indices node i reads.
    public var operands: Operands
    /// Box width of each node in cells (its label's width plus borders).
    public var widths: [Int]
    /// Box height of every node in cells.
    public var height: Int
    /// Inputs at the left, output at the right (`LR`), or top to bottom (`TB`).
    public var leftToRight: Bool

    public init(operands: Operands, widths: [Int], height: Int, leftToRight: Bool = true) {
        (self.operands, self.widths, self.height, self.leftToRight) = (operands, widths, height, leftToRight)
    }

    public init(operands: [[Int]], widths: [Int], height: Int, leftToRight: Bool = true) {
        self.init(operands: Operands(operands), widths: widths, height: height, leftToRight: leftToRight)
    }

    /// Every node's operand list, end to end in one buffer of 32-bit indices: an array per
    /// node would cost a heap block each (about 45 bytes a node of a 10⁶-node graph).
    public struct Operands: RandomAccessCollection, Sendable, Hashable {
        /// Node i's operands are `all[start[i] ..< start[i + 1]]`.
        private var start: [Int32] = [0]
        private var all: [Int32] = []

        public init() {}

        public init<Lists: Sequence>(_ lists: Lists) where Lists.Element: Sequence, Lists.Element.Element == Int {
            for list in lists { append(list) }
        }

        public mutating func reserveCapacity(nodes: Int, operands: Int) {
            start.reserveCapacity(nodes + 1)
            all.reserveCapacity(operands)
        }

        public mutating func append(_ list: some Sequence<Int>) {
            all.append(contentsOf: list.lazy.map { Int32(clamping: $0) })
            start.append(Int32(all.count))
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { start.count - 1 }
        /// Node i's operands, read in place.
        public subscript(i: Int) -> LazyMapCollection<ArraySlice<Int32>, Int> {
            all[Int(start[i]) ..< Int(start[i + 1])].lazy.map { Int($0) }
        }
        /// The number of operands of every node together.
        public var total: Int { all.count }
    }
}
