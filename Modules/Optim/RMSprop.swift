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
public final class RMSprop: MomentumCyclable {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let alpha: Float
    public let eps: Float
    public let weightDecay: Float
    /// Settable so `OneCycleLR` can cycle it; it takes effect for parameters
    /// whose state was created with a non-zero momentum (PyTorch creates the
    /// buffer only then, too).
    public var momentum: Float
    public let centered: Bool

    private struct Slot {
        var step: Int
        let squareAvg: FloatBuffer
        let momentumBuffer: FloatBuffer?
        let gradAvg: FloatBuffer?
    }
    private var slots: [Slot?]

    /// Throws `OptimizerError.invalidOption` for a negative `lr`, `alpha`,
    /// `eps`, `weightDecay` or `momentum`.
    public init(parameters: [Parameter], options: Options = .defaults) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "epsilon value": options.eps, "momentum value": options.momentum,
                                     "weight_decay value": options.weightDecay, "alpha value": options.alpha])
        self.parameters = parameters
        self.learningRate = options.lr
        self.alpha = options.alpha
        self.eps = options.eps
        self.weightDecay = options.weightDecay
        self.momentum = options.momentum
        self.centered = options.centered
        self.slots = Array(repeating: nil, count: parameters.count)
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
        let lr = learningRate, alpha = alpha, eps = eps, wd = weightDecay, mu = momentum
        for (index, parameter) in parameters.enumerated() where parameter.variable.grad != nil {
            let shape = parameter.value.shape
            var slot = slots[index] ?? Slot(
                step: 0, squareAvg: FloatBuffer(zeros: shape),
                momentumBuffer: mu > 0 ? FloatBuffer(zeros: shape) : nil,
                gradAvg: centered ? FloatBuffer(zeros: shape) : nil)
            slot.step += 1
            slots[index] = slot
            let s = slot.squareAvg.pointer, b = slot.momentumBuffer?.pointer, a = slot.gradAvg?.pointer
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

    private var tensorNames: [String] {
        ["square_avg"] + (momentum > 0 ? ["momentum_buffer"] : []) + (centered ? ["grad_avg"] : [])
    }

    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (index, slot) in slots.enumerated() {
            guard let slot else { continue }
            state[stateKey(index, "step")] = Tensor(Float(slot.step))
            state[stateKey(index, "square_avg")] = slot.squareAvg.tensor
            if let buffer = slot.momentumBuffer { state[stateKey(index, "momentum_buffer")] = buffer.tensor }
            if let average = slot.gradAvg { state[stateKey(index, "grad_avg")] = average.tensor }
        }
        return state
    }

    public func loadState(_ state: [String: Tensor]) throws(OptimizerError) {
        let present = try validateState(state, parameters: parameters, tensorNames: tensorNames, hasStep: true)
        slots = Array(repeating: nil, count: parameters.count)
        for index in present {
            slots[index] = Slot(
                step: Int(state[stateKey(index, "step")]!.item),
                squareAvg: FloatBuffer(copying: state[stateKey(index, "square_avg")]!),
                momentumBuffer: momentum > 0 ? FloatBuffer(copying: state[stateKey(index, "momentum_buffer")]!) : nil,
                gradAvg: centered ? FloatBuffer(copying: state[stateKey(index, "grad_avg")]!) : nil)
        }
    }

    public var momentumOrBeta1: Float {
        get { momentum }
        set { momentum = newValue }
    }

    public var hyperparameters: [String: String] {
        ["optimizer": "RMSprop", "lr": pythonString(learningRate), "alpha": pythonString(alpha),
         "eps": pythonString(eps), "weight_decay": pythonString(weightDecay),
         "momentum": pythonString(momentum), "centered": pythonString(centered)]
    }
}
