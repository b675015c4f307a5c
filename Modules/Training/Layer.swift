import Autograd
import TensorCore

/// What a layer's output is, as far as a loss cares: the loss lint reads it
/// from the model's last layer.
public enum OutputKind: String, Sendable {
    /// Unbounded scores (a `Linear` layer, or anything not listed).
    case logits
    case sigmoid, softmax, logSoftmax, logSigmoid, tanh, relu
}

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
    /// What the output represents, for the loss lint.
    var outputKind: OutputKind { get }
    /// A one-line description as PyTorch prints it, e.g. `Linear(in_features=784, out_features=256, bias=True)`.
    var summary: String { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var outputKind: OutputKind { .logits }
    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
