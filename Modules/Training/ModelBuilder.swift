import TensorCore

/// Builds the `Sequential` a `model:` section describes, for a given sample
/// shape and output width, with PyTorch's default initialisation from `seed`.
public enum ModelBuilder {
    /// The number of outputs per sample of the model `config` describes: `outputs`
    /// for the preset, else the size of the last `linear` in the layer list (the
    /// input width when there is none).
    /// - Parameters:
    ///   - inputs: features per sample (784 for flattened 28×28 images).
    ///   - outputs: logits per sample (classes, or 1 for a binary task).
    public static func outputWidth(_ config: ModelConfig, inputs: Int, outputs: Int) -> Int {
        guard let specs = config.layers else { return outputs }
        return specs.last(where: { $0.kind == "linear" })?.size ?? inputs
    }

    /// - Parameters:
    ///   - sampleShape: one sample's features: `[D]` rows, or `[C, H, W]` planes for `conv2d`.
    ///   - outputs: logits per sample (classes, or 1 for a binary task).
    /// - Throws: `ConfigError.badValue` when a layer cannot take what the one before gives
    ///   (`conv2d` on rows, `linear` on planes without `flatten`, a window larger than its input).
    public static func build(_ config: ModelConfig, sampleShape: [Int], outputs: Int, file: String = "",
                             rng: inout SeededGenerator) throws(ConfigError) -> Sequential {
        var layers: [any Layer] = []
        var shape = sampleShape
        func mismatch(_ index: Int, _ expected: String) -> ConfigError {
            .badValue(file: file, line: nil, path: "model.layers[\(index)]", value: "\(config.layers![index].kind) after "
                + "features shaped \(shape)", expected: expected)
        }
        if let specs = config.layers {
            for (index, spec) in specs.enumerated() {
                switch spec.kind {
                case "linear":
                    guard shape.count == 1 else { throw mismatch(index, "a flatten layer first: linear takes one row per sample") }
                    layers.append(Linear(shape[0], spec.size!, rng: &rng))
                    shape = [spec.size!]
                case "conv2d":
                    guard shape.count == 3 else { throw mismatch(index, "[C, H, W] planes (data.flatten: false)") }
                    let conv = Conv2d(shape[0], spec.size!, kernelSize: spec.kernel!, stride: spec.stride ?? 1,
                                      padding: spec.padding ?? 0, rng: &rng)
                    guard let next = conv.outputShape(shape) else { throw mismatch(index, "a kernel that fits the input") }
                    layers.append(conv)
                    shape = next
                case "max_pool2d":
                    let pool = MaxPool2d(kernelSize: spec.kernel!, stride: spec.stride)
                    guard let next = pool.outputShape(shape) else { throw mismatch(index, "[C, H, W] planes the window fits") }
                    layers.append(pool)
                    shape = next
                case "dropout": layers.append(Dropout(p: Float(spec.p ?? 0.5), rng: &rng))
                case "flatten":
                    layers.append(Flatten())
                    shape = [shape.reduce(1, *)]
                case "softmax": layers.append(Softmax())
                case "log_softmax": layers.append(Softmax(log: true))
                case "log_sigmoid": layers.append(Activation(.logSigmoid))
                default: layers.append(activation(spec.kind))
                }
            }
            return Sequential(layers)
        }
        var width = sampleShape.reduce(1, *)
        if sampleShape.count != 1 { layers.append(Flatten()) }   // planes in: the MLP takes rows
        for size in config.hidden {
            layers.append(Linear(width, size, rng: &rng))
            layers.append(activation(config.activation))
            if config.dropout > 0 { layers.append(Dropout(p: Float(config.dropout), rng: &rng)) }
            width = size
        }
        layers.append(Linear(width, outputs, rng: &rng))
        switch config.outputActivation {
        case "sigmoid": layers.append(Activation(.sigmoid))
        case "softmax": layers.append(Softmax())
        case "log_softmax": layers.append(Softmax(log: true))
        default: break
        }
        return Sequential(layers)
    }

    /// The layer for an activation name of `ModelConfig.activations`.
    static func activation(_ name: String) -> Activation {
        switch name {
        case "leaky_relu": Activation(.leakyRelu(slope: 0.01))
        case "gelu": Activation(.gelu)
        case "tanh": Activation(.tanh)
        case "sigmoid": Activation(.sigmoid)
        default: Activation(.relu)
        }
    }
}
