import Autograd
import NN
import TensorCore

/// RMSprop, as `torch.optim.RMSprop`.
///
/// For each parameter `p` with gradient `g` (all tensors the parameter's shape):
/// ```
/// g ← g + λ·p                          (weightDecay λ ≠ 0)
/// s ← α·s + (1 − α)·g²                 (square_avg)
/// a ← a + (1 − α)·(g − a)              (grad_avg, centered only; PyTorch's lerp)
/// d = √(s − a²) + ε  if centered,  else  √s + ε
/// b ← μ·b + g / d,  p ← p − lr·b       (momentum μ > 0; momentum_buffer)
/// p ← p − lr·g / d                     (μ = 0)
/// ```
/// State per parameter: `step` (shape `[]`), `square_avg`, and
/// `momentum_buffer` (μ > 0) and `grad_avg` (centered), all starting at zero.
public final class RMSprop: OptimizerWithState, MomentumCyclable {
    /// The options it was built with; `momentum` changes as schedulers set it (the rate: `learningRate`) (momentum takes
    /// effect for parameters whose state was created with a non-zero momentum, as in PyTorch).
    public var options: Options

    /// Throws `OptimizerError.invalidOption` for a negative `lr`, `alpha`,
    /// `eps`, `weightDecay` or `momentum`.
    public init(parameters: [Parameter], options: Options = .defaults) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "epsilon value": options.eps, "momentum value": options.momentum,
                                     "weight_decay value": options.weightDecay, "alpha value": options.alpha])
        self.options = options
        super.init(parameters: parameters, learningRate: options.lr, countsSteps: true)
    }

    /// The same with PyTorch's keyword arguments (defaults: ``Options/defaults``).
    public convenience init(
        parameters: [Parameter], lr: Float = Options.defaults.lr, alpha: Float = Options.defaults.alpha,
        eps: Float = Options.defaults.eps, weightDecay: Float = Options.defaults.weightDecay,
        momentum: Float = Options.defaults.momentum, centered: Bool = Options.defaults.centered
    ) throws(OptimizerError) {
        try self.init(parameters: parameters, options: Options(lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay,
                                                              momentum: momentum, centered: centered))
    }

    public func step() {
        let lr = learningRate, alpha = options.alpha, eps = options.eps, wd = options.weightDecay, mu = options.momentum
        for (index, parameter) in parameters.enumerated() where parameter.variable.grad != nil {
            let slot = state.state(index, shape: parameter.value.shape, buffers: bufferNames).state
            slot.step += 1
            let s = slot["square_avg"]!, b = slot["momentum_buffer"], a = slot["grad_avg"]
            parameter.variable.updateInPlace { p, grad, n in
                for i in 0..<n {
                    var g = grad[i]
                    if wd != 0 { g += wd * p[i] }
                    s[i] = alpha * s[i] + (1 - alpha) * g * g
                    var denom: Float
                    if let a {
                        a[i] += (1 - alpha) * (g - a[i])
                        denom = (s[i] - a[i] * a[i]).squareRoot()
                    } else {
                        denom = s[i].squareRoot()
                    }
                    denom += eps
                    if let b {
                        b[i] = mu * b[i] + g / denom
                        p[i] += -lr * b[i]
                    } else {
                        p[i] += -lr * g / denom
                    }
                }
            }
        }
    }

    override var bufferNames: [String] {
        ["square_avg"] + (options.momentum > 0 ? ["momentum_buffer"] : []) + (options.centered ? ["grad_avg"] : [])
    }

    public var momentumOrBeta1: Float {
        get { options.momentum }
        set { options.momentum = newValue }
    }

    public var hyperparameters: [String: String] {
        let o = options
        return ["optimizer": "RMSprop", "lr": pythonString(learningRate), "alpha": pythonString(o.alpha), "eps": pythonString(o.eps),
                "weight_decay": pythonString(o.weightDecay), "momentum": pythonString(o.momentum),
                "centered": pythonString(o.centered)]
    }
}
