import Autograd
import Data
import Foundation
import Losses
import TensorCore

/// A loss as the trainer calls it: model output `[B, …]` and the batch's
/// targets → a scalar `Variable`.
public typealias LossFunction = (Variable, BatchTargets) throws -> Variable

/// The fit loop, the shape PyTorch Ignite's `create_supervised_trainer` gives:
/// a model, a loss and an optimizer; events out to whoever listens.
///
/// Each step: forward, loss, NaN check, zero grads, backward, optional
/// gradient clipping, optimizer step. Validation every `validateEvery`
/// epochs (or every `validateEverySteps` steps) drives early stopping, whose
/// patience counts validations, and the best checkpoint. Stop, pause and
/// save requests (`control`) are honoured between steps.
public final class Trainer {
    public let model: Sequential
    /// Forward and loss of one training batch.
    public let trainingStep: (Batch) throws -> TrainingStepResult
    /// Output and loss of one evaluation batch.
    public let validationStep: (Batch) throws -> (output: Variable, loss: Variable)
    public let optimizer: any Optimizer
    public let config: TrainerConfig
    public let task: DataConfig.Task
    public let control: TrainingControl
    public var scheduler: SchedulerDriver?
    /// Gradient-norm clipping threshold (nil: no clipping).
    public var clipGradNorm: Float?
    /// Saves checkpoints; nil to train without saving.
    public var checkpointer: Checkpointer?
    /// Called with every event, on the training thread.
    public var observers: [(TrainerEvent) -> Void] = []
    /// Where the run stands; restored by `resume`.
    public var state = TrainerState()
    /// Runs training steps on preallocated buffers instead of the graph (same
    /// numbers, no allocation per step); nil to always build the graph.
    public var stepPlan: StepPlan?

    /// A trainer for a plain model and loss (Ignite's `create_supervised_trainer` shape).
    /// Training steps run as a `StepPlan` when every layer has a buffer form,
    /// with `bufferLoss` (the same loss, from the registry) computing the loss
    /// on buffers when it can; otherwise through the graph.
    public convenience init(model: Sequential, loss: @escaping LossFunction, optimizer: any Optimizer,
                            config: TrainerConfig, task: DataConfig.Task, control: TrainingControl = TrainingControl(),
                            bufferLoss: Loss? = nil) {
        let forward: (Batch) throws -> (output: Variable, loss: Variable) = { batch in
            let output = model(Variable(batch.features))
            return (output, try loss(output, batch.targets))
        }
        self.init(model: model, optimizer: optimizer, config: config, task: task, control: control,
                  trainingStep: { let (output, loss) = try forward($0); return TrainingStepResult(loss: loss, output: output) },
                  validationStep: forward)
        stepPlan = StepPlan(model: model, loss: loss, bufferLoss: bufferLoss)
    }

    /// A trainer for a plain model and a registry loss (its buffer form used when it has one).
    public convenience init(model: Sequential, loss: Loss, optimizer: any Optimizer, config: TrainerConfig,
                            task: DataConfig.Task, control: TrainingControl = TrainingControl()) {
        self.init(model: model, loss: { try loss($0, LossTarget($1)) }, optimizer: optimizer, config: config, task: task,
                  control: control, bufferLoss: loss)
    }

    /// The designated initializer: the model and the two per-batch steps.
    public init(model: Sequential, optimizer: any Optimizer, config: TrainerConfig, task: DataConfig.Task,
                control: TrainingControl, trainingStep: @escaping (Batch) throws -> TrainingStepResult,
                validationStep: @escaping (Batch) throws -> (output: Variable, loss: Variable)) {
        self.model = model
        self.trainingStep = trainingStep
        self.validationStep = validationStep
        self.optimizer = optimizer
        self.config = config
        self.task = task
        self.control = control
    }

    func emit(_ event: TrainerEvent) { for observer in observers { observer(event) } }

    /// Trains until `maxEpochs`/`maxSteps`, early stopping, a stop request or a
    /// non-finite loss. Returns why it ended.
    @discardableResult
    public func fit<Samples: Dataset>(
        train: DataLoader<Samples>, validation: DataLoader<Samples>?
    ) throws -> TrainerEvent.EndReason {
        if let es = config.earlyStopping { try checkMonitor(es.monitor, hasValidation: validation != nil) }
        scheduler?.start(optimizer, resumingAt: state.epoch, step: state.step)
        let clock = ContinuousClock(), started = clock.now
        emit(.runStarted(RunStart(epochs: config.maxEpochs, stepsPerEpoch: train.batchCount, batchSize: train.batchSize,
                                  trainSamples: train.dataset.count, parameterCount: model.parameterCount,
                                  startEpoch: state.epoch)))
        var reason = TrainerEvent.EndReason.completed
        epochs: while state.epoch < config.maxEpochs {
            model.isTraining = true
            var epochSamples = 0, epochTime = Duration.zero
            let order = train.batches(epoch: state.epoch)
            for (index, batch) in order.enumerated() {
                if index < state.batch { continue }   // resuming inside an epoch
                while control.isPaused && !control.stopRequested {
                    if control.takeSaveRequest() { try save(kind: .manual) }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                if control.stopRequested { reason = .stopped; break epochs }   // stopped while paused
                let stepStart = clock.now
                let batchLoss = try step(batch)
                let stepTime = clock.now - stepStart
                guard batchLoss.isFinite else {
                    emit(.message(level: "error", text: "loss is \(batchLoss) at epoch \(state.epoch + 1), step \(state.step + 1): "
                        + "training stopped; the last good checkpoint is kept"))
                    reason = .nan
                    break epochs
                }
                state.step += 1
                state.batch = index + 1
                state.lossSum += batchLoss * Double(batch.size)
                state.lossSamples += batch.size
                epochSamples += batch.size
                epochTime += stepTime
                state.trainSamples += batch.size
                state.trainSeconds += stepTime.seconds
                let now = clock.now
                let samplesPerSecond = Double(epochSamples) / max(epochTime.seconds, 1e-9)
                emit(.batchEnded(BatchEnd(
                    epoch: state.epoch + 1, step: state.step, batch: index, batchesPerEpoch: train.batchCount,
                    loss: batchLoss, runningLoss: state.runningLoss, learningRate: Double(optimizer.learningRate),
                    gradNorm: state.lastGradNorm, samplesPerSecond: samplesPerSecond, elapsed: (now - started).seconds)))
                if control.takeSaveRequest() { try save(kind: .manual) }
                if control.stopRequested { reason = .stopped; break epochs }
                if let every = config.validateEverySteps, let validation, state.step % every == 0 {
                    let result = try evaluate(validation)
                    emit(.validationEnded(epoch: state.epoch + 1, step: state.step, trainLoss: state.runningLoss,
                                          trainAccuracy: state.runningAccuracy, result: result))
                    _ = try observe(result)
                    if state.stopEarly { reason = .earlyStopped; break epochs }
                }
                if let maxSteps = config.maxSteps, state.step >= maxSteps { break }
            }
            let trainLoss = state.runningLoss, trainAccuracy = state.runningAccuracy
            state.epoch += 1
            state.batch = 0
            state.lossSum = 0
            state.lossSamples = 0
            state.correct = 0
            state.scored = 0
            let lastEpoch = state.epoch == config.maxEpochs || (config.maxSteps.map { state.step >= $0 } ?? false)
            var monitored: Double?
            let validateNow = config.validateEverySteps == nil ? state.epoch % config.validateEvery == 0 || lastEpoch
                : lastEpoch && state.step % config.validateEverySteps! != 0
            if let validation, validateNow {
                let result = try evaluate(validation)
                emit(.validationEnded(epoch: state.epoch, step: state.step, trainLoss: trainLoss, trainAccuracy: trainAccuracy,
                                      result: result))
                monitored = try observe(result)
            }
            scheduler?.epochEnded(metric: monitored, optimizer: optimizer)
            try save(kind: .last)
            if state.stopEarly { reason = .earlyStopped; break }
            if lastEpoch { break }
        }
        if reason == .stopped || (reason == .earlyStopped && state.batch != 0) { try save(kind: .last) }
        emit(.runEnded(reason: reason, epochs: state.epoch, steps: state.step, seconds: (clock.now - started).seconds))
        return reason
    }

    /// One optimisation step; returns the batch loss.
    func step(_ batch: Batch) throws -> Double {
        if let plan = stepPlan, let value = try plan.run(batch) {
            state.correct += plan.correctPredictions(batch.targets, probabilities: model.outputKind == .sigmoid)
            state.scored += batch.size
            let lossValue = Double(value)
            guard lossValue.isFinite else { return lossValue }
            update()   // the plan overwrote every gradient: no zeroGrad
            return lossValue
        }
        let result = try trainingStep(batch)
        let value = result.loss
        if let output = result.output {
            state.correct += Self.correctPredictions(output.value, batch.targets, probabilities: model.outputKind == .sigmoid)
            state.scored += batch.size
        }
        let lossValue = Double(value.value.item)
        guard lossValue.isFinite else { return lossValue }
        optimizer.zeroGrad()
        value.backward()
        update()
        return lossValue
    }

    /// Clipping, the optimizer step and the scheduler, once the gradients are in.
    private func update() {
        if let clipGradNorm {
            state.lastGradNorm = Double(Training.clipGradNorm(model.parameters, maxNorm: clipGradNorm))
        }
        optimizer.step()
        scheduler?.batchEnded(optimizer: optimizer)
    }

    /// Updates best-so-far and early stopping from a validation result; saves
    /// the best checkpoint. Returns the monitored value.
    func observe(_ result: EvaluationResult) throws -> Double? {
        let monitor = config.earlyStopping?.monitor ?? "val_loss"
        let mode = config.earlyStopping?.mode ?? (monitor.hasSuffix("loss") ? "min" : "max")
        guard let value = result.value(of: String(monitor.dropFirst(4))) else { return nil }
        let minDelta = config.earlyStopping?.minDelta ?? 0
        let improved = state.best.map { mode == "min" ? value < $0 - minDelta : value > $0 + minDelta } ?? true
        if improved {
            state.best = value
            state.bestEpoch = state.epoch
            state.epochsWithoutImprovement = 0
            try save(kind: .best)
        } else {
            state.epochsWithoutImprovement += 1
            if let es = config.earlyStopping {
                emit(.message(level: "info", text: "early stopping: \(monitor) did not improve for "
                    + "\(state.epochsWithoutImprovement)/\(es.patience) validations (best \(String(format: "%.4f", state.best!)) at epoch \(state.bestEpoch))"))
                if state.epochsWithoutImprovement > es.patience {
                    state.stopEarly = true
                    emit(.message(level: "warning", text: "early stopping: no improvement in \(monitor) for \(es.patience) validations"))
                }
            }
        }
        return value
    }

    /// The early-stopping monitors a run of this task can use.
    public func monitorNames() -> [String] {
        (["loss", "accuracy"] + (task == .binary ? ["precision", "recall", "f1", "auroc"] : ["macro_f1", "top5_accuracy"]))
            .map { "val_\($0)" }
    }

    func checkMonitor(_ monitor: String, hasValidation: Bool) throws {
        guard monitorNames().contains(monitor) else {
            throw TrainingError.unknownMonitor(monitor, available: monitorNames())
        }
        guard hasValidation else { throw TrainingError.unknownMonitor(monitor, available: []) }
    }

    func save(kind: Checkpointer.Kind) throws {
        guard let checkpointer else { return }
        let path = try checkpointer.save(kind: kind, trainer: self)
        emit(.checkpointSaved(path: path, kind: kind.rawValue, epoch: state.epoch))
    }
}

/// What one training step reports: the loss to back-propagate and, when
/// known, the model output (for the running training accuracy).
public struct TrainingStepResult {
    public var loss: Variable
    public var output: Variable?
    public init(loss: Variable, output: Variable? = nil) {
        self.loss = loss
        self.output = output
    }
}

extension Trainer {
    /// Correct predictions in a batch: argmax for class targets; for 0/1
    /// targets, probability > 0.5 (or logit > 0).
    static func correctPredictions(_ output: Tensor, _ targets: BatchTargets, probabilities: Bool) -> Int {
        if case .classes = targets, output.rank != 2 { return 0 }
        return output.withUnsafeBufferPointer {
            correctPredictions($0, rows: output.shape.first ?? 0, width: output.rank == 2 ? output.shape[1] : 1, targets,
                               probabilities: probabilities)
        }
    }

    /// The same count on a `[rows, width]` output buffer, without allocating.
    static func correctPredictions(_ output: UnsafeBufferPointer<Float>, rows: Int, width: Int, _ targets: BatchTargets,
                                   probabilities: Bool) -> Int {
        var correct = 0
        switch targets {
        case .classes(let classes):
            guard rows == classes.count, rows * width == output.count, let base = output.baseAddress else { return 0 }
            classes.indices.withUnsafeBufferPointer { truth in
                RowKernels.forEachArgmax(of: base, count: rows, width: width) { r, k in if k == truth[r] { correct += 1 } }
            }
        case .values(let values):
            guard output.count == values.count else { return 0 }
            let threshold: Float = probabilities ? 0.5 : 0
            values.withUnsafeBufferPointer { truth in
                for i in 0..<output.count where (output[i] > threshold) == (truth[i] > 0.5) { correct += 1 }
            }
        }
        return correct
    }
}

/// Where a run stands: enough to resume it exactly.
public struct TrainerState: Sendable, Codable, Equatable {
    /// Completed epochs.
    public var epoch = 0
    /// Completed steps.
    public var step = 0
    /// Batches done in the current epoch (non-zero only for a mid-epoch save).
    public var batch = 0
    public var lossSum = 0.0
    public var lossSamples = 0
    public var best: Double?
    public var bestEpoch = 0
    public var epochsWithoutImprovement = 0
    public var stopEarly = false
    public var lastGradNorm: Double?
    /// Samples trained on and the time spent in training steps (validation excluded).
    public var trainSamples = 0
    public var trainSeconds = 0.0

    public init() {}

    /// Training throughput over the whole run so far.
    public var samplesPerSecond: Double { trainSeconds > 0 ? Double(trainSamples) / trainSeconds : 0 }

    /// This epoch's running average batch loss so far.
    public var runningLoss: Double { lossSamples > 0 ? lossSum / Double(lossSamples) : .nan }
    /// Correct predictions and samples scored this epoch (when the step reports outputs).
    public var correct = 0
    public var scored = 0
    /// This epoch's running training accuracy, if outputs were reported.
    public var runningAccuracy: Double? { scored > 0 ? Double(correct) / Double(scored) : nil }
}

/// Errors a run raises before or while training.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case unknownMonitor(String, available: [String])
    case incompatibleData(String)
    case checkpoint(String)

    public var description: String {
        switch self {
        case let .unknownMonitor(name, available) where available.isEmpty:
            "early_stopping.monitor '\(name)' needs a validation split (data.validation_split > 0)"
        case let .unknownMonitor(name, available):
            "early_stopping.monitor '\(name)' is not a metric of this run; available: \(available.joined(separator: ", "))"
        case let .incompatibleData(text): text
        case let .checkpoint(text): text
        }
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
