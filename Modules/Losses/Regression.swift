import Autograd
import TensorCore

// Regression losses, as torch.nn.functional. Input and target broadcast
// together (as PyTorch); `mean` divides by the broadcast element count and the
// input gradient is summed back over broadcast axes.

/// Mean squared error: `lᵢ = (xᵢ − yᵢ)²`, `∂l/∂x = 2(x − y)`.
/// - Parameters: input any shape; target broadcastable to it.
/// - Returns: `[]`, or the broadcast shape for `reduction: .none`.
public func mseLoss(_ input: Variable, _ target: Tensor,
                    reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("mse")
    return reduction.apply(try Elementwise.run("mse", input, target, reduction: reduction) { x, y, _, _ in
        let d = x - y
        return (d * d, 2 * d)
    }, input: input)
}

/// Mean absolute error: `lᵢ = |xᵢ − yᵢ|`, `∂l/∂x = sign(x − y)` (0 at 0, as PyTorch).
/// - Parameters: input any shape; target broadcastable to it.
public func l1Loss(_ input: Variable, _ target: Tensor,
                   reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("l1")
    return reduction.apply(try Elementwise.run("l1", input, target, reduction: reduction) { x, y, _, _ in
        let d = x - y
        return (abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
    }, input: input)
}

/// Smooth L1: with `d = x − y`, `lᵢ = 0.5 d² / β` where `|d| < β`, else
/// `|d| − 0.5 β`; `β = 0` is exactly `l1`. Gradient `d / β` inside, `sign(d)` outside.
/// - Parameters: beta ≥ 0 (default 1); input any shape; target broadcastable to it.
public func smoothL1Loss(_ input: Variable, _ target: Tensor, beta: Float = 1,
                         reduction: LossReduction = .mean) throws(LossError) -> Variable {
    guard beta >= 0 else { throw .badOption(loss: "smooth_l1", option: "beta", value: "\(beta)", expected: "a number ≥ 0") }
    if beta == 0 { return try l1Loss(input, target, reduction: reduction) }
    let reduction = try reduction.checked("smooth_l1")
    return reduction.apply(try Elementwise.run("smooth_l1", input, target, reduction: reduction) { x, y, _, _ in
        let d = x - y, a = abs(d)
        let value = a < beta ? 0.5 * d * d / beta : a - 0.5 * beta
        return (value, d <= -beta ? -1 : (d >= beta ? 1 : d / beta))
    }, input: input)
}

/// Huber: with `d = x − y`, `lᵢ = 0.5 d²` where `|d| < δ`, else `δ (|d| − 0.5 δ)`;
/// gradient `clamp(d, −δ, δ)`. Equals `δ · smooth_l1(β = δ)`.
/// - Parameters: delta > 0 (default 1); input any shape; target broadcastable to it.
public func huberLoss(_ input: Variable, _ target: Tensor, delta: Float = 1,
                      reduction: LossReduction = .mean) throws(LossError) -> Variable {
    guard delta > 0 else { throw .badOption(loss: "huber", option: "delta", value: "\(delta)", expected: "a number > 0") }
    let reduction = try reduction.checked("huber")
    return reduction.apply(try Elementwise.run("huber", input, target, reduction: reduction) { x, y, _, _ in
        let d = x - y, a = abs(d)
        return (a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta), min(max(d, -delta), delta))
    }, input: input)
}
