import Autograd
import Losses
import TensorCore

/// A differentiable building block of a model, as `torch.nn.Module`.
///
/// Layers are classes: they own their parameters, which optimizers update in place.
public protocol Layer: AnyObject {
    /// Applies the layer to a batch.
    func callAsFunction(_ input: Variable) -> Variable
    /// The layer's own trainable tensors, named as in PyTorch (`weight`, `bias`).
    var parameters: [Parameter] { get }
    /// Training mode (dropout active) or evaluation mode.
    var isTraining: Bool { get set }
    /// What the output represents, for the loss lint (`Losses.LastLayerKind`).
    var outputKind: LastLayerKind { get }
    /// A one-line description as PyTorch prints it, e.g. `Linear(in_features=784, out_features=256, bias=True)`.
    var summary: String { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var outputKind: LastLayerKind { .linear }
    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
