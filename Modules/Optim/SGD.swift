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
public final class SGD: MomentumCyclable {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// Settable so `OneCycleLR` can cycle it; a buffer starts (as `b ← g`) the first step it is non-zero.
    public var momentum: Float
    public let dampening: Float
    public let nesterov: Bool
    public let weightDecay: Float
    /// The momentum buffer per parameter, created at its first step.
    private var buffers: [FloatBuffer?]

    /// Throws `OptimizerError.invalidOption` for a negative `lr`, `momentum` or
    /// `weightDecay`, and for `nesterov` without momentum or with dampening.
    public init(parameters: [Parameter], options: Options = .defaults) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "momentum value": options.momentum,
                                     "weight_decay value": options.weightDecay])
        if options.nesterov && (options.momentum <= 0 || options.dampening != 0) {
            throw .invalidOption("Nesterov momentum requires a momentum and zero dampening")
        }
        self.parameters = parameters
        self.learningRate = options.lr
        self.momentum = options.momentum
        self.dampening = options.dampening
        self.nesterov = options.nesterov
        self.weightDecay = options.weightDecay
        self.buffers = Array(repeating: nil, count: parameters.count)
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
        let lr = learningRate, mu = momentum, damp = 1 - dampening, wd = weightDecay, nesterov = nesterov
        for (index, parameter) in parameters.enumerated() {
            var buffer = buffers[index]
            let isFirst = buffer == nil
            if mu != 0, isFirst, parameter.variable.grad != nil {
                buffer = FloatBuffer(zeros: parameter.value.shape)
                buffers[index] = buffer
            }
            let b = buffer?.pointer
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

    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (index, buffer) in buffers.enumerated() {
            if let buffer { state[stateKey(index, "momentum_buffer")] = buffer.tensor }
        }
        return state
    }

    public func loadState(_ state: [String: Tensor]) throws(OptimizerError) {
        let names = momentum != 0 ? ["momentum_buffer"] : []
        let present = try validateState(state, parameters: parameters, tensorNames: names, hasStep: false)
        buffers = Array(repeating: nil, count: parameters.count)
        for index in present {
            buffers[index] = FloatBuffer(copying: state[stateKey(index, "momentum_buffer")]!)
        }
    }

    public var momentumOrBeta1: Float {
        get { momentum }
        set { momentum = newValue }
    }

    public var hyperparameters: [String: String] {
        ["optimizer": "SGD", "lr": pythonString(learningRate), "momentum": pythonString(momentum),
         "dampening": pythonString(dampening), "nesterov": pythonString(nesterov),
         "weight_decay": pythonString(weightDecay)]
    }
}
