import Foundation
import GraphCore
import Optimize
import Testing
import TestSupport

/// The Hessians the course asks for, and the second-derivative test.
@Suite("Hessians and critical points")
struct HessianTests {
    @Test func halfSquaredDistanceHasTheIdentityAsHessian() throws {
        // E14: ½‖θ − θ*‖², at a point other than θ*.
        let g = try expression("param theta = [0.3, -1, 2]; const target = [1, 2, 3]; d = theta - target; L = 0.5 * sum(d * d)")
        var f = try objective(g, ["theta"])
        let h = f.hessian(at: f.initialPoint)
        expectEqual(h, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        let point = CriticalPoint(&f)
        expectEqual(point.kind, .notCritical)
        let expected: [Double] = [0.3 - 1, -1 - 2, 2 - 3]
        expectTrue(close(point.gradient, expected))
        expectTrue(close(CriticalPoint(&f, at: [1, 2, 3]).eigenvalues, [1, 1, 1]))
        expectEqual(CriticalPoint(&f, at: [1, 2, 3]).kind, .minimum)
    }

    @Test func leastSquaresHasXTransposeXAsHessian() throws {
        // E15: ½‖Xθ − y‖²; XᵀX computed here by hand.
        let x: [[Double]] = [[1, 2], [3, 4], [5, 6]]
        let g = try graphFile("least-squares.grad")
        var f = try objective(g, ["theta"])
        let expected: [[Double]] = (0..<2).map { (i: Int) -> [Double] in
            (0..<2).map { (j: Int) -> Double in
                (0..<3).reduce(0.0) { (sum: Double, k: Int) -> Double in sum + x[k][i] * x[k][j] }
            }
        }
        expectEqual(expected, [[35, 44], [44, 56]] as [[Double]])
        expectEqual(f.hessian(at: [0.7, -3]), expected)
        // Eigenvalues of [[35, 44], [44, 56]]: (91 ± √(21² + 88²))/2.
        let root: Double = (21.0 * 21 + 88.0 * 88).squareRoot()
        let eigenvalues: [Double] = [(91 - root) / 2, (91 + root) / 2]
        expectTrue(close(CriticalPoint(&f).eigenvalues, eigenvalues, rel: 1e-13))
    }

    @Test(arguments: [("x^2 - y^2", CriticalPoint.Kind.saddle), ("x^2 + y^2", .minimum), ("0 - x^2 - y^2", .maximum),
                      ("x^2 + y^4", .degenerate), ("x^3 - y^2", .degenerate)])
    func classifiesTheOrigin(source: String, kind: CriticalPoint.Kind) throws {
        var f = try objective(try expression(source, [("x", "0"), ("y", "0")]), ["x", "y"])
        expectEqual(CriticalPoint(&f).kind, kind)
    }

    @Test func aPointWithNonZeroGradientIsNotCritical() throws {
        var f = try objective(try expression("x^2 - y^2", [("x", "1"), ("y", "0")]), ["x", "y"])
        let point = CriticalPoint(&f)
        expectEqual(point.kind, .notCritical)
        expectEqual(point.eigenvalues, [-2, 2])
    }

    @Test func rosenbrocksHessianAtTheStartMatchesTheFormula() throws {
        // ∂²f/∂x² = 2 − 400(y − x²) + 800x², ∂²f/∂x∂y = −400x, ∂²f/∂y² = 200.
        var f = try objective(try graphFile("rosenbrock.grad"), ["x", "y"])
        let (x, y) = (-1.2, 1.0)
        let h = f.hessian(at: [x, y])
        let hxx: Double = 2 - 400 * (y - x * x) + 800 * x * x
        let expected: [Double] = [hxx, -400 * x, -400 * x, 200]
        expectTrue(close(h.flatMap { $0 }, expected, rel: 1e-13))
        expectEqual(CriticalPoint(&f, at: [1, 1]).kind, .minimum)
    }

    @Test func jacobiEigenvaluesOfAKnownMatrix() {
        // [[2, −1, 0], [−1, 2, −1], [0, −1, 2]] has eigenvalues 2 − √2, 2, 2 + √2.
        let e = LinearAlgebra.symmetricEigenvalues([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        expectTrue(close(e, [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()], rel: 1e-14, abs: 1e-14))
    }

    @Test func solveRejectsASingularMatrix() {
        expectTrue(LinearAlgebra.solve([[1, 2], [2, 4]], [1, 1]) == nil)
        expectEqual(LinearAlgebra.solve([[2, 1], [1, 3]], [3, 5]).map { close($0, [0.8, 1.4], rel: 1e-15) }, true)
    }
}

/// The zero of the second-derivative test is relative to the matrix: 1e-20·(x² + y²) is a
/// minimum exactly as x² + y² is (its eigenvalues 2e-20 are far above 100·n·ε·2e-20).
@Suite("Hessian tolerances scale with the matrix")
struct HessianToleranceTests {
    @Test func aTinyBowlIsAMinimum() throws {
        var f = try objective(try expression("1e-20*(x^2 + y^2)", [("x", "0"), ("y", "0")]), ["x", "y"])
        let point = CriticalPoint(&f)
        expectEqual(point.eigenvalues, [2e-20, 2e-20])
        expectEqual(point.kind, .minimum)
        expectEqual(point.eigenvalueTolerance, 100 * 2 * Double.ulpOfOne * 2e-20)
    }

    @Test func aTinyBowlAwayFromItsCentreIsNotCritical() throws {
        // Gradient 2e-20 at x = 1: an absolute floor of 1e-9 would call this critical.
        var f = try objective(try expression("1e-20*(x^2 + y^2)", [("x", "1"), ("y", "0")]), ["x", "y"])
        expectEqual(CriticalPoint(&f).kind, .notCritical)
    }

    @Test func aRankOneHessianIsStillDegenerate() throws {
        // (x + y)² has eigenvalues 0 and 4 at the origin.
        var f = try objective(try expression("(x + y)^2", [("x", "0"), ("y", "0")]), ["x", "y"])
        expectEqual(CriticalPoint(&f).kind, .degenerate)
        var g = try objective(try expression("1e-30*(x + y)^2", [("x", "0"), ("y", "0")]), ["x", "y"])
        expectEqual(CriticalPoint(&g).kind, .degenerate)
    }
}
