/// The second-derivative test at a point: the Hessian (from Hessian-vector products on the
/// tape), its eigenvalues, the gradient, and what kind of point it is.
public struct CriticalPoint: Sendable {
    /// What the second-derivative test says.
    public enum Kind: String, Sendable {
        /// ∇L = 0 and every eigenvalue > 0.
        case minimum
        /// ∇L = 0 and every eigenvalue < 0.
        case maximum
        /// ∇L = 0 and eigenvalues of both signs (some may be 0).
        case saddle
        /// ∇L = 0, some eigenvalue is 0 and the others share a sign: the test cannot tell.
        case degenerate
        /// ∇L ≠ 0: not a critical point at all.
        case notCritical = "not-critical"
    }

    public var hessian: [[Double]]
    /// Ascending.
    public var eigenvalues: [Double]
    public var gradient: [Double]
    public var kind: Kind
    /// Eigenvalues with |λ| at most this count as zero: see `eigenvalueTolerance(_:)`.
    public var eigenvalueTolerance: Double
    /// A gradient norm at most this counts as zero: see `gradientTolerance(_:at:)`.
    public var gradientTolerance: Double

    /// The rank tolerance of `numpy.linalg.matrix_rank`, n·ε·max|λ|, widened 100 times for
    /// the rounding of the Hessian-vector products that made the matrix. Relative to the
    /// matrix only: 1e-20·(x² + y²) has eigenvalues 2e-20, well above its tolerance, and is a
    /// minimum like x² + y² (an absolute floor would call it degenerate).
    public static func eigenvalueTolerance(_ eigenvalues: [Double]) -> Double {
        100 * Double(Swift.max(eigenvalues.count, 1)) * Double.ulpOfOne * (eigenvalues.map(Swift.abs).max() ?? 0)
    }

    /// ‖∇f‖ ≤ 1e-9·max|λ|·max(1, ‖θ‖): a Newton step ‖∇f‖/max|λ| shorter than 1e-9 of θ's size
    /// (at least 1e-9). Scaled by the Hessian, as the eigenvalues are: 1e-20·(x² + y²) at
    /// x = 1 has gradient 2e-20 and is not a critical point.
    public static func gradientTolerance(_ eigenvalues: [Double], at theta: [Double]) -> Double {
        1e-9 * (eigenvalues.map(Swift.abs).max() ?? 0) * Swift.max(1, LinearAlgebra.norm(theta))
    }

    /// Analyses `objective` at θ (its stored point unless given).
    public init(_ objective: inout Objective, at point: [Double]? = nil) {
        let theta = point ?? objective.initialPoint
        gradient = objective.gradient(at: theta).gradient
        hessian = objective.hessian(at: theta)
        eigenvalues = LinearAlgebra.symmetricEigenvalues(hessian)
        eigenvalueTolerance = Self.eigenvalueTolerance(eigenvalues)
        gradientTolerance = Self.gradientTolerance(eigenvalues, at: theta)
        kind = Self.classify(gradient: gradient, eigenvalues: eigenvalues, at: theta)
    }

    /// The second-derivative test on a gradient and the Hessian's eigenvalues at θ.
    public static func classify(gradient: [Double], eigenvalues: [Double], at theta: [Double]) -> Kind {
        if LinearAlgebra.norm(gradient) > gradientTolerance(eigenvalues, at: theta) { return .notCritical }
        let zero = eigenvalueTolerance(eigenvalues)
        let positive = eigenvalues.contains { $0 > zero }, negative = eigenvalues.contains { $0 < -zero }
        if positive && negative { return .saddle }
        if eigenvalues.contains(where: { Swift.abs($0) <= zero }) { return .degenerate }
        return positive ? .minimum : .maximum
    }
}
