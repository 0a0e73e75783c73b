import Foundation

/// The small dense linear algebra that Newton's method and the Hessian report need: a linear
/// solve and the eigenvalues of a symmetric matrix. Matrices are arrays of rows; n is at most
/// a few hundred (one Hessian-vector product per row).
public enum LinearAlgebra {
    /// Solves A·x = b by Gaussian elimination with partial pivoting, or returns nil when A is
    /// singular (a pivot below 1e-12 of A's largest entry).
    public static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, x = b
        let scale = a.flatMap { $0 }.map(Swift.abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return nil }
        for col in 0..<n {
            var pivot = col
            for r in col + 1 ..< n where Swift.abs(m[r][col]) > Swift.abs(m[pivot][col]) { pivot = r }
            guard Swift.abs(m[pivot][col]) > 1e-12 * scale else { return nil }
            if pivot != col {
                m.swapAt(pivot, col)
                x.swapAt(pivot, col)
            }
            for r in col + 1 ..< n {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col ..< n { m[r][c] -= f * m[col][c] }
                x[r] -= f * x[col]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = x[r]
            for c in r + 1 ..< n { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x
    }

    /// The eigenvalues of a symmetric matrix, ascending, by the cyclic Jacobi method: plane
    /// rotations zero the off-diagonal entries one at a time until they are negligible.
    /// Accurate to a few ulps of the largest eigenvalue; O(n³) per sweep, a handful of sweeps.
    public static func symmetricEigenvalues(_ matrix: [[Double]]) -> [Double] {
        let n = matrix.count
        var a = matrix
        for _ in 0..<100 {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    total += a[i][j] * a[i][j]
                    if i != j { off += a[i][j] * a[i][j] }
                }
            }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for q in p + 1 ..< n where a[p][q] != 0 {
                    // The rotation by θ with tan 2θ = 2a_pq / (a_qq − a_pp) zeroes a_pq.
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0][$0] }.sorted()
    }

    /// The Euclidean norm ‖v‖.
    public static func norm(_ v: [Double]) -> Double {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// uᵀv.
    public static func dot(_ u: [Double], _ v: [Double]) -> Double {
        zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
