import Checkpoint
import Config
import Data
import Distributed
import Foundation
import Losses
import Metrics
import NN
import Optim
import RunEvents
import TensorCore
import Training

/// Everything a config file describes, assembled: data, model, loss (from the
/// registry, plugins loaded), optimizer, trainer with its handlers (validation
/// schedule, NaN stop, early stopping, LR schedule, best and last checkpoints).
/// `execute` is what `trainboard fit` does; `test` what `trainboard eval` does.
///
/// A run writes into a ``RunDirectory`` it claims when it executes: `LOG_DIR/version_N`, a new
/// N each time (Lightning's layout), or the directory of the run it resumes; an earlier
/// record is replaced only with `overwrite` (see ``claimDirectory(overwrite:)``).
///
/// ```swift
/// let config = try RunConfig.load(path: "Config/iris.yaml", overrides: ["trainer.max_epochs=3"])
/// let outcome = try TrainingRun(config: config).execute()
/// print(outcome.summary.testAccuracy ?? .nan)
/// ```
public final class TrainingRun {
    public let config: RunConfig
    public let data: RunData
    public let model: Sequential
    public let loss: Loss
    public let trainer: Trainer
    /// The policy handlers, for the summary's best figures.
    public let checkpointing: ModelCheckpoint
    /// Loss-lint warnings for this model's last layer and loss.
    public let lintWarnings: [String]
    public let trainLoader: DataLoader<TensorDataset>
    public let validationLoader: DataLoader<TensorDataset>?
    public let testLoader: DataLoader<TensorDataset>
    /// Where the resumed checkpoint left off (`trainer.resume`), or nil for a fresh run.
    public private(set) var resumedFrom: RunResumed?
    /// The claimed run directory, from ``claimDirectory(overwrite:)`` until ``execute(sink:)`` ends.
    public private(set) var directory: RunDirectory?
    /// The job this process trains in: a ``SingleProcess``, or the ranks `mpirun` started,
    /// each taking its shard of every batch; only rank 0 writes the run's files.
    public let world: any Communicator

    /// Builds the run (and resumes it when `trainer.resume` is set). `normalization`
    /// (from a checkpoint) replaces the fitted one.
    public init(config: RunConfig, control: TrainingControl = TrainingControl(),
                normalization: Normalization? = nil, world: any Communicator = SingleProcess()) throws {
        self.config = config
        self.world = world
        var rng = SeededGenerator(seed: config.seed)
        var registry = LossRegistry.standard
        for plugin in config.loss.plugins { try registry.loadPlugin(path: plugin) }
        loss = try registry.make(name: config.loss.name, options: config.loss.options)
        data = try RunData.load(config.data, seed: config.seed, normalization: normalization)
        model = try Self.buildModel(config, data: data, rng: &rng)
        lintWarnings = LossLint.check(lastLayer: model.outputKind, loss: config.loss.name).map(\.description)
        if let initFrom = config.model.initFrom { try Checkpointer.loadWeights(from: initFrom, into: model) }
        let batch = config.data.batchSize, binary = config.data.task == .binary
        guard batch % world.size == 0 else {
            let lower = batch / world.size * world.size, upper = lower + world.size
            throw ConfigError.badValue(file: config.file, line: nil, path: "data.batch_size", value: "\(batch)",
                                       expected: "a global batch that \(world.size) ranks share evenly: a multiple of "
                                           + "\(world.size), e.g. \(lower > 0 ? "\(lower) or " : "")\(upper)")
        }
        let shard = try Shard(rank: world.rank, count: world.size), evaluationBatch = max(batch, 256)
        trainLoader = try DataLoader(data.train, batchSize: batch, shuffle: config.data.shuffle,
                                     seed: config.seed, binaryTargetsAsColumn: binary, shard: shard)
        validationLoader = try data.validation.map {
            try DataLoader($0, batchSize: evaluationBatch, shuffle: false, binaryTargetsAsColumn: binary, shard: shard)
        }
        testLoader = try DataLoader(data.test, batchSize: evaluationBatch, shuffle: false, binaryTargetsAsColumn: binary,
                                    shard: shard)

        let optimizer = try config.optimizer.options.make(parameters: model.parameters)
        trainer = Trainer(model: model, loss: loss, optimizer: optimizer, options: config.trainer.options,
                          task: config.data.task, control: control)
        if world.size > 1 { trainer.dataParallel = DataParallel(world) }
        let stopping = config.trainer.earlyStopping
        let monitor = stopping?.monitor ?? .validationLoss
        checkpointing = ModelCheckpoint(monitor: monitor, minDelta: stopping?.minDelta ?? 0)
        trainer.handlers = [ValidationSchedule(every: config.trainer.validation), StopOnNonFiniteLoss()]
        if let stopping {
            trainer.handlers.append(EarlyStopping(monitor: monitor, patience: stopping.patience, minDelta: stopping.minDelta))
        }
        if let schedule = config.scheduler { trainer.handlers.append(LRScheduling(schedule, monitor: monitor)) }
        trainer.handlers.append(checkpointing)
        trainer.description = RunDescription(name: config.name, config: config.file, loss: config.loss.name,
                                             lossOptions: config.loss.optionText, seed: config.seed, classNames: data.classNames)
        // Until `execute` claims the run directory, checkpoints would go under log_dir itself.
        let directory = config.trainer.checkpointDir ?? "\(config.logDir)/checkpoints"
        // Only rank 0 writes checkpoints; every rank resumes from the same file.
        trainer.checkpointer = world.isRoot ? Checkpointer(directory: URL(fileURLWithPath: directory), metadata: checkpointMetadata()) : nil
        if let resume = config.trainer.resume {
            try trainer.resume(from: resume)
            resumedFrom = RunResumed(checkpoint: resume, step: trainer.state.step, epoch: trainer.state.epoch)
        }
    }

    /// Claims the directory this run will write into (``execute(sink:)`` does it when not done
    /// before): a new `version_N` under `log_dir`, the run directory being resumed, or with
    /// `overwrite` the newest version with its record deleted. An explicit `trainer.checkpoint_dir`
    /// is claimed too. The directory is locked until the run ends.
    /// - Throws: ``RunDirectoryError`` (for instance when another process runs there).
    @discardableResult
    public func claimDirectory(overwrite: Bool = false) throws -> RunDirectory {
        if let directory { return directory }
        let claimed = try RunDirectory.claim(logDir: config.logDir, overwrite: overwrite, resume: config.trainer.resume)
        if let checkpointDir = config.trainer.checkpointDir {
            do { try claimed.claimCheckpointDirectory(checkpointDir, overwrite: overwrite, resume: config.trainer.resume) } catch {
                claimed.discardIfUnused()
                throw error
            }
        }
        directory = claimed
        return claimed
    }

    /// The model of `config.model` for the data's sample shape; an explicit layer list
    /// must end in the task's width (binary: 1 logit; multiclass: at least one per class).
    static func buildModel(_ config: RunConfig, data: RunData, rng: inout SeededGenerator) throws -> Sequential {
        let width = config.model.spec.outputWidth(inputs: data.inputs, outputs: data.outputs)
        let binary = config.data.task == .binary
        if binary ? width != 1 : width < data.outputs {
            throw ConfigError.badValue(
                file: config.file, line: nil, path: "model.layers", value: "a model with \(width) output\(width == 1 ? "" : "s")",
                expected: binary ? "1 output (one logit per sample) for a binary task"
                                 : "at least \(data.outputs) outputs (one logit per class)")
        }
        do {
            return try config.model.spec.build(sampleShape: data.train.sampleShape, outputs: data.outputs, rng: &rng)
        } catch {
            throw ConfigError(error, file: config.file)
        }
    }

    /// Trains, tests and records: `events.jsonl`, `metrics.csv`, checkpoints and
    /// `summary.json` in the run directory (claimed now unless ``claimDirectory(overwrite:)`` was
    /// called). Every event also goes to `sink` (the dashboard's store, or the plain printer),
    /// on the training thread. A resumed run sends `run_resumed` first; in its own directory it
    /// continues the files. A failure is recorded (a message and `run_ended` with reason
    /// `error`) and rethrown. The directory is released when the run ends.
    public func execute(sink: @escaping @Sendable (RunEvent) -> Void = { _ in }) throws -> RunOutcome {
        guard world.isRoot else { return try executeOnWorkerRank() }
        let clock = ContinuousClock(), started = clock.now, startedAt = Date()
        let directory = try claimDirectory()
        defer { directory.release(); self.directory = nil }
        let continuing = directory.placement == .resumed
        // The record this run continues; the events it emits are noted as they go (never read back).
        var (earlier, best) = continuing ? RunHistory.read(eventsFile: "\(directory.path)/events.jsonl") : ([], BestValidation())
        if let checkpointer = trainer.checkpointer, config.trainer.checkpointDir == nil {
            trainer.checkpointer = Checkpointer(directory: URL(fileURLWithPath: "\(directory.path)/checkpoints"),
                                                metadata: checkpointer.metadata)
        }
        trainer.description.name = directory.version.map { "\(config.name)/version_\($0)" } ?? config.name
        let recorder = try RunRecorder(directory: directory.path, logEverySteps: config.trainer.logEverySteps,
                                       continuing: continuing ? resumedFrom : nil, sink: sink)
        trainer.observers.append { event in
            best.note(event)
            recorder.record(event)
        }
        defer { trainer.observers.removeLast() }
        if let resumedFrom { recorder.send(.runResumed(resumedFrom)) }
        if let note = directory.note { recorder.send(.message(RunMessage(level: .info, text: note))) }
        let deprecated = LegacyReduction.warning(loss: loss.name, options: config.loss.options)   // size_average, reduce
        for warning in lintWarnings + [deprecated].compactMap({ $0 }) {
            recorder.send(.message(RunMessage(level: .warning, text: warning)))
        }
        let reason: RunEnded.Reason
        do { reason = try trainer.fit(train: trainLoader, validation: validationLoader) } catch {
            recorder.send(.message(RunMessage(level: .error, text: "\(error)")))
            recorder.send(.runEnded(RunEnded(reason: .error)))
            throw error
        }
        let test = reason == .nan ? nil : try self.test()
        let seconds = (clock.now - started).seconds
        let endedAt = RunHistory.timestamp(Date())
        let segment = RunSegment(startedAt: RunHistory.timestamp(startedAt), endedAt: endedAt,
                                 resumedFrom: resumedFrom?.checkpoint, fromStep: resumedFrom?.step ?? 0,
                                 toStep: trainer.state.step, endReason: reason)
        var summary = RunSummary(
            run: config.name, endReason: reason, epochs: trainer.state.epoch, steps: trainer.state.step,
            testAccuracy: test?.accuracy, testLoss: test?.loss, testMetrics: test?.metrics ?? [:],
            bestValidation: checkpointing.state.best, bestEpoch: checkpointing.state.bestEpoch,
            trainSamplesPerSecond: trainer.state.samplesPerSecond, wallSeconds: seconds,
            lastCheckpoint: recorder.lastCheckpoint, directory: directory.path, version: directory.version,
            config: config.file, startedAt: earlier.first?.startedAt ?? segment.startedAt, endedAt: endedAt,
            segments: earlier + [segment], worldSize: world.size, bestValidationLoss: best.loss,
            bestValidationAccuracy: best.accuracy)
        summary.trainSeconds = trainer.state.trainSeconds
        summary.allreduceSeconds = trainer.dataParallel?.reduceSeconds
        try recorder.write(summary)
        var figures = ["wall_seconds": seconds, "train_samples_per_second": summary.trainSamplesPerSecond]
        if let test { figures["test_accuracy"] = test.accuracy; figures["test_loss"] = test.loss }
        recorder.send(.runEnded(RunEnded(reason: reason, summary: figures)))
        return RunOutcome(reason: reason, summary: summary)
    }

    /// A rank other than 0 of a job: the same training and test, in step with rank 0,
    /// writing nothing (rank 0 records the run). Its summary holds the figures only.
    private func executeOnWorkerRank() throws -> RunOutcome {
        let clock = ContinuousClock(), started = clock.now
        let reason = try trainer.fit(train: trainLoader, validation: validationLoader)
        let test = reason == .nan ? nil : try self.test()
        var summary = RunSummary(
            run: config.name, endReason: reason, epochs: trainer.state.epoch, steps: trainer.state.step,
            testAccuracy: test?.accuracy, testLoss: test?.loss, testMetrics: test?.metrics ?? [:],
            bestValidation: checkpointing.state.best, bestEpoch: checkpointing.state.bestEpoch,
            trainSamplesPerSecond: trainer.state.samplesPerSecond, wallSeconds: (clock.now - started).seconds,
            lastCheckpoint: nil, config: config.file, worldSize: world.size)
        summary.trainSeconds = trainer.state.trainSeconds
        summary.allreduceSeconds = trainer.dataParallel?.reduceSeconds
        return RunOutcome(reason: reason, summary: summary)
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
}

/// How a run ended and the summary written for it.
public struct RunOutcome: Sendable {
    public var reason: RunEnded.Reason
    public var summary: RunSummary
}

/// What stops a run that the config itself allows, with a one-line message.
public enum RunError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The data cannot serve the run the config describes (class names, splits, labels).
    case data(String)
    /// A run file cannot be written (named with its path).
    case file(String)

    public var description: String {
        switch self {
        case .data(let message), .file(let message): message
        }
    }
}
