import Autograd
import TensorCore

// Margin losses, as torch.nn.functional.

/// Soft margin (two-class logistic) loss: `lᵢ = log(1 + e^{−yᵢ xᵢ})` with labels
/// `y = ±1`, computed as a stable softplus; gradient `−y σ(−y x)`.
/// - Parameters: input any shape; target broadcastable to it.
public func softMarginLoss(_ input: Variable, _ target: Tensor,
                           reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("soft_margin")
    return reduction.apply(try Elementwise.run("soft_margin", input, target, reduction: reduction) { x, y, _, _ in
        (Scalar.softplus(-y * x), -y * Scalar.sigmoid(-y * x))
    }, input: input)
}

/// Multi-label one-versus-all logistic loss, as `F.multilabel_soft_margin_loss`:
/// `lᵢ = (1 / C) Σ_c w_c (y_c softplus(−x_c) + (1 − y_c) softplus(x_c))` over the
/// last axis (the classes); gradient `w (σ(x) − y) / C`.
/// - Parameters:
///   - input: `(C)` or `(N, C)` (any leading axes).
///   - target: broadcastable to the input, values in `[0, 1]`.
///   - weight: non-negative, broadcastable to the input (e.g. `(C)`).
///   - reduction: how the per-element losses are combined (`LossReduction`).
/// - Returns: `[]`, or the input shape without its last axis for `reduction: .none`.
public func multilabelSoftMarginLoss(_ input: Variable, _ target: Tensor, weight: Tensor? = nil,
                                     reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let loss = "multilabel_soft_margin", reduction = try reduction.checked(loss)
    guard let classes = input.shape.last else { throw .badInputShape(loss: loss, shape: input.shape, expected: "(C) or (N, C)") }
    try Elementwise.checkNonNegative("weight", weight)
    var terms = try Elementwise.run(loss, input, target, a: ("weight", weight), reduction: nil) { x, y, w, _ in
        (w * (y * Scalar.softplus(-x) + (1 - y) * Scalar.softplus(x)), w * (Scalar.sigmoid(x) - y))
    }
    let perClass = 1 / Float(classes)
    terms.values = terms.values.map { $0.sum(axes: [-1]) * perClass }
    terms.sampleShape = Array(terms.sampleShape.dropLast())
    terms.derivative = terms.derivative.map { $0 * perClass }
    terms.classes = classes
    return reduction.apply(terms, input: input)
}

/// Multi-class hinge loss, as `F.multi_margin_loss`: for a sample with class `y`,
/// `lᵢ = (1 / C) Σ_{j ≠ y} w_y max(0, margin − x_y + x_j)^p`; gradient
/// `w_y p zʲ⁻¹ / C` at each active `j`, minus their sum at `y`.
/// - Parameters:
///   - input: `(C)` or `(N, C)`.
///   - target: class indices `()` or `(N)`.
///   - p: 1 or 2.
///   - margin: default 1.
///   - weight: `(C)` non-negative.
///   - reduction: how the per-element losses are combined (`LossReduction`).
public func multiMarginLoss(_ input: Variable, _ target: LossTarget, p: Int = 1, margin: Float = 1, weight: Tensor? = nil,
                            reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let loss = "multi_margin", reduction = try reduction.checked(loss)
    guard p == 1 || p == 2 else { throw .badOption(loss: loss, option: "p", value: "\(p)", expected: "1 or 2") }
    guard input.value.rank == 1 || input.value.rank == 2 else {
        throw .badInputShape(loss: loss, shape: input.shape, expected: "(C) or (N, C)")
    }
    let layout = try ClassLayout(loss, input.shape)
    try layout.check(weight: weight)
    let classes = try target.indices(loss)
    try layout.check(loss, classes, inputShape: input.shape, ignoreIndex: nil)
    let w = weight?.scalars, perClass = 1 / Float(layout.classes)
    return reduction.apply(layout.sweep(input, reduction: reduction) { s, x, d, scale in
        let y = classes.indices[s], wy = w?[y] ?? 1
        var total: Float = 0, targetGrad: Float = 0
        for j in 0..<x.count {
            let z = margin - x[y] + x[j]
            let active = j != y && z > 0
            if active { total += (p == 1 ? z : z * z) * wy }
            let g: Float = active ? (p == 1 ? 1 : 2 * z) * wy * perClass * scale : 0
            d?[j] = g
            targetGrad -= g
        }
        d?[y] = targetGrad
        return total * perClass
    }, input: input)
}

/// Hinge embedding loss, as `F.hinge_embedding_loss`, for labels `y = ±1`:
/// `lᵢ = [y ≠ 1] max(0, margin − x) + [y ≠ −1] x`; gradient
/// `−[y ≠ 1][x ≤ margin] + [y ≠ −1]`.
/// - Parameters: input any shape; target broadcastable to it; margin (default 1).
public func hingeEmbeddingLoss(_ input: Variable, _ target: Tensor, margin: Float = 1,
                               reduction: LossReduction = .mean) throws(LossError) -> Variable {
    let reduction = try reduction.checked("hinge_embedding")
    return reduction.apply(try Elementwise.run("hinge_embedding", input, target, reduction: reduction) { x, y, _, _ in
        let hinge: Float = y != 1 ? max(0, margin - x) : 0, linear: Float = y != -1 ? x : 0
        let grad: Float = (y != 1 && margin - x >= 0 ? -1 : 0) + (y != -1 ? 1 : 0)
        return (hinge + linear, grad)
    }, input: input)
}
