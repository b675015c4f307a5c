import Autograd
import TensorCore

// Divergences and likelihoods, as torch.nn.functional. Input and target broadcast.

/// Kullback–Leibler divergence, as `F.kl_div`, with the input holding
/// log-probabilities `x = log q`:
/// - `logTarget == false`: `lᵢ = y (log y − x)` (0 where `y = 0`, NaN where `y < 0`); gradient `−y`.
/// - `logTarget == true`: `lᵢ = eʸ (y − x)`; gradient `−eʸ`.
/// - `reduction: .batchmean` divides the sum by `N = input.shape[0]` (the true KL
///   per sample); `.mean` (PyTorch's default) divides by the element count.
public func klDivLoss(_ input: Variable, _ target: Tensor, logTarget: Bool = false,
                      reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("kl_div", allowsBatchmean: true)
    return reduction.apply(try Elementwise.run("kl_div", input, target, reduction: reduction) { x, y, _, _ in
        if logTarget {
            let p = Scalar.exp(y)
            return (p * (y - x), -p)
        }
        let entropy: Float = y == 0 ? 0 : y * Scalar.log(y)      // xlogy(y, y)
        return (entropy - y * x, -y)
    }, input: input)
}

/// Poisson negative log-likelihood, as `F.poisson_nll_loss`:
/// - `logInput == true` (rate `eˣ`): `lᵢ = eˣ − y x`; gradient `eˣ − y`.
/// - `logInput == false` (rate `x`): `lᵢ = x − y log(x + eps)`; gradient `1 − y / (x + eps)`.
/// - `full`: adds the Stirling term `y log y − y + ½ log(2π y)` where `y > 1`
///   (0 elsewhere); it does not depend on the input.
public func poissonNLLLoss(_ input: Variable, _ target: Tensor, logInput: Bool = true, full: Bool = false,
                           eps: Float = 1e-8, reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("poisson_nll")
    return reduction.apply(try Elementwise.run("poisson_nll", input, target, reduction: reduction) { x, y, _, _ in
        var (value, grad): (Float, Float)
        if logInput {
            let rate = Scalar.exp(x)
            (value, grad) = (rate - y * x, rate - y)
        } else {
            (value, grad) = (x - y * Scalar.log(x + eps), 1 - y / (x + eps))
        }
        if full && y > 1 { value += y * Scalar.log(y) - y + 0.5 * Scalar.log(2 * Float.pi * y) }
        return (value, grad)
    }, input: input)
}
