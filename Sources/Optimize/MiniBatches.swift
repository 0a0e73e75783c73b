import GraphCore
/// Mini-batches of the rows of data matrices, drawn from a seeded generator, the same rows of
/// every data matrix so that features and labels stay paired. How the rows are drawn is the
/// `Sampling`: by default each step takes `batchSize` distinct rows afresh (a partial
/// Fisher–Yates shuffle).
public struct MiniBatches: Sendable {
    /// How each batch's rows are drawn.
    public enum Sampling: String, Sendable, CaseIterable {
        /// B distinct rows, drawn afresh at every step, whatever earlier steps drew.
        case independent
        /// Epochs: one shuffle of all the rows, taken B at a time, so every row is used once per
        /// epoch; a new shuffle once fewer than B rows are left (PyTorch's `drop_last`).
        case epochs
        /// Each of the B rows drawn uniformly from all of them, with replacement: some rows
        /// repeat and, in N draws from N rows, about 1/e of them are never drawn.
        case replacement
    }

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
    public let sampling: Sampling
    /// How many times each row has been drawn so far.
    public private(set) var timesDrawn: [Int]
    private var generator: SeededGenerator
    private var order: [Int]
    /// With `.epochs`: where the next batch starts in `order`.
    private var position = 0

    /// All tables must have the same number of rows, and at least `batchSize`.
    public init(tables: [Table], batchSize: Int, seed: UInt64, sampling: Sampling = .independent) {
        precondition(!tables.isEmpty && tables.allSatisfy { $0.rows == tables[0].rows && $0.rows >= batchSize })
        self.tables = tables
        self.batchSize = batchSize
        self.sampling = sampling
        generator = SeededGenerator(seed: seed)
        order = Array(0 ..< tables[0].rows)
        timesDrawn = Array(repeating: 0, count: tables[0].rows)
        position = order.count
    }

    /// The rows of the next batch, in the order drawn.
    public mutating func nextRows() -> [Int] {
        let rows: [Int]
        switch sampling {
        case .independent:
            shuffle(first: batchSize)
            rows = Array(order[0..<batchSize])
        case .epochs:
            if order.count - position < batchSize {
                shuffle(first: order.count)
                position = 0
            }
            rows = Array(order[position ..< position + batchSize])
            position += batchSize
        case .replacement:
            rows = (0..<batchSize).map { _ in Int(generator.next() % UInt64(order.count)) }
        }
        for r in rows { timesDrawn[r] += 1 }
        return rows
    }

    /// A partial Fisher–Yates shuffle: `order`'s first `count` places get rows drawn without
    /// replacement from all of them.
    private mutating func shuffle(first count: Int) {
        for k in 0..<count {
            let j = k + Int(generator.next() % UInt64(order.count - k))
            order.swapAt(k, j)
        }
    }

    /// The values of `table` restricted to `rows`, row-major.
    public static func gather(_ table: Table, rows: [Int]) -> [Double] {
        rows.flatMap { r in table.values[r * table.columns ..< (r + 1) * table.columns] }
    }

    /// Draws the next batch and loads it into the objective's data leaves; returns its rows.
    @discardableResult
    public mutating func load(into objective: inout Objective) -> [Int] {
        let rows = nextRows()
        for t in tables { objective.setLeaf(t.leaf, Self.gather(t, rows: rows)) }
        return rows
    }
}
