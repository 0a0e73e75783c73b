/// The shape of a node's value: a scalar, a vector of `rows` elements, or a `rows × cols`
/// matrix stored row-major. A vector acts as a column in `M @ v` and as a row in `v @ M`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var rank: UInt8
    public var rows: Int32
    public var cols: Int32

    public static let scalar = Shape(rank: 0, rows: 1, cols: 1)
    public static func vector(_ n: Int) -> Shape { Shape(rank: 1, rows: Int32(n), cols: 1) }
    public static func matrix(_ r: Int, _ c: Int) -> Shape { Shape(rank: 2, rows: Int32(r), cols: Int32(c)) }

    /// Number of scalars in the value.
    @inlinable public var count: Int { Int(rows) * Int(cols) }
    public var isScalar: Bool { rank == 0 }

    /// `scalar`, `[3]`, `[2×3]`.
    public var description: String {
        switch rank {
        case 0: "scalar"
        case 1: "[\(rows)]"
        default: "[\(rows)×\(cols)]"
        }
    }
}
