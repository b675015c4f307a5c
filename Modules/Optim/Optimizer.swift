#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Autograd
import NN
import TensorCore

/// Updates parameters in place from their gradients, as `torch.optim.Optimizer`.
///
/// Usage per batch: `optimizer.zeroGrad()`, forward, `loss.backward()`,
/// `optimizer.step()`. A parameter whose `variable.grad` is nil is skipped
/// (and gets no state), as in PyTorch.
///
/// ### Checkpoint state
/// `stateTensors()` returns PyTorch's optimizer `state_dict()["state"]`,
/// flattened to names `"optimizer.state.<index>.<name>"`: `<index>` is the
/// parameter's position in `parameters` (PyTorch's numbering, counting
/// parameters that have no state yet), `<name>` is PyTorch's key
/// (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`,
/// `square_avg`, `grad_avg`) with the parameter's shape, and `step` is the
/// per-parameter step count as a rank-0 tensor (Adam, AdamW, RMSprop).
/// `loadState(_:)` ignores keys that do not start with `"optimizer."`, so a
/// whole checkpoint dictionary can be passed.
public protocol Optimizer: AnyObject {
    /// The parameters updated, in state-numbering order.
    var parameters: [Parameter] { get }
    /// The step size (PyTorch's `param_groups[0]["lr"]`); schedulers set it.
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient, in place on
    /// `variable.value` (no graph is recorded). State tensors are allocated at a
    /// parameter's first step; later steps run over raw buffers without allocating
    /// (the value's storage is copied once only if something else shares it).
    func step()
    /// Clears every parameter's gradient (`zero_grad(set_to_none=True)`).
    func zeroGrad()
    /// The per-parameter state, keyed `"optimizer.state.<index>.<name>"`.
    func stateTensors() -> [String: Tensor]
    /// Replaces the state with a saved one; throws `OptimizerError.stateMismatch`
    /// listing every unknown, missing or mis-shaped entry (and loads nothing then).
    func loadState(_ state: [String: Tensor]) throws(OptimizerError)
    /// Options as PyTorch names them (`lr`, `betas`, `weight_decay`, …), for run metadata.
    var hyperparameters: [String: String] { get }
}

extension Optimizer {
    /// Clears every parameter's gradient (`zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters { parameter.variable.zeroGrad() }
    }
}

/// An optimizer with a momentum coefficient that `OneCycleLR` can cycle, as
/// PyTorch's `cycle_momentum`: SGD's and RMSprop's `momentum`, Adam's `β₁`.
public protocol MomentumCyclable: Optimizer {
    /// SGD/RMSprop `momentum`, or Adam/AdamW `betas.0`.
    var momentumOrBeta1: Float { get set }
}

/// Errors from optimizer construction and state loading.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// An option outside its valid range, with PyTorch's message.
    case invalidOption(String)
    /// Saved state that does not fit this optimizer and its parameters.
    case stateMismatch([StateMismatch])

    public var description: String {
        switch self {
        case .invalidOption(let message): message
        case .stateMismatch(let problems):
            "optimizer state does not match: " + problems.map(\.description).joined(separator: "; ")
        }
    }
}

/// One problem found by `Optimizer.loadState(_:)`.
public struct StateMismatch: Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// A key this optimizer never writes (bad index or name).
        case unexpected
        /// A parameter has some of its state in the checkpoint but not this entry.
        case missing
        /// The tensor's shape differs from the one expected.
        case shape(expected: [Int], found: [Int])
    }

    public let key: String
    public let problem: Problem

    public var description: String {
        switch problem {
        case .unexpected: "unexpected key \(key)"
        case .missing: "missing key \(key)"
        case .shape(let expected, let found): "\(key) has shape \(found), expected \(expected)"
        }
    }
}

// MARK: - Shared machinery

extension Variable {
    /// Calls `body(value, grad, count)` with the value writable and the gradient
    /// readable; does nothing when there is no gradient.
    @discardableResult
    func updateInPlace(_ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void) -> Bool {
        guard let grad else { return false }
        precondition(grad.shape == value.shape, "gradient shape \(grad.shape) differs from parameter shape \(value.shape)")
        grad.withUnsafeBufferPointer { g in
            value.withUnsafeMutableBufferPointer { p in
                if p.count > 0 { body(p.baseAddress!, g.baseAddress!, p.count) }
            }
        }
        return true
    }
}

/// The key of one state entry.
func stateKey(_ index: Int, _ name: String) -> String { "optimizer.state.\(index).\(name)" }

/// Checks a saved state against the entries an optimizer writes: for parameter
/// `i` with shape `s`, names in `tensorNames` must have shape `s`, and `step`
/// (if `hasStep`) shape `[]`. A parameter may be absent (no state yet) but not
/// partly present. Returns the indices that have state.
func validateState(
    _ state: [String: Tensor], parameters: [Parameter], tensorNames: [String], hasStep: Bool
) throws(OptimizerError) -> [Int] {
    let names = tensorNames + (hasStep ? ["step"] : [])
    var problems: [StateMismatch] = []
    var present = Set<Int>()
    for (key, tensor) in state where key.hasPrefix("optimizer.") {
        let parts = key.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[1] == "state", let index = Int(parts[2]),
              parameters.indices.contains(index), names.contains(parts[3]) else {
            problems.append(StateMismatch(key: key, problem: .unexpected))
            continue
        }
        present.insert(index)
        let expected = parts[3] == "step" ? [] : parameters[index].value.shape
        if tensor.shape != expected {
            problems.append(StateMismatch(key: key, problem: .shape(expected: expected, found: tensor.shape)))
        }
    }
    for index in present.sorted() {
        for name in names where state[stateKey(index, name)] == nil {
            problems.append(StateMismatch(key: stateKey(index, name), problem: .missing))
        }
    }
    guard problems.isEmpty else {
        throw .stateMismatch(problems.sorted { $0.key < $1.key })
    }
    return present.sorted()
}

/// Formats a hyperparameter as Python prints it (`0.001`, `True`).
func pythonString(_ value: Float) -> String { "\(value)" }
func pythonString(_ value: Bool) -> String { value ? "True" : "False" }

// MARK: - Gradient clipping

/// Rescales the gradients of `parameters` so that their global norm is at most
/// `maxNorm`, as `torch.nn.utils.clip_grad_norm_`, and returns the norm before clipping.
///
/// The total norm is the `normType`-norm of all gradient elements together,
/// `‖g‖ₚ = (Σ|gᵢ|ᵖ)^(1/p)` (`.infinity` → `max|gᵢ|`). Every gradient is
/// multiplied by `maxNorm / (‖g‖ₚ + 1e-6)` when that is below 1. Parameters
/// without a gradient are ignored; with none at all the result is 0.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Float, normType: Float = 2) -> Float {
    var accumulated = 0.0
    let p = Double(normType)
    for parameter in parameters {
        guard let grad = parameter.variable.grad else { continue }
        grad.withUnsafeBufferPointer { g in
            for x in g {
                let magnitude = Double(abs(x))
                if normType.isInfinite {
                    accumulated = Swift.max(accumulated, magnitude)
                } else if normType == 2 {
                    accumulated += magnitude * magnitude
                } else if normType == 1 {
                    accumulated += magnitude
                } else {
                    accumulated += pow(magnitude, p)
                }
            }
        }
    }
    let total: Double = normType.isInfinite ? accumulated
        : normType == 2 ? accumulated.squareRoot()
        : normType == 1 ? accumulated
        : pow(accumulated, 1 / p)
    let totalNorm = Float(total)
    let coefficient = maxNorm / (totalNorm + 1e-6)
    if coefficient < 1 {
        for parameter in parameters where parameter.variable.grad != nil {
            parameter.variable.grad!.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= coefficient }
            }
        }
    }
    return totalNorm
}
