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
public class Adam: OptimizerWithState, MomentumCyclable {
    /// The options it was built with; `beta1` changes as schedulers set it (the rate: `learningRate`).
    public var options: Options
    /// True for AdamW.
    public let decoupledWeightDecay: Bool

    /// Throws `OptimizerError.invalidOption` for negative `lr`, `eps` or
    /// `weightDecay`, or betas outside `[0, 1)`.
    public init(parameters: [Parameter], options: Options = .defaults, decoupledWeightDecay: Bool = false) throws(OptimizerError) {
        try OptionCheck.nonNegative(["learning rate": options.lr, "epsilon value": options.eps])
        try OptionCheck.betas(options.betas)
        try OptionCheck.nonNegative(["weight_decay value": options.weightDecay])
        self.options = options
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters: parameters, learningRate: options.lr, countsSteps: true)
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
        let lr = learningRate, (beta1, beta2) = options.betas, eps = options.eps, wd = options.weightDecay
        let decoupled = decoupledWeightDecay
        for (index, parameter) in parameters.enumerated() where parameter.variable.grad != nil {
            let slot = state.state(index, shape: parameter.value.shape, buffers: bufferNames).state
            slot.step += 1
            let t = Double(slot.step)
            let biasCorrection1 = 1 - pow(Double(beta1), t)
            let biasCorrection2Sqrt = (1 - pow(Double(beta2), t)).squareRoot()
            let stepSize = Float(Double(lr) / biasCorrection1)
            let decay = Float(1 - Double(lr) * Double(wd))
            let correction2 = Float(biasCorrection2Sqrt)
            let m = slot["exp_avg"]!, v = slot["exp_avg_sq"]!, vMax = slot["max_exp_avg_sq"]
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

    override var bufferNames: [String] { ["exp_avg", "exp_avg_sq"] + (options.amsgrad ? ["max_exp_avg_sq"] : []) }

    public var momentumOrBeta1: Float {
        get { options.beta1 }
        set { options.beta1 = newValue }
    }

    public var hyperparameters: [String: String] {
        let o = options
        return ["optimizer": decoupledWeightDecay ? "AdamW" : "Adam", "lr": pythonString(learningRate),
                "betas": "(\(pythonString(o.beta1)), \(pythonString(o.beta2)))", "eps": pythonString(o.eps),
                "weight_decay": pythonString(o.weightDecay), "amsgrad": pythonString(o.amsgrad)]
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
