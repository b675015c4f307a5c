import NN
import TensorCore

/// `model:` — a preset MLP or an explicit layer list; optional initial weights.
public struct ModelConfig: Sendable {
    public var spec: ModelSpec
    /// A checkpoint whose weights the model starts from.
    public var initFrom: String?

    /// The activations the preset takes (`model.activation`).
    static let activations = ActivationFunction.byConfigName.filter { $0.name != "log_sigmoid" }
    /// The layers a list names without options.
    static let plainLayers: [(name: String, value: LayerSpec)] =
        ActivationFunction.byConfigName.map { ($0.name, LayerSpec.activation($0.function)) }
        + [("flatten", .flatten), ("softmax", .softmax), ("log_softmax", .logSoftmax), ("dropout", .dropout(p: 0.5))]

    init(_ r: ConfigReader) throws(ConfigError) {
        _ = try r.choice("preset", among: ["mlp"], default: "mlp")
        let hidden = try r.intList("hidden", default: [256, 128])!
        let activation = try r.choice("activation", among: Self.activations.map { ($0.name, $0.function) }, default: "relu")
        let output: LayerSpec? = try r.choice(
            "output_activation", among: [("none", nil), ("sigmoid", .activation(.sigmoid)), ("log_sigmoid", .activation(.logSigmoid)),
                                         ("softmax", .softmax), ("log_softmax", .logSoftmax)], default: "none")
        let dropout = try r.double("dropout", default: 0, range: 0...0.99)
        initFrom = try r.string("init_from")
        if let list = r.passThrough("layers") {
            spec = .layers(try Self.layerList(list, r))
        } else {
            spec = .mlp(hidden: hidden, activation: activation, output: output, dropout: dropout)
        }
    }

    static func layerList(_ value: ConfigValue, _ r: ConfigReader) throws(ConfigError) -> [LayerSpec] {
        guard case .list(let items) = value else { throw r.badValue("layers", value.inline, expected: "a list of layers") }
        var specs: [LayerSpec] = []
        for item in items {
            switch item {
            case .string(let name) where plainLayers.contains { $0.name == name }:
                specs.append(plainLayers.first { $0.name == name }!.value)
            case .map(let m) where m.keys.count == 1 && m.keys[0] == "linear":
                guard case .int(let size)? = m["linear"], size > 0 else {
                    throw r.badValue("layers", item.inline, expected: "{linear: <output size>}")
                }
                specs.append(.linear(outFeatures: size))
            case .map(let m) where m.keys.count == 1 && m.keys[0] == "dropout":
                let p: Double? = switch m["dropout"] { case .double(let d)?: d; case .int(let i)?: Double(i); default: nil }
                guard let p, p >= 0, p < 1 else { throw r.badValue("layers", item.inline, expected: "{dropout: p} with 0 ≤ p < 1") }
                specs.append(.dropout(p: p))
            case .map(let m) where m.keys.count == 1 && ["conv2d", "max_pool2d"].contains(m.keys[0]):
                specs.append(try windowLayer(m.keys[0], m[m.keys[0]]!, item, r))
            default:
                throw r.badValue("layers", item.inline, expected: "{linear: N}, {dropout: p}, {conv2d: {...}}, {max_pool2d: k} "
                    + "or one of linear, \(plainLayers.map(\.name).joined(separator: ", "))")
            }
        }
        return specs
    }

    /// `{conv2d: {out_channels: 16, kernel_size: 3, stride: 1, padding: 1}}` (PyTorch's
    /// keyword names; `out_channels` and `kernel_size` required) or `{max_pool2d: 2}` /
    /// `{max_pool2d: {kernel_size: 2, stride: 2}}`.
    static func windowLayer(_ kind: String, _ value: ConfigValue, _ item: ConfigValue, _ r: ConfigReader) throws(ConfigError) -> LayerSpec {
        let conv = kind == "conv2d"
        let expected = conv ? "{conv2d: {out_channels: C, kernel_size: k, stride: s, padding: p}} with C, k, s ≥ 1, p ≥ 0"
                            : "{max_pool2d: k} or {max_pool2d: {kernel_size: k, stride: s}} with k, s ≥ 1"
        var fields: [String: Int] = [:]
        switch value {
        case .int(let k) where !conv: fields["kernel_size"] = k
        case .map(let m):
            let allowed = conv ? ["out_channels", "kernel_size", "stride", "padding"] : ["kernel_size", "stride"]
            for key in m.keys {
                guard allowed.contains(key), case .int(let v)? = m[key] else { throw r.badValue("layers", item.inline, expected: expected) }
                fields[key] = v
            }
        default: throw r.badValue("layers", item.inline, expected: expected)
        }
        guard let kernel = fields["kernel_size"], kernel >= 1, (fields["stride"] ?? 1) >= 1, (fields["padding"] ?? 0) >= 0,
              !conv || (fields["out_channels"] ?? 0) >= 1 else { throw r.badValue("layers", item.inline, expected: expected) }
        return conv ? .conv2d(outChannels: fields["out_channels"]!, kernelSize: kernel, stride: fields["stride"] ?? 1,
                              padding: fields["padding"] ?? 0)
                    : .maxPool2d(kernelSize: kernel, stride: fields["stride"])
    }
}

extension ConfigError {
    /// A layer of `model.layers` that cannot take what the one before gives, named by its key path.
    public init(_ error: ModelSpecError, file: String) {
        self = .badValue(file: file, line: nil, path: "model.layers[\(error.index)]",
                         value: "\(error.layer) after features shaped \(error.shape)", expected: error.expected)
    }
}
