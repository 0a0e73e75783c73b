/// The shape of a node's value: a scalar, a vector of `rows` elements, a `rows × cols` matrix,
/// or a tensor of rank 3 (C, H, W) or 4 (N, C, H, W), all stored row-major. A vector acts as a
/// column in `M @ v` and as a row in `v @ M`.
///
/// Every shape keeps a row-major 2-D view, `rows × cols`: for rank ≥ 2, `cols` is the last
/// extent and `rows` the product of all the others, so the elementwise, reduction and softmax
/// kernels work on any rank unchanged. The leading extents of rank 3 and 4 are kept in
/// `lead0` (N, rank 4 only) and `lead1` (C); they are 1 for ranks 0 to 2.
///
/// ```swift
/// let x = Shape.tensor([2, 3, 4, 4])   // rows 2·3·4 = 24, cols 4
/// x.dims                               // [2, 3, 4, 4]
/// x.description                        // "[2×3×4×4]"
/// ```
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var rank: UInt8
    public var rows: Int32
    public var cols: Int32
    /// N of a rank-4 shape; 1 otherwise.
    public var lead0: Int32 = 1
    /// C of a rank-3 or rank-4 shape; 1 otherwise.
    public var lead1: Int32 = 1

    public static let scalar = Shape(rank: 0, rows: 1, cols: 1)
    public static func vector(_ n: Int) -> Shape { Shape(rank: 1, rows: Int32(n), cols: 1) }
    public static func matrix(_ r: Int, _ c: Int) -> Shape { Shape(rank: 2, rows: Int32(r), cols: Int32(c)) }

    /// The shape with these extents (0 to 4 of them, each ≥ 1), outermost first.
    public static func tensor(_ dims: [Int]) -> Shape {
        switch dims.count {
        case 0: return .scalar
        case 1: return .vector(dims[0])
        case 2: return .matrix(dims[0], dims[1])
        case 3: return Shape(rank: 3, rows: Int32(dims[0] * dims[1]), cols: Int32(dims[2]), lead1: Int32(dims[0]))
        default:
            precondition(dims.count == 4, "shapes have at most four extents")
            return Shape(rank: 4, rows: Int32(dims[0] * dims[1] * dims[2]), cols: Int32(dims[3]),
                         lead0: Int32(dims[0]), lead1: Int32(dims[1]))
        }
    }

    /// Number of scalars in the value.
    @inlinable public var count: Int { Int(rows) * Int(cols) }
    public var isScalar: Bool { rank == 0 }

    /// The extents, outermost first: `[]`, `[n]`, `[r, c]`, `[C, H, W]` or `[N, C, H, W]`.
    public var dims: [Int] {
        switch rank {
        case 0: []
        case 1: [Int(rows)]
        case 2: [Int(rows), Int(cols)]
        case 3: [Int(lead1), Int(rows / lead1), Int(cols)]
        default: [Int(lead0), Int(lead1), Int(rows / (lead0 * lead1)), Int(cols)]
        }
    }

    /// Element `k` (row-major) as one index per extent: `[]`, `[k]`, `[row, column]`,
    /// `[n, c, i, j]`.
    public func index(of k: Int) -> [Int] {
        var rest = k, out: [Int] = []
        for d in dims.reversed() {
            out.append(rest % d)
            rest /= d
        }
        return out.reversed()
    }

    /// The row-major position of `index` (one index per extent), or nil when it is out of range.
    public func element(at index: [Int]) -> Int? {
        let d = dims
        guard index.count == d.count else { return nil }
        var k = 0
        for (i, n) in zip(index, d) {
            guard (0..<n).contains(i) else { return nil }
            k = k * n + i
        }
        return k
    }

    /// `scalar`, `[3]`, `[2×3]`, `[2×3×4×4]`.
    public var description: String {
        switch rank {
        case 0: "scalar"
        case 1: "[\(rows)]"
        case 2: "[\(rows)×\(cols)]"
        default: "[" + dims.map(String.init).joined(separator: "×") + "]"
        }
    }
}
