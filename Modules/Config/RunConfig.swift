import Data
import Foundation
import Optim
import RunEvents

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
    public var scheduler: SchedulerOptions?
    public var trainer: TrainerConfig
    /// Where metrics.csv, events.jsonl, checkpoints and summary.json go.
    public var logDir: String
    /// The file it came from.
    public var file: String
    /// The fully resolved document (defaults filled in), for `print-config`
    /// and the checkpoint metadata.
    public var resolved: ConfigValue
    /// The grid of the file's `sweep:` section (what `trainboard sweep` runs), or nil; a run
    /// itself ignores it.
    public var sweep: SweepConfig?

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
        scheduler = try SchedulerOptions.read(try root.section("scheduler"))
        trainer = try TrainerConfig(try root.section("trainer"))
        trainer.options.clipGradNorm = optimizer.clipGradNorm
        logDir = try root.string("log_dir", default: "runs/\(name)")!
        sweep = root.presentKeys.contains("sweep") ? try SweepConfig(try root.section("sweep")) : nil
        try root.finish()
        resolved = .map(root.resolved)
    }
}

/// `data:` — where samples come from and how they are batched.
public struct DataConfig: Sendable {
    public enum Source: String, Sendable, CaseIterable { case idx, csv }

    public var source: Source
    public var task: TaskKind
    /// IDX files (defaults: Fashion-MNIST from the Debian package).
    public var trainImages, trainLabels, testImages, testLabels: String
    /// CSV file, label column (default: last), feature columns (default: all others), delimiter.
    public var path: String?
    public var label: String?
    public var features: [String]
    /// Display names of the classes, in class-index order (e.g. for integer CSV labels).
    public var classNames: [String]
    public var delimiter: Character
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
    /// Feature scaling fitted on the training split (`normalize: standard | minmax | none`;
    /// per column for CSV, one mean and std over all pixels for IDX images); nil: none.
    public var normalize: Normalization.Method?
    /// What to do with empty/NA CSV cells (`missing: reject | mean`).
    public var missing: CSVOptions.MissingValues

    public static let fashionMNIST = "/usr/share/datasets/fashion-mnist"

    init(_ r: ConfigReader) throws(ConfigError) {
        source = try r.choice("source", default: Source.idx)
        task = try r.choice("task", default: TaskKind.multiclass)
        let base = Self.fashionMNIST
        trainImages = try r.string("train_images", default: "\(base)/train-images-idx3-ubyte.gz")!
        trainLabels = try r.string("train_labels", default: "\(base)/train-labels-idx1-ubyte.gz")!
        testImages = try r.string("test_images", default: "\(base)/t10k-images-idx3-ubyte.gz")!
        testLabels = try r.string("test_labels", default: "\(base)/t10k-labels-idx1-ubyte.gz")!
        path = try r.string("path")
        label = try r.string("label")
        features = try r.stringList("features")
        classNames = try r.stringList("class_names")
        let delimiter = try r.string("delimiter", default: ",")!
        guard delimiter.count == 1 else { throw r.badValue("delimiter", "'\(delimiter)'", expected: "one character") }
        self.delimiter = delimiter.first!
        positiveClasses = try r.intList("positive_classes")
        validationSplit = try r.double("validation_split", default: 0.1, range: 0...0.9)
        testSplit = try r.double("test_split", default: 0.2, range: 0...0.9)
        batchSize = try r.int("batch_size", default: 128, range: 1...1_000_000)
        shuffle = try r.bool("shuffle", default: true)
        limitTrain = try r.int("limit_train", default: nil, range: 1...Int.max)
        flatten = try r.bool("flatten", default: true)
        normalize = try r.choice("normalize", among: [("standard", .standardization), ("minmax", .minMax), ("none", nil)],
                                 default: "standard")
        missing = try r.choice("missing", among: [("reject", .reject), ("mean", .imputeMean)], default: "reject")
        if source == .csv, path == nil { throw .missing(file: r.file, path: "data.path", expected: "the CSV file to read") }
        if source == .csv, testSplit == 0 { throw r.badValue("test_split", "0", expected: "a fraction > 0 for a CSV run") }
        if task == .binary, source == .idx, positiveClasses == nil {
            throw .missing(file: r.file, path: "data.positive_classes", expected: "the classes that become label 1")
        }
    }
}
