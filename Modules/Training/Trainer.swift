import Autograd
import Checkpoint
import Data
import Foundation
import Losses
import Metrics
import NN
import Optim
import RunEvents
import TensorCore

/// A loss as the trainer calls it: model output `[B, …]` and the batch's
/// targets → a scalar `Variable`.
public typealias LossFunction = (Variable, BatchTargets) throws -> Variable

/// The fit loop as a skeleton, in the shape of PyTorch Lightning's `Trainer` and
/// Ignite's engine: it runs steps, emits `RunEvent`s to its observers and asks
/// its handlers what to do; policies live in the handlers.
///
/// Each step: forward, loss, zero grads, backward, optional gradient clipping,
/// optimizer step; then every handler's `stepEnded` (a non-finite loss stops the
/// run there, in ``StopOnNonFiniteLoss``). Validation runs whenever a handler asks
/// for it (``ValidationSchedule``); its result goes to every handler's `validated`
/// (``EarlyStopping``, ``ModelCheckpoint``). At each epoch's end handlers see
/// `epochEnded` (``LRScheduling``, ``ModelCheckpoint``'s last checkpoint). Stop,
/// pause and save requests (`control`) are honoured between steps.
///
/// ```swift
/// let trainer = Trainer(model: model, loss: try LossRegistry.standard.make(name: "cross_entropy"),
///                       optimizer: try Adam(parameters: model.parameters), options: .init(maxEpochs: 10), task: .multiclass)
/// trainer.handlers += [EarlyStopping(monitor: .validationLoss, patience: 3)]
/// let reason = try trainer.fit(train: trainLoader, validation: validationLoader)
/// ```
public final class Trainer {
    public let model: Sequential
    /// Forward and loss of one training batch.
    public let trainingStep: (Batch) throws -> TrainingStepResult
    /// Output and loss of one evaluation batch.
    public let validationStep: (Batch) throws -> (output: Variable, loss: Variable)
    public let optimizer: any Optimizer
    public var options: TrainerOptions
    public let task: TaskKind
    public let control: TrainingControl
    /// The policies asked at each point of the loop, in order. Defaults, as Lightning's:
    /// validate every epoch, stop on a non-finite loss, save `best` (by validation loss)
    /// and `last` checkpoints when a `checkpointer` is set.
    public var handlers: [any TrainerHandler] = [ValidationSchedule(), StopOnNonFiniteLoss(), ModelCheckpoint()]
    /// Writes checkpoints (for ``ModelCheckpoint``, `s` in the dashboard and stops); nil to train without saving.
    public var checkpointer: Checkpointer?
    /// Called with every event, on the training thread.
    public var observers: [(RunEvent) -> Void] = []
    /// What the `run_started` event says about the run beyond what the trainer knows.
    public var description = RunDescription()
    /// Where the run stands; restored by `resume(from:)`.
    public var state = TrainerState()
    /// Runs training steps on preallocated buffers instead of the graph (same
    /// numbers, no allocation per step); nil to always build the graph.
    public var stepPlan: StepPlan?
    /// Trains one model over the ranks of a job (see ``DataParallel``); the loaders
    /// must then be sharded (`DataLoader.shard`). Nil in a single process.
    public var dataParallel: DataParallel?

    /// Batches per epoch of the current fit.
    public private(set) var stepsPerEpoch = 0

    private var stopReason: RunEnded.Reason?
    /// The gradients of the batches of one step, when they come from several batches or ranks.
    private let gradientSum = GradientSum()
    /// Whether a stop was asked for by the end of the last step: in a data-parallel job, by
    /// any rank before the step's reduction, so that every rank stops after the same step.
    private var stepEndsTheRun = false
    private var runValidation: (() throws -> EvaluationResult)?

    /// A trainer for a plain model and loss (Ignite's `create_supervised_trainer` shape).
    /// Training steps run as a `StepPlan` when every layer has a buffer form,
    /// with `bufferLoss` (the same loss, from the registry) computing the loss
    /// on buffers when it can; otherwise through the graph.
    public convenience init(model: Sequential, loss: @escaping LossFunction, optimizer: any Optimizer,
                            options: TrainerOptions = TrainerOptions(), task: TaskKind,
                            control: TrainingControl = TrainingControl(), bufferLoss: Loss? = nil) {
        let forward: (Batch) throws -> (output: Variable, loss: Variable) = { batch in
            let output = model(Variable(batch.features))
            return (output, try loss(output, batch.targets))
        }
        self.init(model: model, optimizer: optimizer, options: options, task: task, control: control,
                  trainingStep: { let (output, loss) = try forward($0); return TrainingStepResult(loss: loss, output: output) },
                  validationStep: forward)
        stepPlan = StepPlan(model: model, loss: loss, bufferLoss: bufferLoss)
    }

    /// A trainer for a plain model and a registry loss (its buffer form used when it has one).
    public convenience init(model: Sequential, loss: Loss, optimizer: any Optimizer, options: TrainerOptions = TrainerOptions(),
                            task: TaskKind, control: TrainingControl = TrainingControl()) {
        self.init(model: model, loss: { try loss($0, LossTarget($1)) }, optimizer: optimizer, options: options, task: task,
                  control: control, bufferLoss: loss)
        description.loss = loss.name
    }

    /// The designated initializer: the model and the two per-batch steps.
    public init(model: Sequential, optimizer: any Optimizer, options: TrainerOptions = TrainerOptions(), task: TaskKind,
                control: TrainingControl = TrainingControl(), trainingStep: @escaping (Batch) throws -> TrainingStepResult,
                validationStep: @escaping (Batch) throws -> (output: Variable, loss: Variable)) {
        self.model = model
        self.trainingStep = trainingStep
        self.validationStep = validationStep
        self.optimizer = optimizer
        self.options = options
        self.task = task
        self.control = control
    }

    /// The first handler of type `H`, e.g. `trainer.handler(ModelCheckpoint.self)?.state.best`.
    public func handler<H: TrainerHandler>(_ type: H.Type) -> H? {
        handlers.lazy.compactMap { $0 as? H }.first
    }

    /// Sends `event` to every observer.
    public func emit(_ event: RunEvent) { for observer in observers { observer(event) } }

    /// Ends the run after the current step (handlers call this: early stopping, NaN).
    public func stop(_ reason: RunEnded.Reason) { if stopReason == nil { stopReason = reason } }

    /// Whether this fit has a validation set.
    public var hasValidation: Bool { runValidation != nil }

    /// Trains until `maxEpochs`/`maxSteps`, a handler's stop or a stop request.
    /// Emits `run_started` … `run_ended`; returns why it ended.
    @discardableResult
    public func fit<Samples: Dataset>(
        train: DataLoader<Samples>, validation: DataLoader<Samples>?
    ) throws -> RunEnded.Reason {
        stopReason = nil
        runValidation = validation.map { loader in { [unowned self] in try self.evaluate(loader) } }
        defer { runValidation = nil }
        stepsPerEpoch = train.batchCount
        for handler in handlers { try handler.fitStarted(self) }
        try dataParallel?.broadcastWeights(model.parameters)   // every rank starts from rank 0's weights
        gradientSum.reset()   // nothing left from a fit stopped between accumulated batches
        let clock = ContinuousClock(), started = clock.now
        emit(.runStarted(description.event(task: task, model: model, epochs: options.maxEpochs,
                                           stepsPerEpoch: train.batchCount, batchSize: train.batchSize,
                                           worldSize: dataParallel.map { $0.communicator.size })))
        var reason = RunEnded.Reason.completed
        epochs: while state.epoch < options.maxEpochs {
            model.isTraining = true
            var epochSamples = 0, epochTime = Duration.zero, stepStart: ContinuousClock.Instant?
            for (index, batch) in train.batches(epoch: state.epoch).enumerated() {
                if index < state.batch { continue }   // resuming inside an epoch
                try waitWhilePaused()
                // Stopped while paused. Ranks of a job learn of a stop through the step's reduction.
                if control.stopRequested && dataParallel == nil { reason = .stopped; break epochs }
                if stepStart == nil { stepStart = clock.now }
                let completesStep = (index + 1) % options.accumulateGradBatches == 0 || index + 1 == train.batchCount
                guard let (batchLoss, samples) = try step(batch, completesStep: completesStep) else { continue }
                let stepTime = clock.now - stepStart!
                stepStart = nil
                for handler in handlers { try handler.stepEnded(self, loss: batchLoss) }
                if let stop = stopReason { reason = stop; break epochs }
                state.recordStep(batch: index, samples: samples, loss: batchLoss, seconds: stepTime.seconds)
                epochSamples += samples
                epochTime += stepTime
                emit(.batchEnd(BatchEnd(
                    epoch: state.epoch + 1, step: state.step, batch: index + 1, loss: batchLoss, avgLoss: state.runningLoss,
                    lr: Double(optimizer.learningRate), gradNorm: state.lastGradNorm,
                    samplesPerSec: Double(epochSamples) / max(epochTime.seconds, 1e-9),
                    allreduceMs: dataParallel.map { $0.lastReduceSeconds * 1000 }, elapsed: (clock.now - started).seconds)))
                if control.takeSaveRequest() { try saveCheckpoint(.manual) }
                if stepEndsTheRun { reason = .stopped; break epochs }
                if asksForValidation(at: .step) {
                    try validate(epoch: state.epoch + 1, trainLoss: state.runningLoss, trainAccuracy: state.runningAccuracy)
                    if let stop = stopReason { reason = stop; break epochs }
                }
                if let maxSteps = options.maxSteps, state.step >= maxSteps { break }
            }
            let trainLoss = state.runningLoss, trainAccuracy = state.runningAccuracy
            state.endEpoch()
            let isLast = state.epoch == options.maxEpochs || (options.maxSteps.map { state.step >= $0 } ?? false)
            var result: EvaluationResult?
            if asksForValidation(at: .epochEnd(isLast: isLast)) {
                result = try validate(epoch: state.epoch, trainLoss: trainLoss, trainAccuracy: trainAccuracy)
            }
            for handler in handlers { try handler.epochEnded(self, validation: result) }
            if let stop = stopReason { reason = stop; break }
            if isLast { break }
        }
        for handler in handlers { try handler.fitEnded(self, reason: reason) }
        emit(.runEnded(RunEnded(reason: reason, summary: ["epochs": Double(state.epoch), "steps": Double(state.step),
                                                          "wall_seconds": (clock.now - started).seconds,
                                                          "train_samples_per_second": state.samplesPerSecond])))
        return reason
    }

    /// Forward and backward of one batch, then, when `completesStep`, the optimizer
    /// step. Returns the step's loss (non-finite: nothing was updated) and the samples
    /// it trained on (all the batches accumulated, over all ranks of a job), or nil
    /// while gradients accumulate (`accumulate_grad_batches`).
    func step(_ batch: Batch, completesStep: Bool = true) throws -> (loss: Double, samples: Int)? {
        let probabilities = model.outputKind == .sigmoid
        var loss = 0.0, correct = 0, scored = true
        if batch.size == 0 {
            // A rank whose shard of a short last batch is empty: it only joins the reduction.
        } else if let plan = stepPlan, let value = try plan.run(batch) {
            correct = plan.correctPredictions(batch.targets, probabilities: probabilities)
            loss = Double(value)   // the plan overwrote every gradient: no zeroGrad
        } else {
            let result = try trainingStep(batch)
            if let output = result.output {
                correct = Self.correctPredictions(output.value, batch.targets, probabilities: probabilities)
            } else { scored = false }
            loss = Double(result.loss.value.item)
            if loss.isFinite {
                optimizer.zeroGrad()
                result.loss.backward()
            }
        }
        var samples = batch.size
        stepEndsTheRun = control.stopRequested
        if dataParallel != nil || options.accumulateGradBatches > 1 {
            // Gradients of several batches or ranks: summed, weighted by rows, then averaged.
            gradientSum.add(model.parameters, loss: loss, rows: batch.size, correct: correct,
                            stopRequested: control.stopRequested)
            guard completesStep else { return nil }
            try dataParallel?.allReduce(gradientSum)
            (loss, samples, correct) = (gradientSum.loss, gradientSum.rows, gradientSum.correct)
            if gradientSum.stop { control.requestStop() }
            stepEndsTheRun = dataParallel == nil ? control.stopRequested : gradientSum.stop
            if loss.isFinite { gradientSum.write(into: model.parameters) }
            gradientSum.reset()
        }
        if scored {
            state.correct += correct
            state.scored += samples
        }
        if loss.isFinite { update() }
        return (loss, samples)
    }

    /// Clipping and the optimizer step, once the gradients are in.
    private func update() {
        if let maxNorm = options.clipGradNorm {
            state.lastGradNorm = Double(clipGradNorm(model.parameters, maxNorm: maxNorm))
        }
        optimizer.step()
    }

    private func waitWhilePaused() throws {
        guard control.isPaused && !control.stopRequested else { return }
        emit(.paused(true))
        while control.isPaused && !control.stopRequested {
            if control.takeSaveRequest() { try saveCheckpoint(.manual) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        emit(.paused(false))
    }

    private func asksForValidation(at point: LoopPoint) -> Bool {
        hasValidation && handlers.contains { $0.wantsValidation(self, at: point) }
    }

    /// Runs validation now, emits `epoch_end` and hands the result to every handler.
    @discardableResult
    func validate(epoch: Int, trainLoss: Double, trainAccuracy: Double?) throws -> EvaluationResult? {
        guard let runValidation else { return nil }
        try dataParallel?.checkWeightsAgree(model.parameters)
        let result = try runValidation()
        emit(.epochEnd(EpochEnd(epoch: epoch, step: state.step, trainLoss: trainLoss, trainAccuracy: trainAccuracy,
                                result: result, task: task)))
        for handler in handlers { try handler.validated(self, result: result) }
        return result
    }

    /// Writes a checkpoint of `kind` with the model, the optimizer, the loop and every
    /// stateful handler; emits `checkpoint_saved`. Does nothing without a checkpointer.
    public func saveCheckpoint(_ kind: Checkpointer.Kind) throws {
        guard let checkpointer else { return }
        var handlerStates: [String: String] = [:]
        for handler in handlers {
            if let key = handler.stateKey, let json = try handler.stateJSON() { handlerStates[key] = json }
        }
        let snapshot = TrainingSnapshot(loopState: String(decoding: try JSONEncoder().encode(state), as: UTF8.self),
                                        optimizerState: optimizer.stateTensors(), handlerStates: handlerStates)
        let path = try checkpointer.save(kind: kind, step: state.step, parameters: model.parameters, snapshot: snapshot)
        emit(.checkpointSaved(CheckpointSaved(path: path, kind: kind, epoch: state.epoch)))
    }

    /// Continues from a checkpoint written by `saveCheckpoint`: weights, optimizer,
    /// loop state and the state of every handler whose key it holds.
    public func resume(from path: String) throws {
        let file = try Checkpointer.loadWeights(from: path, into: model)
        let snapshot = try Checkpointer.snapshot(in: file, path: path)
        state = try Checkpointer.decodeMetadata(TrainerState.self, snapshot.loopState, key: "trainboard.state", file: path)
        try optimizer.loadState(snapshot.optimizerState)
        for handler in handlers {
            if let key = handler.stateKey, let json = snapshot.handlerStates[key] {
                try handler.restoreState(json: json, file: path)
            }
        }
    }
}

/// Options of the loop itself, with PyTorch Lightning's meanings.
public struct TrainerOptions: Sendable, Equatable {
    /// Epochs to train (Lightning's `max_epochs`).
    public var maxEpochs: Int
    /// Stop after this many steps in all, if sooner (`max_steps`).
    public var maxSteps: Int?
    /// Clip the global gradient norm to this value before each optimizer step
    /// (`torch.nn.utils.clip_grad_norm_`; Lightning's `gradient_clip_val`).
    public var clipGradNorm: Float?
    /// Batches whose gradients one optimizer step averages (Lightning's
    /// `accumulate_grad_batches`): K batches of B train as one batch of K·B would
    /// (the average weighs each batch by its rows); the epoch's last step takes the
    /// batches left. Steps, events and `max_steps` count optimizer steps.
    public var accumulateGradBatches: Int

    public init(maxEpochs: Int = 5, maxSteps: Int? = nil, clipGradNorm: Float? = nil, accumulateGradBatches: Int = 1) {
        precondition(accumulateGradBatches >= 1, "accumulate_grad_batches must be at least 1, got \(accumulateGradBatches)")
        self.maxEpochs = maxEpochs
        self.maxSteps = maxSteps
        self.clipGradNorm = clipGradNorm
        self.accumulateGradBatches = accumulateGradBatches
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

/// Errors a run raises before or while training.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case unknownMonitor(String, available: [String])
    case incompatibleData(String)

    public var description: String {
        switch self {
        case let .unknownMonitor(name, available) where available.isEmpty:
            "early_stopping.monitor '\(name)' needs a validation split (data.validation_split > 0)"
        case let .unknownMonitor(name, available):
            "early_stopping.monitor '\(name)' is not a metric of this run; available: \(available.joined(separator: ", "))"
        case let .incompatibleData(text): text
        }
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
