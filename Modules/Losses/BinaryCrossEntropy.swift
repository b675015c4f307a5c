import Autograd
import TensorCore

// Binary classification losses. Input and target must have the same shape (as
// PyTorch); `weight` and `pos_weight` broadcast to the input's shape.

/// Binary cross-entropy on probabilities, as `F.binary_cross_entropy`:
/// `lᵢ = −wᵢ (yᵢ log xᵢ + (1 − yᵢ) log(1 − xᵢ))`, each log clamped at −100 as
/// PyTorch, so `x = 0` or `1` gives a finite loss of at most 100.
/// Gradient `w (x − y) / max(x (1 − x), 1e-12)`, as PyTorch's backward.
/// - Parameters:
///   - input: probabilities in `[0, 1]`, any shape (else `notProbability`).
///   - target: same shape, values in `[0, 1]`.
///   - weight: non-negative, broadcastable to the input.
///   - reduction: how the per-element losses are combined (`LossReduction`).
/// - Prefer `bceWithLogitsLoss` on logits: it is stable where `σ` saturates.
public func bceLoss(_ input: Variable, _ target: Tensor, weight: Tensor? = nil,
                    reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("bce")
    try Elementwise.checkNonNegative("weight", weight)
    _ = try Elementwise.shape("bce", input.shape, target.shape, broadcasts: false)
    if let bad = input.value.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) { throw .notProbability(what: "input", value: bad) }
    if let bad = target.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) { throw .notProbability(what: "target", value: bad) }
    return reduction.apply(try Elementwise.run("bce", input, target, broadcasts: false, a: ("weight", weight), reduction: reduction) { x, y, w, _ in
        let logX = max(Scalar.log(x), -100), log1mX = max(Scalar.log1p(-x), -100)
        return (-w * (y * logX + (1 - y) * log1mX), w * (x - y) / max((1 - x) * x, 1e-12))
    }, input: input)
}

/// Binary cross-entropy on logits, as `F.binary_cross_entropy_with_logits`:
/// with `p = pos_weight`, `ℓ = (p − 1) y + 1`,
/// `lᵢ = wᵢ ((1 − y) x + ℓ · softplus(−x))` (stable for any |x|),
/// gradient `w (ℓ σ(x) − p y)` — `w (σ(x) − y)` without `pos_weight`.
/// - Parameters:
///   - input: logits, any shape.
///   - target: same shape (soft labels allowed).
///   - weight: non-negative, broadcastable to the input (e.g. `[N, 1]` per sample).
///   - posWeight: non-negative, broadcastable to the input (e.g. `[C]` per class).
///   - reduction: how the per-element losses are combined (`LossReduction`).
public func bceWithLogitsLoss(_ input: Variable, _ target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil,
                              reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("bce_with_logits")
    try Elementwise.checkNonNegative("weight", weight)
    try Elementwise.checkNonNegative("pos_weight", posWeight)
    return reduction.apply(try Elementwise.runVector("bce_with_logits", input, target, broadcasts: false,
                                                     a: ("weight", weight), b: ("pos_weight", posWeight),
                                                     reduction: reduction, bceWithLogitsTerms), input: input)
}

/// `bce_with_logits` with a `mean` or `sum` reduction on raw buffers, for loops
/// that keep their own (Training's `StepPlan`): writes `∂loss/∂input` to
/// `gradient` and returns the loss, the same values `bceWithLogitsLoss` computes.
/// Returns nil when the options need broadcasting (a `weight` or `pos_weight`
/// neither single nor shaped like the input) or `reduction` is `none`.
public func bceWithLogitsGradient(_ input: UnsafeBufferPointer<Float>, shape: [Int], _ target: Tensor, weight: Tensor? = nil,
                                  posWeight: Tensor? = nil, reduction: LossReduction = .mean,
                                  gradient: UnsafeMutablePointer<Float>) throws(LossError) -> Float? {
    let reduction = try reduction.checked("bce_with_logits")
    try Elementwise.checkNonNegative("weight", weight)
    try Elementwise.checkNonNegative("pos_weight", posWeight)
    return try Elementwise.reducedGradient("bce_with_logits", input, shape: shape, target, a: weight, b: posWeight,
                                           reduction: reduction, derivative: gradient) { Elementwise.vectorBlock($0, bceWithLogitsTerms) }
}

/// One 8-lane step of `bce_with_logits`: logits `x`, targets `y`, weight `w`,
/// `pos_weight` `p` → the values and their derivatives.
@inline(__always)
func bceWithLogitsTerms(_ x: FastMath.V, _ y: FastMath.V, _ w: FastMath.V, _ p: FastMath.V) -> (FastMath.V, FastMath.V) {
    typealias V = FastMath.V
    let e: V = FastMath.exp(-FastMath.abs(x))                         // e^{−|x|} ∈ (0, 1]
    let softplusNeg: V = FastMath.max(-x, V()) + FastMath.log1p(e)   // softplus(−x)
    let inv: V = 1 / (1 + e)
    let sigma: V = (e * inv).replacing(with: inv, where: x .>= 0)
    let l: V = (p - 1) * y + 1
    let value: V = w * ((1 - y) * x + l * softplusNeg)
    let grad: V = w * (l * sigma - p * y)
    return (value, grad)
}

/// Sigmoid focal loss, as `torchvision.ops.sigmoid_focal_loss`: with `p = σ(x)`,
/// `ce = bce_with_logits(x, y)`, `pₜ = p y + (1 − p)(1 − y)`,
/// `lᵢ = αₜ · ce · (1 − pₜ)^γ`, `αₜ = α y + (1 − α)(1 − y)` (no α factor when α < 0).
/// - Parameters: input logits and same-shape target in `[0, 1]`; alpha (0.25), gamma ≥ 0 (2).
/// - Note: torchvision's default reduction is `none`; the registry keeps that default.
public func sigmoidFocalLoss(_ input: Variable, _ target: Tensor, alpha: Float = 0.25, gamma: Float = 2,
                             reduction: LossReduction = .none) throws(LossError) -> Variable {
    let reduction = try reduction.checked("sigmoid_focal")
    guard gamma >= 0 else { throw .badOption(loss: "sigmoid_focal", option: "gamma", value: "\(gamma)", expected: "a number ≥ 0") }
    return reduction.apply(try Elementwise.run("sigmoid_focal", input, target, broadcasts: false, reduction: reduction) { x, y, _, _ in
        let e = Scalar.exp(-abs(x))
        let p = x >= 0 ? 1 / (1 + e) : e / (1 + e)
        let ce = max(x, 0) - x * y + Scalar.log1p(e)
        let m = 1 - (p * y + (1 - p) * (1 - y))                   // 1 − pₜ
        let dm = -p * (1 - p) * (2 * y - 1)                       // ∂(1 − pₜ)/∂x
        let a = alpha >= 0 ? alpha * y + (1 - alpha) * (1 - y) : 1
        let mPow = gamma == 0 ? 1 : Scalar.pow(m, gamma)
        let mPowPrime = gamma == 0 ? 0 : gamma * Scalar.pow(m, gamma - 1)
        return (a * ce * mPow, a * ((p - y) * mPow + ce * mPowPrime * dm))
    }, input: input)
}
