import Autograd
import TensorCore

// Classification losses over a class axis: input `(C)`, `(N, C)` or
// `(N, C, d₁, …, d_k)` (class axis 1), per-sample losses shaped like the input
// without its class axis. Softmax, log and the gradient are fused into one
// pass per sample; the gradient is the closed form `softmax − onehot`.

/// Cross-entropy on logits, as `F.cross_entropy`.
///
/// With `p = softmax(x)`, `ε = labelSmoothing`, `C` classes, `w` the class
/// weights (1 when absent) and `W = Σ_c w_c`:
/// - class-index target `y`: `lᵢ = (1 − ε) w_y (−log p_y) + (ε / C) Σ_c w_c (−log p_c)`,
///   0 where `y = ignoreIndex`; gradient `p ((1 − ε) w_y + ε W / C) − (1 − ε) w_y δ_y − ε w / C`.
///   `mean` divides by `Σ w_y` over the non-ignored samples (PyTorch's weighted mean).
/// - class-probability target `t` (float, same shape as the input):
///   `t' = (1 − ε) t + ε / C`, `lᵢ = −Σ_c w_c t'_c log p_c`; gradient `p Σ_c w_c t'_c − w t'`;
///   `mean` divides by the number of samples (`ignoreIndex` must stay negative, as PyTorch).
/// - Parameters:
///   - input: logits `(C)`, `(N, C)` or `(N, C, d₁…d_k)`.
///   - target: `.classes` shaped `()`, `(N)` or `(N, d₁…d_k)`, or `.values` shaped like the input.
///   - weight: `(C)` non-negative class weights.
///   - ignoreIndex: a target class that contributes no loss and no gradient.
///   - labelSmoothing: `ε` in `[0, 1]`, the share of the uniform distribution mixed into the target.
///   - reduction: how the per-element losses are combined (`LossReduction`).
/// - Returns: `[]`, or the per-sample shape for `reduction: .none`.
public func crossEntropyLoss(_ input: Variable, _ target: LossTarget, weight: Tensor? = nil, ignoreIndex: Int = -100,
                             labelSmoothing: Float = 0, reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let loss = "cross_entropy", reduction = try reduction.checked(loss)
    let layout = try ClassLayout(loss, input.shape)
    try layout.check(weight: weight)
    guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
        throw .badOption(loss: loss, option: "label_smoothing", value: "\(labelSmoothing)", expected: "a number in [0, 1]")
    }
    if case let .values(probabilities) = target {
        guard probabilities.shape == input.shape else { throw .shapeMismatch(loss: loss, input: input.shape, target: probabilities.shape) }
        guard ignoreIndex < 0 else {
            throw .badOption(loss: loss, option: "ignore_index", value: "\(ignoreIndex)", expected: "a negative value with class-probability targets")
        }
        return reduction.apply(ClassKernels.softTarget(input, probabilities, layout, weight, labelSmoothing, reduction), input: input)
    }
    let classes = try target.indices(loss)
    try layout.check(loss, classes, inputShape: input.shape, ignoreIndex: ignoreIndex)
    let terms = ClassKernels.crossEntropy(classes, layout, weight, ignoreIndex, labelSmoothing) { divisor, body in
        layout.sweep(input, reduction: reduction, divisor: divisor, body)
    }
    return reduction.apply(terms, input: input)
}

/// `cross_entropy` with class-index targets and a `mean` or `sum` reduction on
/// raw buffers, for loops that keep their own (Training's `StepPlan`): writes
/// `∂loss/∂input` to `gradient` and returns the loss, the same values
/// `crossEntropyLoss` computes, allocating nothing for `(N, C)` input.
/// Returns nil for probability targets or `reduction: none` (use `crossEntropyLoss`).
public func crossEntropyGradient(_ input: UnsafeBufferPointer<Float>, shape: [Int], _ target: LossTarget, weight: Tensor? = nil,
                                 ignoreIndex: Int = -100, labelSmoothing: Float = 0, reduction: LossReduction = .mean,
                                 gradient: UnsafeMutablePointer<Float>) throws(LossError) -> Float? {
    let loss = "cross_entropy", reduction = try reduction.checked(loss)
    guard reduction.reduces, case .classes(let classes) = target else { return nil }
    let layout = try ClassLayout(loss, shape)
    try layout.check(weight: weight)
    guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
        throw .badOption(loss: loss, option: "label_smoothing", value: "\(labelSmoothing)", expected: "a number in [0, 1]")
    }
    try layout.check(loss, classes, inputShape: shape, ignoreIndex: ignoreIndex)
    guard layout.samples > 0, let x = input.baseAddress else { return nil }
    return ClassKernels.crossEntropy(classes, layout, weight, ignoreIndex, labelSmoothing) { divisor, body in
        let scale = reduction.scale(count: layout.samples, batch: shape.first ?? 1, divisor: divisor)
        return Float(layout.sweep(x, values: nil, derivative: gradient, scale: Float(scale), body) * scale)
    }
}

/// Negative log-likelihood on log-probabilities, as `F.nll_loss`:
/// `lᵢ = −w_y x_{i,y}`, 0 where `y = ignoreIndex`; gradient `−w_y` at the target class.
/// `mean` divides by `Σ w_y` over the non-ignored samples.
/// - Parameters:
///   - input: log-probabilities `(C)`, `(N, C)` or `(N, C, d₁…d_k)` (e.g. from `logSoftmax(axis: 1)`).
///   - target: class indices shaped `()`, `(N)` or `(N, d₁…d_k)`.
///   - weight: `(C)` non-negative class weights.
///   - ignoreIndex: a target class that contributes no loss and no gradient.
///   - reduction: how the per-element losses are combined (`LossReduction`).
public func nllLoss(_ input: Variable, _ target: LossTarget, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let loss = "nll", reduction = try reduction.checked(loss)
    let layout = try ClassLayout(loss, input.shape)
    try layout.check(weight: weight)
    let classes = try target.indices(loss)
    try layout.check(loss, classes, inputShape: input.shape, ignoreIndex: ignoreIndex)
    let w = weight?.scalars
    let divisor = layout.divisor(classes, weight: weight, ignoreIndex: ignoreIndex)
    return reduction.apply(layout.sweep(input, reduction: reduction, divisor: divisor) { s, x, d, scale in
        let y = classes.indices[s]
        if let d { for c in 0..<d.count { d[c] = 0 } }
        guard y != ignoreIndex else { return 0 }
        let wy = w?[y] ?? 1
        d?[y] = -wy * scale
        return -wy * x[y]
    }, input: input)
}
