import Autograd
import Losses
import TensorCore

/// Log-cosh regression loss: `lᵢ = log cosh(xᵢ − yᵢ)`, computed stably as
/// `|d| + log1p(e^{−2|d|}) − log 2`; gradient `tanh(x − y)`. Quadratic near 0,
/// linear far away, smooth everywhere.
/// - Parameters: input any shape; target the same shape.
func logCoshLoss(_ input: Variable, _ target: Tensor, reduction: LossReduction) throws(LossError) -> Variable {
    guard input.shape == target.shape else { throw .shapeMismatch(loss: "log_cosh", input: input.shape, target: target.shape) }
    let d = input.value - target
    let value = d.map { v in
        let a = Swift.abs(v)
        return a + Scalar.log1p(Scalar.exp(-2 * a)) - Float(0.6931471805599453)
    }
    let perElement = Variable(value, inputs: [input], rules: [{ g in g * d.tanh() }])
    switch reduction {
    case .none: return perElement
    case .sum: return perElement.sum()
    case .mean, .batchmean: return perElement.mean()
    }
}

/// The entry point Trainboard looks up with `dlsym`: registers this plugin's losses.
@_cdecl("trainboard_register_losses")
public func trainboardRegisterLosses(_ registry: UnsafeMutableRawPointer) -> Int32 {
    LossRegistry.withPluginRegistry(registry) { (registry: inout LossRegistry) throws(LossError) in
        try registry.register(name: "log_cosh", summary: "log cosh(x − y), smooth L1-like regression loss (plugin)",
                              options: [.reduction()]) { input, target, options throws(LossError) in
            try logCoshLoss(input, target.floats("log_cosh"), reduction: options.reduction)
        }
    }
}
