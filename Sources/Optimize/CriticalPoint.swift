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

    /// A gradient norm or eigenvalue below this, relative to the Hessian's largest eigenvalue
    /// magnitude (or absolutely, when the Hessian is 0), counts as zero.
    public static let tolerance = 1e-9

    /// Analyses `objective` at θ (its stored point unless given).
    public init(_ objective: inout Objective, at point: [Double]? = nil) {
        let theta = point ?? objective.initialPoint
        gradient = objective.gradient(at: theta).gradient
        hessian = objective.hessian(at: theta)
        eigenvalues = LinearAlgebra.symmetricEigenvalues(hessian)
        kind = Self.classify(gradient: gradient, eigenvalues: eigenvalues)
    }

    /// The second-derivative test on a gradient and the Hessian's eigenvalues.
    public static func classify(gradient: [Double], eigenvalues: [Double]) -> Kind {
        let scale = Swift.max(eigenvalues.map(Swift.abs).max() ?? 0, 1)
        if LinearAlgebra.norm(gradient) > tolerance * scale { return .notCritical }
        let zero = tolerance * scale
        let positive = eigenvalues.contains { $0 > zero }, negative = eigenvalues.contains { $0 < -zero }
        if positive && negative { return .saddle }
        if eigenvalues.contains(where: { Swift.abs($0) <= zero }) { return .degenerate }
        return positive ? .minimum : .maximum
    }
}
