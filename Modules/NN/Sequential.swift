import Autograd
import Losses
import TensorCore

/// Layers applied in order, as `torch.nn.Sequential`. Parameters are named
/// `<index>.<name>` (`0.weight`, `0.bias`, `2.weight`, …), PyTorch's
/// `state_dict` keys for the same stack.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public func callAsFunction(_ input: Variable) -> Variable {
        layers.reduce(input) { x, layer in layer(x) }
    }

    public var parameters: [Parameter] {
        layers.enumerated().flatMap { index, layer in
            layer.parameters.map { Parameter(name: "\(index).\($0.name)", variable: $0.variable) }
        }
    }

    public var isTraining: Bool {
        get { layers.first?.isTraining ?? true }
        set { for layer in layers { layer.isTraining = newValue } }
    }

    /// The kind of the last layer's output.
    public var outputKind: LastLayerKind { layers.last?.outputKind ?? .linear }

    public var summary: String {
        "Sequential(" + layers.enumerated().map { "(\($0.offset)): \($0.element.summary)" }.joined(separator: ", ") + ")"
    }

    /// Runs the model on a constant batch without recording a graph (evaluation).
    public func predict(_ input: Tensor) -> Tensor {
        noGrad { self(Variable(input)).value }
    }
}
