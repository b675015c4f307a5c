import Autograd
import Data
import Foundation
import Losses
import TensorCore

/// Everything a config file describes, assembled: data, model, loss (from
/// the registry, plugins loaded), optimizer, scheduler, trainer and
/// checkpointer. `trainboard fit` and `eval` are thin wrappers around it.
public final class TrainingRun {
    public let config: RunConfig
    public let data: RunData
    public let model: Sequential
    public let loss: Loss
    public let trainer: Trainer
    /// Loss-lint warnings for this model's last layer and loss.
    public let lintWarnings: [String]
    public let trainLoader: DataLoader<TensorDataset>
    public let validationLoader: DataLoader<TensorDataset>?
    public let testLoader: DataLoader<TensorDataset>

    /// Builds the run. `normalization` (from a checkpoint) replaces the fitted one.
    public init(config: RunConfig, control: TrainingControl = TrainingControl(),
                normalization: Normalization? = nil) throws {
        self.config = config
        var rng = SeededGenerator(seed: config.seed)
        var registry = LossRegistry.standard
        for plugin in config.loss.plugins { try registry.loadPlugin(path: plugin) }
        loss = try registry.make(name: config.loss.name,
                                 options: Dictionary(uniqueKeysWithValues: try config.loss.options.map { key, value in
                                     (key, try Self.lossOption(value, key: key, file: config.file))
                                 }))
        data = try RunData.load(config.data, seed: config.seed, normalization: normalization)
        // An explicit layer list sets the output width itself; a binary task needs one
        // logit per sample (other widths trapped in the binary metrics), a multiclass
        // task at least one per class.
        let width = ModelBuilder.outputWidth(config.model, inputs: data.inputs, outputs: data.outputs)
        let binary = config.data.task == .binary
        if binary ? width != 1 : width < data.outputs {
            throw ConfigError.badValue(
                file: config.file, line: nil, path: "model.layers", value: "a model with \(width) output\(width == 1 ? "" : "s")",
                expected: binary ? "1 output (one logit per sample) for a binary task"
                                 : "at least \(data.outputs) outputs (one logit per class)")
        }
        model = try ModelBuilder.build(config.model, sampleShape: data.train.sampleShape, outputs: data.outputs,
                                       file: config.file, rng: &rng)
        lintWarnings = LossLint.check(lastLayer: model.outputKind, loss: config.loss.name).map(\.description)
        if let initFrom = config.model.initFrom {
            try Checkpointer.loadWeights(try SafetensorsFile.read(from: URL(fileURLWithPath: initFrom)), into: model)
        }
        let batch = config.data.batchSize
        trainLoader = try DataLoader(data.train, batchSize: batch, shuffle: config.data.shuffle,
                                     seed: config.seed, binaryTargetsAsColumn: binary)
        validationLoader = try data.validation.map {
            try DataLoader($0, batchSize: max(batch, 256), shuffle: false, binaryTargetsAsColumn: binary)
        }
        testLoader = try DataLoader(data.test, batchSize: max(batch, 256), shuffle: false, binaryTargetsAsColumn: binary)

        let optimizer = try OptimizerFactory.make(config.optimizer, parameters: model.parameters)
        let loss = self.loss
        trainer = Trainer(model: model, loss: loss, optimizer: optimizer, config: config.trainer, task: config.data.task,
                          control: control)
        trainer.clipGradNorm = config.optimizer.clipGradNorm.map(Float.init)
        trainer.scheduler = config.scheduler.map {
            SchedulerDriver($0, baseLR: Float(config.optimizer.lr), epochs: config.trainer.maxEpochs,
                            stepsPerEpoch: trainLoader.batchCount)
        }
        let directory = config.trainer.checkpointDir ?? "\(config.logDir)/checkpoints"
        trainer.checkpointer = Checkpointer(directory: URL(fileURLWithPath: directory), metadata: checkpointMetadata())
        if let resume = config.trainer.resume {
            try Checkpointer.restore(resume, into: trainer, withTrainingState: true)
        }
    }

    /// Trains; returns why it ended.
    public func fit() throws -> TrainerEvent.EndReason {
        try trainer.fit(train: trainLoader, validation: validationLoader)
    }

    /// Loss and metrics on the test set.
    public func test() throws -> EvaluationResult { try trainer.evaluate(testLoader) }

    /// What every checkpoint of this run carries besides the weights.
    func checkpointMetadata() -> [String: String] {
        var meta = ["trainboard.config": config.resolved.yaml(), "trainboard.task": config.data.task.rawValue,
                    "trainboard.classes": data.classNames.joined(separator: "\n")]
        if let n = data.normalization, let json = try? JSONEncoder().encode(n) {
            meta["trainboard.normalization"] = String(decoding: json, as: UTF8.self)
        }
        return meta
    }

    /// The normalization stored in a checkpoint, for `eval`.
    public static func normalization(inCheckpoint path: String) throws -> Normalization? {
        let file = try SafetensorsFile.read(from: URL(fileURLWithPath: path))
        guard let json = file.metadata["trainboard.normalization"] else { return nil }
        return try Checkpointer.decodeMetadata(Normalization.self, json, key: "trainboard.normalization", file: path)
    }

    /// A config value as a loss option (the one mapping `LossOption(parsed:)` applies
    /// to JSON case files too).
    static func lossOption(_ value: ConfigValue, key: String, file: String) throws -> LossOption {
        guard let option = LossOption(parsed: value.plain) else {
            throw ConfigError.wrongType(file: file, line: nil, path: "loss.\(key)",
                                        expected: "a number, boolean, string or list of numbers", found: value.kind)
        }
        return option
    }
}

extension LossTarget {
    /// A batch's targets as a loss target.
    public init(_ targets: BatchTargets) {
        switch targets {
        case .classes(let c): self = .classes(c)
        case .values(let v): self = .values(v)
        }
    }
}
