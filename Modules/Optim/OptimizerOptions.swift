import NN

/// Which optimizer to build and with which options, in PyTorch's names.
///
/// Each algorithm's options struct holds PyTorch's defaults, and only there: the
/// optimizers' keyword initializers and the config reader take theirs from it.
///
/// ```swift
/// let optimizer = try OptimizerOptions.sgd(.init(lr: 0.1, momentum: 0.9)).make(parameters: model.parameters)
/// ```
public enum OptimizerOptions: Sendable, Equatable {
    case sgd(SGD.Options)
    case adam(Adam.Options)
    /// Adam with decoupled weight decay; `Adam.Options.adamW` has AdamW's default decay.
    case adamW(Adam.Options)
    case rmsprop(RMSprop.Options)

    /// The optimizer these options describe, over `parameters`.
    public func make(parameters: [Parameter]) throws(OptimizerError) -> any Optimizer {
        switch self {
        case .sgd(let o): try SGD(parameters: parameters, options: o)
        case .adam(let o): try Adam(parameters: parameters, options: o)
        case .adamW(let o): try AdamW(parameters: parameters, options: o)
        case .rmsprop(let o): try RMSprop(parameters: parameters, options: o)
        }
    }

    /// The step size these options start with.
    public var learningRate: Float {
        switch self {
        case .sgd(let o): o.lr
        case .adam(let o), .adamW(let o): o.lr
        case .rmsprop(let o): o.lr
        }
    }
}

extension SGD {
    /// `torch.optim.SGD`'s keyword arguments and defaults.
    public struct Options: Sendable, Equatable {
        public var lr: Float = 1e-3
        public var momentum: Float = 0
        public var dampening: Float = 0
        public var nesterov = false
        public var weightDecay: Float = 0
        /// PyTorch's defaults.
        public static let defaults = Options()
        public init() {}
        public init(lr: Float = defaults.lr, momentum: Float = defaults.momentum, dampening: Float = defaults.dampening,
                    nesterov: Bool = defaults.nesterov, weightDecay: Float = defaults.weightDecay) {
            (self.lr, self.momentum, self.dampening, self.nesterov, self.weightDecay) = (lr, momentum, dampening, nesterov, weightDecay)
        }
    }
}

extension Adam {
    /// `torch.optim.Adam`'s keyword arguments and defaults (AdamW: ``adamW``).
    public struct Options: Sendable, Equatable {
        public var lr: Float = 1e-3
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var eps: Float = 1e-8
        public var weightDecay: Float = 0
        public var amsgrad = false
        /// PyTorch's Adam defaults.
        public static let defaults = Options()
        /// PyTorch's AdamW defaults: Adam's, with `weight_decay = 1e-2`.
        public static let adamW: Options = { var o = Options(); o.weightDecay = 1e-2; return o }()
        public init() {}
        public init(lr: Float = defaults.lr, betas: (Float, Float) = (defaults.beta1, defaults.beta2), eps: Float = defaults.eps,
                    weightDecay: Float = defaults.weightDecay, amsgrad: Bool = defaults.amsgrad) {
            (self.lr, beta1, beta2, self.eps, self.weightDecay, self.amsgrad) = (lr, betas.0, betas.1, eps, weightDecay, amsgrad)
        }
        /// `(β₁, β₂)`.
        public var betas: (Float, Float) { (beta1, beta2) }
    }
}

extension RMSprop {
    /// `torch.optim.RMSprop`'s keyword arguments and defaults.
    public struct Options: Sendable, Equatable {
        public var lr: Float = 1e-2
        public var alpha: Float = 0.99
        public var eps: Float = 1e-8
        public var weightDecay: Float = 0
        public var momentum: Float = 0
        public var centered = false
        /// PyTorch's defaults.
        public static let defaults = Options()
        public init() {}
        public init(lr: Float = defaults.lr, alpha: Float = defaults.alpha, eps: Float = defaults.eps,
                    weightDecay: Float = defaults.weightDecay, momentum: Float = defaults.momentum,
                    centered: Bool = defaults.centered) {
            (self.lr, self.alpha, self.eps, self.weightDecay, self.momentum, self.centered) = (lr, alpha, eps, weightDecay, momentum, centered)
        }
    }
}

/// The option checks every optimizer shares, with PyTorch's messages.
enum OptionCheck {
    /// Throws `Invalid <name>: <value>` (PyTorch's wording) for the first value below 0.
    static func nonNegative(_ values: KeyValuePairs<String, Float>) throws(OptimizerError) {
        for (name, value) in values where !(value >= 0) { throw .invalidOption("Invalid \(name): \(value)") }
    }

    /// Throws for a beta outside `[0, 1)`.
    static func betas(_ betas: (Float, Float)) throws(OptimizerError) {
        for (index, beta) in [betas.0, betas.1].enumerated() where !(beta >= 0 && beta < 1) {
            throw .invalidOption("Invalid beta parameter at index \(index): \(beta)")
        }
    }
}
