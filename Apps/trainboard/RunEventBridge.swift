import Dashboard
import Foundation
import Training

/// Turns the trainer's events into the dashboard's wire events (`events.jsonl`)
/// and hands each to the run's sinks: the events file, and either the live
/// dashboard's store or the plain headless printer.
///
/// The trainer thread and the dashboard's key handler (pause) both send, so
/// `send` serializes on a lock; sinks run under it, in event order.
final class RunEventBridge: @unchecked Sendable {
    private let lock = NSLock()
    private let run: TrainingRun
    private let configPath: String
    private let codec = EventCodec()
    private let file: FileHandle
    private var sinks: [(RunEvent) -> Void] = []

    /// Opens (truncating) `DIR/events.jsonl`.
    init(run: TrainingRun, configPath: String, logDir: String) throws {
        self.run = run
        self.configPath = configPath
        let path = "\(logDir)/events.jsonl"
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw TrainingError.checkpoint("\(path): cannot create the events file")
        }
        self.file = file
    }

    deinit { try? file.close() }

    /// Adds a consumer of every event (called on the training thread).
    func addSink(_ sink: @escaping (RunEvent) -> Void) { lock.withLock { sinks.append(sink) } }

    /// Sends an event that did not come from the trainer (lint warnings, pause).
    func send(_ event: RunEvent) {
        lock.withLock {
            if let line = try? codec.line(for: event) { file.write(Data((line + "\n").utf8)) }
            for sink in sinks { sink(event) }
        }
    }

    /// The observer to add to the trainer.
    func observe(_ event: TrainerEvent) {
        if let converted = convert(event) { send(converted) }
    }

    func convert(_ event: TrainerEvent) -> RunEvent? {
        switch event {
        case .runStarted(let start):
            let config = run.config
            let options = Dictionary(uniqueKeysWithValues: config.loss.options.map { ($0.0, $0.1.inline) })
            return .runStarted(RunStarted(
                run: config.name, config: configPath, task: config.data.task == .binary ? .binary : .multiclass,
                loss: config.loss.name, lossOptions: options,
                model: ModelSummary(layers: run.model.layers.map(\.summary), parameters: start.parameterCount),
                seed: config.seed, classNames: run.data.classNames, epochs: start.epochs,
                stepsPerEpoch: start.stepsPerEpoch, batchSize: start.batchSize,
                startedAt: ISO8601DateFormatter().string(from: Date())))
        case .batchEnded(let b):
            return .batchEnd(BatchEnd(epoch: b.epoch, step: b.step, batch: b.batch, loss: b.loss, avgLoss: b.runningLoss,
                                      lr: b.learningRate, gradNorm: b.gradNorm, samplesPerSec: b.samplesPerSecond,
                                      elapsed: b.elapsed))
        case let .validationEnded(epoch, _, trainLoss, trainAccuracy, result):
            let binary = run.config.data.task == .binary
            return .epochEnd(EpochEnd(
                epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainAccuracy, valLoss: result.loss, valAccuracy: result.accuracy,
                confusion: result.confusion, perClassRecall: binary ? nil : result.perClassRecall,
                precision: result.metrics["precision"], recall: result.metrics["recall"], f1: result.metrics["f1"],
                auroc: result.metrics["auroc"], threshold: binary ? 0.5 : nil))
        case let .checkpointSaved(path, kind, epoch):
            return .checkpointSaved(CheckpointSaved(path: path, kind: CheckpointSaved.Kind(rawValue: kind) ?? .manual, epoch: epoch))
        case let .message(level, text):
            return .message(RunMessage(level: RunMessage.Level(rawValue: level) ?? .info, text: text))
        case .runEnded:
            return nil   // sent by `fit` once the test figures are known
        }
    }
}
