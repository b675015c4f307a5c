import Data
import Foundation

/// A whole training run as read from a `Config/*.yaml` file plus `--set`
/// overrides. Every section is validated on load: unknown keys get a
/// did-you-mean, wrong types name the key path and the expected type.
public struct RunConfig: Sendable {
    public var name: String
    public var seed: UInt64
    public var data: DataConfig
    public var model: ModelConfig
    public var loss: LossConfig
    public var optimizer: OptimizerConfig
    public var scheduler: SchedulerConfig?
    public var trainer: TrainerConfig
    /// Where metrics.csv, events.jsonl, checkpoints and summary.json go.
    public var logDir: String
    /// The file it came from.
    public var file: String
    /// The fully resolved document (defaults filled in), for `print-config`
    /// and the checkpoint metadata.
    public var resolved: ConfigValue

    /// Loads `path`, applies `overrides` (`key.path=value`, value in YAML), validates.
    public static func load(path: String, overrides: [String] = []) throws(ConfigError) -> RunConfig {
        let bytes: [UInt8]
        do throws(DataError) { bytes = try BinaryFile.contents(of: path) } catch {
            if case let .unreadable(_, reason) = error { throw .unreadable(file: path, reason: reason) }
            throw .unreadable(file: path, reason: error.description)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: path, reason: "not UTF-8 text")
        }
        var document = try ConfigValue.parse(yaml: text, file: path)
        for override in overrides {
            guard let eq = override.firstIndex(of: "="), eq != override.startIndex else {
                throw .badOverride(override, reason: "expected key.path=value")
            }
            let keyPath = override[..<eq].split(separator: ".").map(String.init)
            let value = try ConfigValue.parse(yaml: String(override[override.index(after: eq)...]), file: "--set")
            do throws(ConfigError) {
                try document.set(value == .map(ConfigMap()) ? .null : value, at: keyPath)
            } catch {
                // `set` recurses, so its message names only the rest of the path.
                guard case let .badOverride(_, reason) = error else { throw error }
                throw .badOverride(String(override[..<eq]), reason: reason)
            }
        }
        return try RunConfig(document, file: path)
    }

    /// Decodes an already parsed document.
    public init(_ document: ConfigValue, file: String) throws(ConfigError) {
        let root = try ConfigReader(document, file: file)
        self.file = file
        name = try root.string("name", default: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)!
        seed = UInt64(try root.int("seed", default: 0, range: 0...Int.max))
        data = try DataConfig(try root.section("data"))
        model = try ModelConfig(try root.section("model"))
        loss = try LossConfig(try root.section("loss"))
        optimizer = try OptimizerConfig(try root.section("optimizer"))
        let schedulerSection = try root.section("scheduler")
        scheduler = try SchedulerConfig(schedulerSection)
        trainer = try TrainerConfig(try root.section("trainer"))
        logDir = try root.string("log_dir", default: "runs/\(name)")!
        try root.finish()
        resolved = .map(root.resolved)
    }
}

/// `data:` — where samples come from and how they are batched.
public struct DataConfig: Sendable {
    public enum Source: String, Sendable { case idx, csv }
    public enum Task: String, Sendable { case binary, multiclass }

    public var source: Source
    public var task: Task
    /// IDX files (defaults: Fashion-MNIST from the Debian package).
    public var trainImages, trainLabels, testImages, testLabels: String
    /// CSV file, label column (default: last), feature columns (default: all others), delimiter.
    public var path: String?
    public var label: String?
    public var features: [String]
    /// Display names of the classes, in class-index order (e.g. for integer CSV labels).
    public var classNames: [String]
    public var delimiter: String
    /// Classes mapped to 1 for a binary task on multiclass labels ("5, 7, 9 → 1").
    public var positiveClasses: [Int]?
    /// Fraction of the training data held out for validation.
    public var validationSplit: Double
    /// Fraction of a CSV held out for the test (IDX sets ship their own test files).
    public var testSplit: Double
    public var batchSize: Int
    public var shuffle: Bool
    public var limitTrain: Int?
    /// IDX images as flat rows `[H·W]` (true, for MLPs) or `[1, H, W]` planes (false, for `conv2d`).
    public var flatten: Bool
    /// Feature scaling fitted on the training split: `standard`, `minmax` or `none`
    /// (per column for CSV; one mean and std over all pixels for IDX images).
    public var normalize: String
    /// What to do with empty/NA CSV cells: `reject` or `mean`.
    public var missing: String

    public static let fashionMNIST = "/usr/share/datasets/fashion-mnist"

    init(_ r: ConfigReader) throws(ConfigError) {
        source = Source(rawValue: try r.choice("source", among: ["idx", "csv"], default: "idx"))!
        task = Task(rawValue: try r.choice("task", among: ["binary", "multiclass"], default: "multiclass"))!
        let base = Self.fashionMNIST
        trainImages = try r.string("train_images", default: "\(base)/train-images-idx3-ubyte.gz")!
        trainLabels = try r.string("train_labels", default: "\(base)/train-labels-idx1-ubyte.gz")!
        testImages = try r.string("test_images", default: "\(base)/t10k-images-idx3-ubyte.gz")!
        testLabels = try r.string("test_labels", default: "\(base)/t10k-labels-idx1-ubyte.gz")!
        path = try r.string("path")
        label = try r.string("label")
        features = try r.stringList("features")
        classNames = try r.stringList("class_names")
        delimiter = try r.string("delimiter", default: ",")!
        positiveClasses = try r.intList("positive_classes")
        validationSplit = try r.double("validation_split", default: 0.1, range: 0...0.9)
        testSplit = try r.double("test_split", default: 0.2, range: 0...0.9)
        batchSize = try r.int("batch_size", default: 128, range: 1...1_000_000)
        shuffle = try r.bool("shuffle", default: true)
        limitTrain = try r.int("limit_train", default: nil, range: 1...Int.max)
        flatten = try r.bool("flatten", default: true)
        normalize = try r.choice("normalize", among: ["standard", "minmax", "none"], default: "standard")
        missing = try r.choice("missing", among: ["reject", "mean"], default: "reject")
        if source == .csv, path == nil { throw .missing(file: r.file, path: "data.path", expected: "the CSV file to read") }
        if task == .binary, source == .idx, positiveClasses == nil {
            throw .missing(file: r.file, path: "data.positive_classes", expected: "the classes that become label 1")
        }
    }
}

/// `model:` — a preset MLP or an explicit layer list; optional initial weights.
public struct ModelConfig: Sendable {
    /// One layer of an explicit list: `linear` (with `size`), an activation name, `dropout` (with `p`),
    /// `conv2d` (`size` output channels, `kernel`, `stride`, `padding`), `max_pool2d` (`kernel`, `stride`).
    public struct LayerSpec: Sendable, Equatable {
        public var kind: String
        public var size: Int?
        public var p: Double?
        public var kernel: Int?, stride: Int?, padding: Int?
    }

    public var hidden: [Int]
    public var activation: String
    /// A layer appended after the output `Linear` (`none`, `sigmoid`, `softmax`, `log_softmax`).
    public var outputActivation: String
    public var dropout: Double
    public var layers: [LayerSpec]?
    public var initFrom: String?

    public static let activations = ["relu", "leaky_relu", "gelu", "tanh", "sigmoid"]

    init(_ r: ConfigReader) throws(ConfigError) {
        _ = try r.choice("preset", among: ["mlp"], default: "mlp")
        hidden = try r.intList("hidden", default: [256, 128])!
        activation = try r.choice("activation", among: Self.activations, default: "relu")
        outputActivation = try r.choice("output_activation", among: ["none", "sigmoid", "softmax", "log_softmax"], default: "none")
        dropout = try r.double("dropout", default: 0, range: 0...0.99)
        initFrom = try r.string("init_from")
        layers = try r.passThrough("layers").map { v throws(ConfigError) in try Self.layerList(v, r) }
    }

    static func layerList(_ value: ConfigValue, _ r: ConfigReader) throws(ConfigError) -> [LayerSpec] {
        guard case .list(let items) = value else { throw r.badValue("layers", value.inline, expected: "a list of layers") }
        var specs: [LayerSpec] = []
        let names = ["linear", "dropout", "flatten", "softmax", "log_softmax", "log_sigmoid"] + activations
        for item in items {
            switch item {
            case .string(let name) where names.contains(name) && name != "linear":
                specs.append(LayerSpec(kind: name))
            case .map(let m) where m.keys.count == 1 && m.keys[0] == "linear":
                guard case .int(let size)? = m["linear"], size > 0 else {
                    throw r.badValue("layers", item.inline, expected: "{linear: <output size>}")
                }
                specs.append(LayerSpec(kind: "linear", size: size))
            case .map(let m) where m.keys.count == 1 && m.keys[0] == "dropout":
                let p: Double? = switch m["dropout"] { case .double(let d)?: d; case .int(let i)?: Double(i); default: nil }
                guard let p, p >= 0, p < 1 else { throw r.badValue("layers", item.inline, expected: "{dropout: p} with 0 ≤ p < 1") }
                specs.append(LayerSpec(kind: "dropout", p: p))
            case .map(let m) where m.keys.count == 1 && ["conv2d", "max_pool2d"].contains(m.keys[0]):
                specs.append(try windowLayer(m.keys[0], m[m.keys[0]]!, item, r))
            default:
                throw r.badValue("layers", item.inline, expected: "{linear: N}, {dropout: p}, {conv2d: {...}}, {max_pool2d: k} "
                    + "or one of \(names.joined(separator: ", "))")
            }
        }
        return specs
    }
}

extension ModelConfig {
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
        return LayerSpec(kind: kind, size: fields["out_channels"], kernel: kernel, stride: fields["stride"],
                         padding: conv ? fields["padding"] ?? 0 : nil)
    }
}

/// `loss:` — a registry name, its options (PyTorch keyword names) and plugin libraries.
public struct LossConfig: Sendable {
    public var name: String
    /// Options passed to the loss registry, which validates them.
    public var options: [(String, ConfigValue)]
    public var plugins: [String]

    init(_ r: ConfigReader) throws(ConfigError) {
        name = try r.string("name", default: "cross_entropy")!
        plugins = try r.stringList("plugins")
        options = r.remainingKeys.compactMap { key in r.passThrough(key).map { (key, $0) } }
    }
}

extension ConfigReader {
    /// Keys present in this mapping that nothing has read yet (for open-ended
    /// sections such as loss options, validated elsewhere).
    public var remainingKeys: [String] { presentKeys.filter { !askedKeys.contains($0) } }
}
