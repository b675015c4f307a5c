import Autograd
import TensorCore

/// A trainable tensor with its PyTorch `state_dict` name (`0.weight`, `2.bias`, …).
public struct Parameter {
    /// The `state_dict` key, e.g. `"0.weight"`.
    public let name: String
    /// The leaf variable holding the value and, after `backward()`, the gradient.
    public let variable: Variable

    public init(name: String, variable: Variable) {
        self.name = name
        self.variable = variable
    }

    /// The current value.
    public var value: Tensor { variable.value }
}
