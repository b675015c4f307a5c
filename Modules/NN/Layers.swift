import Autograd
import Losses
import TensorCore

/// `y = x·Wᵀ + b`, as `torch.nn.Linear`.
///
/// - `weight`: `[out, in]`; `bias`: `[out]`. Both start as PyTorch's default:
///   U(−1/√in, 1/√in) (Kaiming uniform with a = √5).
/// - Input `[N, in]` → output `[N, out]`.
public final class Linear: Layer {
    public let weight: Variable
    public let bias: Variable?
    public var isTraining = true
    public let inFeatures: Int, outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout SeededGenerator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Variable(.uniform([outFeatures, inFeatures], low: -bound, high: bound, using: &rng), requiresGrad: true)
        self.bias = bias ? Variable(.uniform([outFeatures], low: -bound, high: bound, using: &rng), requiresGrad: true) : nil
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight, bias: bias)
    }

    public var parameters: [Parameter] {
        [Parameter(name: "weight", variable: weight)] + (bias.map { [Parameter(name: "bias", variable: $0)] } ?? [])
    }

    public var summary: String {
        "Linear(in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True"))"
    }
}

/// A parameter-free elementwise layer: ReLU, Sigmoid, Tanh, GELU, LogSigmoid, LeakyReLU.
public final class Activation: Layer {
    /// The supported functions, named as in `torch.nn` (defined once in TensorCore).
    public typealias Function = ActivationFunction

    public let function: Function
    public var isTraining = true

    public init(_ function: Function) { self.function = function }

    public func callAsFunction(_ input: Variable) -> Variable { input.activation(function) }

    public var outputKind: LastLayerKind {
        switch function {
        case .sigmoid: .sigmoid
        case .logSigmoid: .logSigmoid
        default: .other
        }
    }

    public var summary: String {
        switch function {
        case .relu: "ReLU()"
        case .sigmoid: "Sigmoid()"
        case .tanh: "Tanh()"
        case .gelu: "GELU(approximate='none')"
        case .logSigmoid: "LogSigmoid()"
        case .leakyRelu(let slope): "LeakyReLU(negative_slope=\(slope))"
        }
    }
}

/// Softmax or LogSoftmax over one axis (default the last, the class axis of `[N, C]`).
public final class Softmax: Layer {
    public let axis: Int
    public let log: Bool
    public var isTraining = true

    public init(axis: Int = -1, log: Bool = false) {
        self.axis = axis
        self.log = log
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        log ? input.logSoftmax(axis: axis) : input.softmax(axis: axis)
    }

    public var outputKind: LastLayerKind { log ? .logSoftmax : .softmax }
    public var summary: String { "\(log ? "LogSoftmax" : "Softmax")(dim=\(axis))" }
}

/// Zeroes each element with probability `p` in training and scales the rest by
/// `1/(1−p)`; the identity in evaluation mode, as `torch.nn.Dropout`.
public final class Dropout: Layer {
    public let p: Float
    public var isTraining = true
    private var rng: SeededGenerator

    public init(p: Float = 0.5, rng: inout SeededGenerator) {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        self.p = p
        self.rng = SeededGenerator(seed: rng.next())
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        guard isTraining, p > 0 else { return input }
        let mask = Tensor.build(shape: input.shape) { drawMask(into: $0.baseAddress!, count: $0.count) }
        return input * Variable(mask)
    }

    /// Writes the next `count` mask values: 0 with probability `p`, else `1/(1−p)`
    /// (identity, all `1`, outside training or with `p = 0`).
    func drawMask(into mask: UnsafeMutablePointer<Float>, count: Int) {
        guard isTraining, p > 0 else { mask.update(repeating: 1, count: count); return }
        let scale = 1 / (1 - p)
        for i in 0..<count { mask[i] = rng.nextUniform() < p ? 0 : scale }
    }

    public var outputKind: LastLayerKind { .other }
    public var summary: String { "Dropout(p=\(p), inplace=False)" }
}

/// `[N, d1, d2, …]` → `[N, d1·d2·…]`, as `torch.nn.Flatten`.
public final class Flatten: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Variable) -> Variable { input.flattened() }
    public var summary: String { "Flatten(start_dim=1, end_dim=-1)" }
}
