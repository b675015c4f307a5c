#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Autograd
import CKernels
import NN
import TensorCore

/// Adam, as `torch.optim.Adam`; with `decoupledWeightDecay` it is AdamW
/// (`torch.optim.AdamW`), which the `AdamW` initializer sets up.
///
/// For each parameter `p` with gradient `g`, at its step `t` (1, 2, …):
/// ```
/// g ← g + λ·p                       (Adam, weightDecay λ ≠ 0)
/// p ← p·(1 − lr·λ)                  (AdamW: decoupled decay, before the update)
/// m ← m + (1 − β₁)·(g − m)          (exp_avg; PyTorch's lerp)
/// v ← β₂·v + (1 − β₂)·g²            (exp_avg_sq)
/// v̂ ← max(v̂, v)                     (max_exp_avg_sq, amsgrad only; used instead of v)
/// denom = √v / √(1 − β₂ᵗ) + ε
/// p ← p − (lr / (1 − β₁ᵗ))·m / denom
/// ```
/// Bias corrections are computed in `Double` as PyTorch does in Python.
/// State per parameter: `step` (shape `[]`), `exp_avg`, `exp_avg_sq`, and
/// `max_exp_avg_sq` with amsgrad (each the parameter's shape).
public class Adam: MomentumCyclable {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// `(β₁, β₂)`; settable so `OneCycleLR` can cycle β₁.
    public var betas: (Float, Float)
    public let eps: Float
    public let weightDecay: Float
    public let amsgrad: Bool
    /// True for AdamW.
    public let decoupledWeightDecay: Bool

    private struct Slot {
        var step: Int
        let expAvg: FloatBuffer
        let expAvgSq: FloatBuffer
        let maxExpAvgSq: FloatBuffer?
    }
    private var slots: [Slot?]

    /// Throws `OptimizerError.invalidOption` for negative `lr`, `eps` or
    /// `weightDecay`, or betas outside `[0, 1)`.
    public init(parameters: [Parameter], options: Options = .defaults, decoupledWeightDecay: Bool = false) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "epsilon value": options.eps])
        try OptionCheck.betas(options.betas)
        try OptionCheck.nonNegative(["weight_decay value": options.weightDecay])
        self.parameters = parameters
        self.learningRate = options.lr
        self.betas = options.betas
        self.eps = options.eps
        self.weightDecay = options.weightDecay
        self.amsgrad = options.amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
        self.slots = Array(repeating: nil, count: parameters.count)
    }

    /// The same with PyTorch's keyword arguments (defaults: ``Options/defaults``).
    public convenience init(
        parameters: [Parameter], lr: Float = Options.defaults.lr, betas: (Float, Float) = Options.defaults.betas,
        eps: Float = Options.defaults.eps, weightDecay: Float = Options.defaults.weightDecay,
        amsgrad: Bool = Options.defaults.amsgrad, decoupledWeightDecay: Bool = false
    ) throws(OptimizerError) {
        try self.init(parameters: parameters, options: Options(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                                                              amsgrad: amsgrad), decoupledWeightDecay: decoupledWeightDecay)
    }

    public func step() {
        let lr = learningRate, (beta1, beta2) = betas, eps = eps, wd = weightDecay
        let decoupled = decoupledWeightDecay
        for (index, parameter) in parameters.enumerated() where parameter.variable.grad != nil {
            var slot = slots[index] ?? Slot(
                step: 0,
                expAvg: FloatBuffer(zeros: parameter.value.shape),
                expAvgSq: FloatBuffer(zeros: parameter.value.shape),
                maxExpAvgSq: amsgrad ? FloatBuffer(zeros: parameter.value.shape) : nil)
            slot.step += 1
            slots[index] = slot
            let t = Double(slot.step)
            let biasCorrection1 = 1 - pow(Double(beta1), t)
            let biasCorrection2Sqrt = (1 - pow(Double(beta2), t)).squareRoot()
            let stepSize = Float(Double(lr) / biasCorrection1)
            let decay = Float(1 - Double(lr) * Double(wd))
            let correction2 = Float(biasCorrection2Sqrt)
            let m = slot.expAvg.pointer, v = slot.expAvgSq.pointer, vMax = slot.maxExpAvgSq?.pointer
            parameter.variable.updateInPlace { p, grad, n in
                if wd == 0 && vMax == nil {
                    // The common case as one vectorized loop (same arithmetic, same order), large
                    // tensors split over the cores: every element is updated on its own.
                    var update = AdamUpdate(p: p, g: grad, m: m, v: v, n: n, beta1: beta1, beta2: beta2, stepSize: stepSize,
                                            correction2: correction2, eps: eps)
                    let parts = n >= 1 << 16 ? Parallel.threads : 1
                    withUnsafePointer(to: &update) { args in
                        Parallel.run(parts: parts, context: UnsafeRawPointer(args)) { context, part, parts in
                            let u = context.assumingMemoryBound(to: AdamUpdate.self).pointee
                            let r = Parallel.range(part, of: parts, count: u.n)
                            tb_adam_update(u.p + r.lowerBound, u.g + r.lowerBound, u.m + r.lowerBound, u.v + r.lowerBound, r.count,
                                           u.beta1, u.beta2, u.stepSize, u.correction2, u.eps)
                        }
                    }
                    return
                }
                for i in 0..<n {
                    var g = grad[i]
                    if wd != 0 {
                        if decoupled { p[i] *= decay } else { g += wd * p[i] }
                    }
                    m[i] += (1 - beta1) * (g - m[i])
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g
                    var second = v[i]
                    if let vMax {
                        vMax[i] = Swift.max(vMax[i], v[i])
                        second = vMax[i]
                    }
                    let denom = second.squareRoot() / correction2 + eps
                    p[i] += -stepSize * m[i] / denom
                }
            }
        }
    }

    private var tensorNames: [String] {
        ["exp_avg", "exp_avg_sq"] + (amsgrad ? ["max_exp_avg_sq"] : [])
    }

    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (index, slot) in slots.enumerated() {
            guard let slot else { continue }
            state[stateKey(index, "step")] = Tensor(Float(slot.step))
            state[stateKey(index, "exp_avg")] = slot.expAvg.tensor
            state[stateKey(index, "exp_avg_sq")] = slot.expAvgSq.tensor
            if let maxExpAvgSq = slot.maxExpAvgSq { state[stateKey(index, "max_exp_avg_sq")] = maxExpAvgSq.tensor }
        }
        return state
    }

    public func loadState(_ state: [String: Tensor]) throws(OptimizerError) {
        let present = try validateState(state, parameters: parameters, tensorNames: tensorNames, hasStep: true)
        slots = Array(repeating: nil, count: parameters.count)
        for index in present {
            slots[index] = Slot(
                step: Int(state[stateKey(index, "step")]!.item),
                expAvg: FloatBuffer(copying: state[stateKey(index, "exp_avg")]!),
                expAvgSq: FloatBuffer(copying: state[stateKey(index, "exp_avg_sq")]!),
                maxExpAvgSq: amsgrad ? FloatBuffer(copying: state[stateKey(index, "max_exp_avg_sq")]!) : nil)
        }
    }

    public var momentumOrBeta1: Float {
        get { betas.0 }
        set { betas.0 = newValue }
    }

    public var hyperparameters: [String: String] {
        ["optimizer": decoupledWeightDecay ? "AdamW" : "Adam", "lr": pythonString(learningRate),
         "betas": "(\(pythonString(betas.0)), \(pythonString(betas.1)))", "eps": pythonString(eps),
         "weight_decay": pythonString(weightDecay), "amsgrad": pythonString(amsgrad)]
    }
}

/// The arguments of one `tb_adam_update` over a whole tensor, handed to `Parallel.run`.
private struct AdamUpdate {
    var p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    var n: Int
    var beta1, beta2, stepSize, correction2, eps: Float
}

/// AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay
/// `p ← p·(1 − lr·λ)` applied before the Adam update, default `λ = 1e-2`.
/// Shares `Adam`'s implementation, state names and checkpoint format.
public final class AdamW: Adam {
    public init(parameters: [Parameter], options: Options = .adamW) throws(OptimizerError) {
        try super.init(parameters: parameters, options: options, decoupledWeightDecay: true)
    }

    /// The same with PyTorch's keyword arguments (defaults: ``Adam/Options/adamW``).
    public convenience init(
        parameters: [Parameter], lr: Float = Options.adamW.lr, betas: (Float, Float) = Options.adamW.betas,
        eps: Float = Options.adamW.eps, weightDecay: Float = Options.adamW.weightDecay, amsgrad: Bool = Options.adamW.amsgrad
    ) throws(OptimizerError) {
        try self.init(parameters: parameters, options: Options(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                                                              amsgrad: amsgrad))
    }
}
