import TensorCore

/// Builds the `Sequential` a `model:` section describes, for a given input
/// width and output width, with PyTorch's default initialisation from `seed`.
public enum ModelBuilder {
    /// - Parameters:
    ///   - inputs: features per sample (784 for flattened 28×28 images).
    ///   - outputs: logits per sample (classes, or 1 for a binary task).
    /// The number of outputs per sample of the model `config` describes: `outputs`
    /// for the preset, else the size of the last `linear` in the layer list (the
    /// input width when there is none).
    public static func outputWidth(_ config: ModelConfig, inputs: Int, outputs: Int) -> Int {
        guard let specs = config.layers else { return outputs }
        return specs.last(where: { $0.kind == "linear" })?.size ?? inputs
    }

    public static func build(_ config: ModelConfig, inputs: Int, outputs: Int,
                             rng: inout SeededGenerator) -> Sequential {
        var layers: [any Layer] = []
        var width = inputs
        if let specs = config.layers {
            for spec in specs {
                switch spec.kind {
                case "linear":
                    layers.append(Linear(width, spec.size!, rng: &rng))
                    width = spec.size!
                case "dropout": layers.append(Dropout(p: Float(spec.p ?? 0.5), rng: &rng))
                case "flatten": layers.append(Flatten())
                case "softmax": layers.append(Softmax())
                case "log_softmax": layers.append(Softmax(log: true))
                case "log_sigmoid": layers.append(Activation(.logSigmoid))
                default: layers.append(activation(spec.kind))
                }
            }
            return Sequential(layers)
        }
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
