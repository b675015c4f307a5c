import Config
import Data
import Foundation
import TensorCore

/// The train, validation and test sets a `data:` section describes, with the
/// preprocessing fitted on the training split only.
public struct RunData: Sendable {
    public var train: TensorDataset
    public var validation: TensorDataset?
    public var test: TensorDataset
    /// Class names (multiclass), or the names of the negative and positive class (binary).
    public var classNames: [String]
    /// CSV feature scaling fitted on the training split (stored in checkpoints).
    public var normalization: Normalization?
    /// Features per sample.
    public var inputs: Int { train.featuresPerSample }
    /// Model outputs: classes for multiclass, 1 for binary.
    public var outputs: Int

    /// Loads and prepares the data of `config`. `seed` fixes the splits.
    /// `normalization`, when given (evaluation of a checkpoint), replaces the fitted one.
    public static func load(_ config: DataConfig, seed: UInt64, normalization given: Normalization? = nil) throws -> RunData {
        var data = switch config.source {
        case .idx: try loadImages(config, seed: seed, normalization: given)
        case .csv: try loadCSV(config, seed: seed, normalization: given)
        }
        if !config.classNames.isEmpty {
            guard config.classNames.count == data.classNames.count else {
                throw RunError.data("data.class_names has \(config.classNames.count) names; "
                    + "the data has \(data.classNames.count) classes")
            }
            data.classNames = config.classNames
        }
        return data
    }

    /// Images scaled to [0, 1], then (`normalize: standard`) mapped by one mean and std
    /// over every training pixel, torchvision's `Normalize` convention; `minmax`
    /// maps the training range to [0, 1] (the scaled bytes already are, unless
    /// no pixel reaches 0 or 255).
    static func loadImages(_ config: DataConfig, seed: UInt64, normalization given: Normalization?) throws -> RunData {
        func prepare(_ images: String, _ labels: String) throws -> TensorDataset {
            let raw = try TensorDataset.images(imageFile: images, labelFile: labels)
            try raw.checkNotEmpty(file: images)
            let scaled = raw.scaledToUnitRange()
            var set = config.flatten ? scaled.flattened() : scaled.withChannelAxis()
            if config.task == .binary, let positive = config.positiveClasses {
                set = try set.binaryTargets(positiveClasses: Set(positive))
            }
            return set
        }
        var train = try prepare(config.trainImages, config.trainLabels)
        let test = try prepare(config.testImages, config.testLabels)
        try learnable(train, config)
        if let limit = config.limitTrain { train = train.prefix(limit) }
        var (fit, validation) = try split(train, config.validationSplit, seed: seed)
        try checkSplits(fit, validation, test, of: train.count, file: config.trainImages, config)
        var testSet = test
        let normalization = given ?? fitted(config.normalize, on: fit, perFeature: false)
        try apply(normalization, to: &fit, &validation, &testSet)
        let names = config.task == .binary
            ? ["other", "classes " + (config.positiveClasses ?? []).map(String.init).joined(separator: ",")]
            : (config.trainImages.contains("fashion") ? FashionMNIST.classNames : (0..<classCount(train)).map(String.init))
        return RunData(train: fit, validation: validation, test: testSet, classNames: names, normalization: normalization,
                       outputs: config.task == .binary ? 1 : classCount(train))
    }

    static func loadCSV(_ config: DataConfig, seed: UInt64, normalization given: Normalization?) throws -> RunData {
        let options = CSVOptions(label: config.label, features: config.features.isEmpty ? nil : config.features,
                                 delimiter: config.delimiter, missingValues: config.missing,
                                 task: config.task == .binary ? .binary : .multiclass)
        let csv = try CSVDataset.load(contentsOf: config.path!, options: options)
        try csv.checkLearnable()
        // The test split is drawn with its own seed stream so changing the
        // validation fraction never moves samples in or out of the test set.
        let (rest, test) = try split(csv.dataset, config.testSplit, seed: seed ^ 0x7E57)
        guard let test else { throw RunError.data("data.test_split must be > 0 for a CSV run") }
        var (fit, validation) = try split(rest, config.validationSplit, seed: seed)
        try checkSplits(fit, validation, test, of: csv.dataset.count, file: csv.file, config)
        let normalization = given ?? fitted(config.normalize, on: fit, perFeature: true)
        var testSet = test
        try apply(normalization, to: &fit, &validation, &testSet)
        let names = csv.labelEncoding.classNames
        return RunData(train: fit, validation: validation, test: testSet, classNames: names,
                       normalization: normalization, outputs: config.task == .binary ? 1 : max(names.count, 2))
    }

    /// The IDX training files can be learned from; binary targets of a single class name `positive_classes`.
    static func learnable(_ train: TensorDataset, _ config: DataConfig) throws {
        do { try train.checkLearnable(file: config.trainImages, labelFile: config.trainLabels) } catch {
            guard case let .singleClass(file, count, label, true) = error, let positive = config.positiveClasses else { throw error }
            throw RunError.data("\(file): data.positive_classes \(positive) match \(label == "0" ? "no" : "every") label: "
                + "all \(count) samples have label '\(label)'; a binary task needs both 0 and 1")
        }
    }

    /// Every split holds samples: a split fraction too small for the data set is an error, not a
    /// run over zero samples (an IDX test set comes from its own files, checked when read).
    static func checkSplits(_ fit: TensorDataset, _ validation: TensorDataset?, _ test: TensorDataset, of total: Int,
                            file: String, _ config: DataConfig) throws {
        let (v, t) = (config.validationSplit, config.testSplit)
        if test.count == 0 { throw RunError.data("\(file): data.test_split \(t) of \(total) samples leaves no test samples") }
        let pool = fit.count + (validation?.count ?? 0)
        let left = "\(file): data.validation_split \(v) of \(pool) samples leaves no"
        if fit.count == 0 { throw RunError.data("\(left) training samples") }
        if validation?.count == 0 { throw RunError.data("\(left) validation samples (0 turns validation off)") }
    }

    /// The `normalize` map fitted on the training split (nil for `none`).
    static func fitted(_ method: Normalization.Method?, on fit: TensorDataset, perFeature: Bool) -> Normalization? {
        switch method {
        case .standardization: Normalization.standardization(fittedOn: fit, perFeature: perFeature)
        case .minMax: Normalization.minMax(fittedOn: fit, perFeature: perFeature)
        case nil: nil
        }
    }

    /// Maps the three splits by the map fitted on the first (none: unchanged).
    static func apply(_ normalization: Normalization?, to fit: inout TensorDataset, _ validation: inout TensorDataset?,
                      _ test: inout TensorDataset) throws {
        guard let normalization else { return }
        fit = try fit.normalized(by: normalization)
        validation = try validation?.normalized(by: normalization)
        test = try test.normalized(by: normalization)
    }

    /// A seeded split; the validation part is nil when the fraction is 0.
    static func split(_ set: TensorDataset, _ fraction: Double, seed: UInt64) throws -> (TensorDataset, TensorDataset?) {
        guard fraction > 0 else { return (set, nil) }
        let (a, b) = try set.split(validationFraction: fraction, seed: seed)
        return (a, b)
    }

    static func classCount(_ set: TensorDataset) -> Int {
        if case .classes(let count) = set.targetKind { return count }
        return 2
    }
}
