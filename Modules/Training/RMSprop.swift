import Autograd
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
        let squareAvg: StateBuffer
        let momentumBuffer: StateBuffer?
        let gradAvg: StateBuffer?
    }
    private var slots: [Slot?]

    /// Throws `OptimizerError.invalidOption` for a negative `lr`, `alpha`,
    /// `eps`, `weightDecay` or `momentum`.
    public init(
        parameters: [Parameter], lr: Float = 1e-2, alpha: Float = 0.99, eps: Float = 1e-8,
        weightDecay: Float = 0, momentum: Float = 0, centered: Bool = false
    ) throws(OptimizerError) {
        guard lr >= 0 else { throw .invalidOption("Invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw .invalidOption("Invalid epsilon value: \(eps)") }
        guard momentum >= 0 else { throw .invalidOption("Invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw .invalidOption("Invalid weight_decay value: \(weightDecay)") }
        guard alpha >= 0 else { throw .invalidOption("Invalid alpha value: \(alpha)") }
        self.parameters = parameters
        self.learningRate = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.slots = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        let lr = learningRate, alpha = alpha, eps = eps, wd = weightDecay, mu = momentum
        for (index, parameter) in parameters.enumerated() where parameter.variable.grad != nil {
            let shape = parameter.value.shape
            var slot = slots[index] ?? Slot(
                step: 0, squareAvg: StateBuffer(zeros: shape),
                momentumBuffer: mu > 0 ? StateBuffer(zeros: shape) : nil,
                gradAvg: centered ? StateBuffer(zeros: shape) : nil)
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
                squareAvg: StateBuffer(copying: state[stateKey(index, "square_avg")]!),
                momentumBuffer: momentum > 0 ? StateBuffer(copying: state[stateKey(index, "momentum_buffer")]!) : nil,
                gradAvg: centered ? StateBuffer(copying: state[stateKey(index, "grad_avg")]!) : nil)
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
