/// The optimisers, with PyTorch's (`torch.optim`) update rules and defaults. The README gives
/// each rule as a formula so a student can check a step by hand.
public enum Method: String, CaseIterable, Sendable {
    /// θ ← θ − η·g (with `momentum` μ > 0, PyTorch's SGD with momentum).
    case sgd
    /// v ← μv + g, θ ← θ − η·v (PyTorch SGD, dampening 0; μ defaults to 0.9).
    case momentum
    /// v ← μv + g, θ ← θ − η·(g + μv) (PyTorch SGD with `nesterov=True`).
    case nesterov
    /// s ← s + g², θ ← θ − η·g/(√s + ε) (lr_decay 0, initial accumulator 0, ε = 1e-10).
    case adagrad
    /// s ← αs + (1 − α)g², θ ← θ − η·g/(√s + ε) (α = 0.99, ε = 1e-8).
    case rmsprop
    /// Adam with bias correction (β = (0.9, 0.999), ε = 1e-8).
    case adam
    /// Newton's method: solve H·d = g, θ ← θ − η·d (η defaults to 1, the full step).
    case newton

    /// PyTorch's default learning rate for the method (1 for Newton's full step).
    public var defaultLearningRate: Double {
        switch self {
        case .sgd, .momentum, .nesterov, .adam: 1e-3
        case .adagrad, .rmsprop: 1e-2
        case .newton: 1
        }
    }

    /// The ε the method adds to its denominator, as in PyTorch.
    public var defaultEpsilon: Double {
        switch self {
        case .adagrad: 1e-10
        case .sgd, .momentum, .nesterov, .rmsprop, .adam, .newton: 1e-8
        }
    }
}

/// Everything that shapes an update, with PyTorch's defaults.
public struct Hyperparameters: Sendable, Equatable {
    public var method: Method
    /// η: the learning rate (the first trial step under a line search).
    public var learningRate: Double
    /// μ for SGD-family methods; 0 for plain SGD, 0.9 for `momentum` and `nesterov` unless given.
    public var momentum: Double
    /// (β₁, β₂) for Adam.
    public var betas: (Double, Double)
    /// ε added to the denominator (Adagrad, RMSprop, Adam).
    public var epsilon: Double
    /// α, RMSprop's smoothing constant.
    public var alpha: Double
    /// λ: L2 weight decay, added to the gradient as g ← g + λθ (PyTorch's `weight_decay`).
    public var weightDecay: Double

    public init(method: Method, learningRate: Double? = nil, momentum: Double? = nil,
                betas: (Double, Double) = (0.9, 0.999), epsilon: Double? = nil,
                alpha: Double = 0.99, weightDecay: Double = 0) {
        self.method = method
        self.learningRate = learningRate ?? method.defaultLearningRate
        self.momentum = momentum ?? (method == .momentum || method == .nesterov ? 0.9 : 0)
        self.betas = betas
        self.epsilon = epsilon ?? method.defaultEpsilon
        self.alpha = alpha
        self.weightDecay = weightDecay
    }

    public static func == (l: Hyperparameters, r: Hyperparameters) -> Bool {
        l.method == r.method && l.learningRate == r.learningRate && l.momentum == r.momentum
            && l.betas == r.betas && l.epsilon == r.epsilon && l.alpha == r.alpha && l.weightDecay == r.weightDecay
    }
}
