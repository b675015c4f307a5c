import Losses
import TensorCore

/// One layer of a model described as data (what a config's `model.layers` lists).
public enum LayerSpec: Sendable, Equatable {
    /// `Linear(in, outFeatures)`; `in` is whatever the previous layer gives.
    case linear(outFeatures: Int)
    case activation(ActivationFunction)
    case softmax
    case logSoftmax
    case dropout(p: Double)
    case flatten
    case conv2d(outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0)
    /// `stride` nil: the kernel size, as PyTorch.
    case maxPool2d(kernelSize: Int, stride: Int? = nil)

    /// The name configs use for this layer (`linear`, `relu`, `conv2d`, …).
    public var name: String {
        switch self {
        case .linear: "linear"
        case .activation(let f): f.configName
        case .softmax: "softmax"
        case .logSoftmax: "log_softmax"
        case .dropout: "dropout"
        case .flatten: "flatten"
        case .conv2d: "conv2d"
        case .maxPool2d: "max_pool2d"
        }
    }
}

/// A whole model described as data: the preset MLP or an explicit layer list.
public enum ModelSpec: Sendable, Equatable {
    /// Linear layers of `hidden` widths, each followed by `activation` (and dropout
    /// when `dropout > 0`), then the output `Linear` and the optional `output` layer.
    case mlp(hidden: [Int] = [256, 128], activation: ActivationFunction = .relu, output: LayerSpec? = nil, dropout: Double = 0)
    case layers([LayerSpec])

    /// The outputs per sample: `outputs` for the preset, else the size of the last
    /// `linear` in the list (the input width when there is none).
    public func outputWidth(inputs: Int, outputs: Int) -> Int {
        guard case .layers(let specs) = self else { return outputs }
        for spec in specs.reversed() { if case .linear(let size) = spec { return size } }
        return inputs
    }

    /// The `Sequential` this spec describes for samples shaped `sampleShape` (`[D]`
    /// rows, or `[C, H, W]` planes for `conv2d`), with PyTorch's default
    /// initialisation drawn from `rng`.
    /// - Throws: ``ModelSpecError`` when a layer cannot take what the one before gives
    ///   (`conv2d` on rows, `linear` on planes without `flatten`, a window larger than its input).
    public func build(sampleShape: [Int], outputs: Int, rng: inout SeededGenerator) throws(ModelSpecError) -> Sequential {
        switch self {
        case let .layers(specs):
            var layers: [any Layer] = []
            var shape = sampleShape
            for (index, spec) in specs.enumerated() {
                func mismatch(_ expected: String) -> ModelSpecError {
                    ModelSpecError(index: index, layer: spec.name, shape: shape, expected: expected)
                }
                switch spec {
                case .linear(let size):
                    guard shape.count == 1 else { throw mismatch("a flatten layer first: linear takes one row per sample") }
                    layers.append(Linear(shape[0], size, rng: &rng))
                    shape = [size]
                case let .conv2d(channels, kernel, stride, padding):
                    guard shape.count == 3 else { throw mismatch("[C, H, W] planes (data.flatten: false)") }
                    let conv = Conv2d(shape[0], channels, kernelSize: kernel, stride: stride, padding: padding, rng: &rng)
                    guard let next = conv.outputShape(shape) else { throw mismatch("a kernel that fits the input") }
                    layers.append(conv)
                    shape = next
                case let .maxPool2d(kernel, stride):
                    let pool = MaxPool2d(kernelSize: kernel, stride: stride)
                    guard let next = pool.outputShape(shape) else { throw mismatch("[C, H, W] planes the window fits") }
                    layers.append(pool)
                    shape = next
                case .flatten:
                    layers.append(Flatten())
                    shape = [shape.reduce(1, *)]
                default: layers.append(Self.shapeless(spec, rng: &rng))
                }
            }
            return Sequential(layers)
        case let .mlp(hidden, activation, output, dropout):
            var layers: [any Layer] = []
            var width = sampleShape.reduce(1, *)
            if sampleShape.count != 1 { layers.append(Flatten()) }   // planes in: the MLP takes rows
            for size in hidden {
                layers.append(Linear(width, size, rng: &rng))
                layers.append(Activation(activation))
                if dropout > 0 { layers.append(Dropout(p: Float(dropout), rng: &rng)) }
                width = size
            }
            layers.append(Linear(width, outputs, rng: &rng))
            if let output { layers.append(Self.shapeless(output, rng: &rng)) }
            return Sequential(layers)
        }
    }

    /// The kind of the model's last layer as the loss lint sees it (what ``Sequential/outputKind``
    /// of the built model gives), known without building the model or loading data.
    public var outputKind: LastLayerKind {
        let last: LayerSpec? = switch self {
        case .mlp(_, _, let output, _): output
        case .layers(let specs): specs.last
        }
        switch last {
        case nil, .linear?, .conv2d?, .flatten?: return .linear
        case let .maxPool2d(kernel, stride)?: return MaxPool2d(kernelSize: kernel, stride: stride).outputKind
        case let spec?:
            var rng = SeededGenerator(seed: 0)
            return Self.shapeless(spec, rng: &rng).outputKind
        }
    }

    /// A layer that keeps its input's shape.
    private static func shapeless(_ spec: LayerSpec, rng: inout SeededGenerator) -> any Layer {
        switch spec {
        case .activation(let f): Activation(f)
        case .softmax: Softmax()
        case .logSoftmax: Softmax(log: true)
        case .dropout(let p): Dropout(p: Float(p), rng: &rng)
        default: preconditionFailure("\(spec.name) changes the shape")
        }
    }
}

/// A layer of a ``ModelSpec`` that cannot take the features the one before gives.
public struct ModelSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The layer's position in the list, its name, and the per-sample shape it was given.
    public var index: Int
    public var layer: String
    public var shape: [Int]
    /// What the layer needs instead.
    public var expected: String

    public var description: String {
        "layer \(index) cannot be \(layer) after features shaped \(shape): expected \(expected)"
    }
}

extension ActivationFunction {
    /// The activations configs name, with their names (`leaky_relu` has PyTorch's slope 0.01).
    public static let byConfigName: [(name: String, function: ActivationFunction)] = [
        ("relu", .relu), ("leaky_relu", .leakyRelu(slope: 0.01)), ("gelu", .gelu), ("tanh", .tanh), ("sigmoid", .sigmoid),
        ("log_sigmoid", .logSigmoid),
    ]

    /// The name configs use.
    public var configName: String {
        switch self {
        case .relu: "relu"
        case .leakyRelu: "leaky_relu"
        case .gelu: "gelu"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .logSigmoid: "log_sigmoid"
        }
    }
}
