import Autograd
import NN
import TensorCore

/// Stochastic gradient descent with optional momentum, as `torch.optim.SGD`.
///
/// For each parameter `p` with gradient `g` (all tensors the parameter's shape):
/// ```
/// g ← g + λ·p                                   (weightDecay λ ≠ 0)
/// b ← g                                          (first step, momentum μ ≠ 0)
/// b ← μ·b + (1 − τ)·g                            (later steps, dampening τ)
/// g ← g + μ·b  if nesterov,  else  g ← b
/// p ← p − lr·g
/// ```
/// State: `momentum_buffer` per parameter when `momentum ≠ 0` (no step count,
/// as PyTorch).
public final class SGD: OptimizerWithState, MomentumCyclable {
    /// The options it was built with; `momentum` changes as schedulers set it (the rate: `learningRate`) (a momentum
    /// buffer starts, as `b ← g`, the first step momentum is non-zero).
    public var options: Options

    /// Throws `OptimizerError.invalidOption` for a negative `lr`, `momentum` or
    /// `weightDecay`, and for `nesterov` without momentum or with dampening.
    public init(parameters: [Parameter], options: Options = .defaults) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "momentum value": options.momentum,
                                     "weight_decay value": options.weightDecay])
        if options.nesterov && (options.momentum <= 0 || options.dampening != 0) {
            throw .invalidOption("Nesterov momentum requires a momentum and zero dampening")
        }
        self.options = options
        super.init(parameters: parameters, learningRate: options.lr, countsSteps: false)
    }

    /// The same with PyTorch's keyword arguments (defaults: ``Options/defaults``).
    public convenience init(
        parameters: [Parameter], lr: Float = Options.defaults.lr, momentum: Float = Options.defaults.momentum,
        dampening: Float = Options.defaults.dampening, nesterov: Bool = Options.defaults.nesterov,
        weightDecay: Float = Options.defaults.weightDecay
    ) throws(OptimizerError) {
        try self.init(parameters: parameters, options: Options(lr: lr, momentum: momentum, dampening: dampening,
                                                              nesterov: nesterov, weightDecay: weightDecay))
    }

    public func step() {
        let lr = learningRate, mu = options.momentum, damp = 1 - options.dampening, wd = options.weightDecay
        let nesterov = options.nesterov
        for (index, parameter) in parameters.enumerated() {
            var slot = state.perParameter[index], isFirst = false
            if slot == nil, mu != 0, parameter.variable.grad != nil {
                (slot, isFirst) = state.state(index, shape: parameter.value.shape, buffers: ["momentum_buffer"])
            }
            let b = slot?["momentum_buffer"]
            parameter.variable.updateInPlace { p, grad, n in
                for i in 0..<n {
                    var g = grad[i]
                    if wd != 0 { g += wd * p[i] }
                    if let b {
                        b[i] = isFirst ? g : mu * b[i] + damp * g
                        g = nesterov ? g + mu * b[i] : b[i]
                    }
                    p[i] += -lr * g
                }
            }
        }
    }

    override var bufferNames: [String] { options.momentum != 0 ? ["momentum_buffer"] : [] }

    public var momentumOrBeta1: Float {
        get { options.momentum }
        set { options.momentum = newValue }
    }

    public var hyperparameters: [String: String] {
        let o = options
        return ["optimizer": "SGD", "lr": pythonString(learningRate), "momentum": pythonString(o.momentum),
                "dampening": pythonString(o.dampening), "nesterov": pythonString(o.nesterov),
                "weight_decay": pythonString(o.weightDecay)]
    }
}
