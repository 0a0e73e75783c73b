import GraphCore
/// Mini-batches of the rows of data matrices: each step uses `batchSize` rows drawn without
/// replacement (a partial Fisher–Yates shuffle) from a seeded generator, the same rows of
/// every data matrix so that features and labels stay paired.
public struct MiniBatches: Sendable {
    /// A data matrix: its full rows, and the leaf that holds a batch of them in the tape.
    public struct Table: Sendable {
        public var leaf: Int
        public var rows: Int
        public var columns: Int
        public var values: [Double]

        public init(leaf: Int, rows: Int, columns: Int, values: [Double]) {
            (self.leaf, self.rows, self.columns, self.values) = (leaf, rows, columns, values)
        }
    }

    public let tables: [Table]
    public let batchSize: Int
    private var generator: SeededGenerator
    private var order: [Int]

    /// All tables must have the same number of rows, and at least `batchSize`.
    public init(tables: [Table], batchSize: Int, seed: UInt64) {
        precondition(!tables.isEmpty && tables.allSatisfy { $0.rows == tables[0].rows && $0.rows >= batchSize })
        self.tables = tables
        self.batchSize = batchSize
        generator = SeededGenerator(seed: seed)
        order = Array(0 ..< tables[0].rows)
    }

    /// The rows of the next batch, in the order drawn.
    public mutating func nextRows() -> [Int] {
        for k in 0..<batchSize {
            let j = k + Int(generator.next() % UInt64(order.count - k))
            order.swapAt(k, j)
        }
        return Array(order[0..<batchSize])
    }

    /// The values of `table` restricted to `rows`, row-major.
    public static func gather(_ table: Table, rows: [Int]) -> [Double] {
        rows.flatMap { r in table.values[r * table.columns ..< (r + 1) * table.columns] }
    }

    /// Draws the next batch and loads it into the objective's data leaves.
    public mutating func load(into objective: inout Objective) {
        let rows = nextRows()
        for t in tables { objective.setLeaf(t.leaf, Self.gather(t, rows: rows)) }
    }
}
