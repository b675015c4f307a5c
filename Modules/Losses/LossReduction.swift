import Autograd
import TensorCore

/// How per-element (or per-sample) losses are combined, as PyTorch's `reduction`.
///
/// - `none`: the unreduced losses, shaped like the samples.
/// - `mean`: `Σ lᵢ / D`, where `D` is the element count — or, for the weighted
///   class losses (`cross_entropy`, `nll`), the sum of the weights of the
///   non-ignored targets, as PyTorch.
/// - `sum`: `Σ lᵢ`.
/// - `batchmean`: `Σ lᵢ / N` with `N = input.shape[0]`; only `kl_div` accepts it.
public enum LossReduction: String, Sendable, CaseIterable {
    case none, mean, sum, batchmean

    /// The three reductions every loss accepts.
    public static let standard: [LossReduction] = [.none, .mean, .sum]
}

/// The forward result of one loss kernel, before reduction: per-sample values
/// (or just their sum) and the local derivative of each sample's loss with
/// respect to the input.
///
/// The input is viewed as `[outer, classes, inner]` and the samples as
/// `[outer, inner]`: `derivative[o, c, i] = derivativeScale · ∂ values[o, i] / ∂ input[o, c, i]`.
/// Elementwise losses have `classes == 1` (derivative shaped like the values).
/// Kernels that know the reduction fold its factor into the derivative
/// (`derivativeScale`) and sum the values as they go (`total`), so a backward
/// pass seeded with 1 costs nothing and no value tensor is stored.
struct LossTerms {
    /// The shape of the per-sample losses.
    var sampleShape: [Int]
    /// Per-sample losses (the `reduction: none` result); nil when only `total` was kept.
    var values: Tensor?
    /// `Σ values`, when the kernel summed them.
    var total: Double?
    /// `derivativeScale · ∂ values / ∂ input`, laid out like the (broadcast) input; nil when no gradient is needed.
    var derivative: Tensor?
    /// The factor already folded into `derivative` (the reduction's `scale`, or 1).
    var derivativeScale: Double = 1
    /// Extent of the class axis summed into each value (1 for elementwise losses).
    var classes: Int = 1
    /// Extent of the axes after the class axis.
    var inner: Int = 1
    /// The `mean` divisor when it is not the number of values (weighted class losses).
    var meanDivisor: Double?
}

extension LossReduction {
    /// `∂ output / ∂ valueᵢ` of a reduced output: 1 for `none` and `sum`,
    /// `1 / divisor` (default: the sample count) for `mean`, `1 / batch` for `batchmean`.
    func scale(count: Int, batch: Int, divisor: Double? = nil) -> Double {
        switch self {
        case .none, .sum: 1
        case .mean: 1 / (divisor ?? Double(count))
        case .batchmean: 1 / Double(batch)
        }
    }

    /// Whether kernels may sum values instead of storing them.
    var reduces: Bool { self != .none }

    /// Reduces `terms` and wires the one shared backward rule: the output
    /// gradient is spread back over the samples (scaled by the reduction) and
    /// multiplied into the saved local derivative.
    func apply(_ terms: LossTerms, input: Variable) -> Variable {
        let scale = self.scale(count: Shape.count(terms.sampleShape), batch: input.shape.first ?? 1, divisor: terms.meanDivisor)
        let output: Tensor
        if self == .none {
            output = terms.values ?? .zeros(terms.sampleShape)
        } else {
            let total = terms.total ?? terms.values.map { v in v.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } } } ?? 0
            output = Tensor(Float(total * scale))
        }
        guard let derivative = terms.derivative else { return Variable(output) }
        let (classes, inner, reduced) = (terms.classes, terms.inner, reduces)
        // What the saved derivative still lacks; exactly 1 when the kernel folded
        // the scale in (also when it is infinite: a mean over zero weight, whose
        // gradient is 0 as in PyTorch).
        let wanted = reduced ? scale : 1
        let factor = wanted == terms.derivativeScale ? 1 : wanted / terms.derivativeScale
        return Variable(output, inputs: [input], rules: [{ g in
            if reduced {
                let f = g.item * Float(factor)
                return f == 1 ? derivative : derivative * f
            }
            let spread = LossReduction.spread(g, over: derivative, classes: classes, inner: inner)
            return factor == 1 ? spread : spread * Float(factor)
        }])
    }

    /// `derivative[o, c, i] · g[o, i]`: the per-sample gradient broadcast along the class axis.
    static func spread(_ g: Tensor, over derivative: Tensor, classes: Int, inner: Int) -> Tensor {
        if classes == 1 { return derivative * g.reshaped(to: derivative.shape) }
        return g.withUnsafeBufferPointer { pg in
            derivative.withUnsafeBufferPointer { pd in
                Tensor.build(shape: derivative.shape) { out in
                    let outer = pg.count / max(inner, 1)
                    for o in 0..<outer {
                        for c in 0..<classes {
                            let base = (o * classes + c) * inner
                            for i in 0..<inner { out[base + i] = pd[base + i] * pg[o * inner + i] }
                        }
                    }
                }
            }
        }
    }
}

extension LossReduction {
    /// Rejects `batchmean` for every loss but `kl_div`.
    func checked(_ loss: String, allowsBatchmean: Bool = false) throws(LossError) -> LossReduction {
        if self == .batchmean && !allowsBatchmean {
            throw .badOption(loss: loss, option: "reduction", value: "'batchmean'", expected: "one of none, mean, sum")
        }
        return self
    }
}
