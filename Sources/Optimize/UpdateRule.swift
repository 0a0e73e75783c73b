import Foundation

/// The state an optimiser keeps between steps and the update it applies, element by element,
/// as `torch.optim` defines it (the formulas in the README, in that order).
///
/// ```swift
/// var rule = UpdateRule(Hyperparameters(method: .adam, learningRate: 0.1), dimension: 2)
/// var theta = [1.0, 2.0]
/// rule.apply(&theta, gradient: [0.5, -1], learningRate: 0.1)
/// ```
public struct UpdateRule: Sendable {
    public let hyper: Hyperparameters
    /// Steps taken so far (t in Adam's bias correction counts from 1).
    public private(set) var step = 0
    /// SGD's momentum buffer v, Adam's first moment m.
    public private(set) var firstMoment: [Double]
    /// Adagrad's sum of squares, RMSprop's and Adam's running average of g².
    public private(set) var secondMoment: [Double]

    public init(_ hyper: Hyperparameters, dimension: Int) {
        self.hyper = hyper
        firstMoment = [Double](repeating: 0, count: dimension)
        secondMoment = [Double](repeating: 0, count: dimension)
    }

    /// The gradient with weight decay: g + λθ.
    public func decayed(_ gradient: [Double], _ theta: [Double]) -> [Double] {
        hyper.weightDecay == 0 ? gradient : zip(gradient, theta).map { $0 + hyper.weightDecay * $1 }
    }

    /// One step of the method at learning rate `lr` (the schedule's value for this step).
    /// Newton's method takes its direction from a linear solve (`Newton.direction`); given
    /// that direction as `gradient`, this is the plain step θ ← θ − η·d.
    public mutating func apply(_ theta: inout [Double], gradient: [Double], learningRate lr: Double) {
        step += 1
        let h = hyper
        let lambda = h.weightDecay
        theta.withUnsafeMutableBufferPointer { x in
            gradient.withUnsafeBufferPointer { grad in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { s in
                        switch h.method {
                        case .sgd, .momentum, .nesterov, .newton:
                            let mu = h.momentum
                            for i in 0..<x.count {
                                var g = grad[i]
                                if lambda != 0 { g += lambda * x[i] }
                                if mu != 0 {
                                    // PyTorch starts the buffer at g; with v₀ = 0 and dampening 0
                                    // that is μ·0 + g, the same number.
                                    m[i] = step == 1 ? g : mu * m[i] + g
                                    g = h.method == .nesterov ? g + mu * m[i] : m[i]
                                }
                                x[i] -= lr * g
                            }
                        case .adagrad:
                            for i in 0..<x.count {
                                var g = grad[i]
                                if lambda != 0 { g += lambda * x[i] }
                                s[i] += g * g
                                x[i] -= lr * g / (s[i].squareRoot() + h.epsilon)
                            }
                        case .rmsprop:
                            let a = h.alpha
                            for i in 0..<x.count {
                                var g = grad[i]
                                if lambda != 0 { g += lambda * x[i] }
                                s[i] = a * s[i] + (1 - a) * g * g
                                x[i] -= lr * g / (s[i].squareRoot() + h.epsilon)
                            }
                        case .adam:
                            let (b1, b2) = h.betas
                            let t = Double(step)
                            let correction1 = 1 - Foundation.pow(b1, t)
                            let correction2Root = (1 - Foundation.pow(b2, t)).squareRoot()
                            let stepSize = lr / correction1
                            for i in 0..<x.count {
                                var g = grad[i]
                                if lambda != 0 { g += lambda * x[i] }
                                m[i] = b1 * m[i] + (1 - b1) * g
                                s[i] = b2 * s[i] + (1 - b2) * g * g
                                let denominator = s[i].squareRoot() / correction2Root + h.epsilon
                                x[i] -= stepSize * m[i] / denominator
                            }
                        }
                    }
                }
            }
        }
    }
}
