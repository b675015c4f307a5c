import RunEvents
/// A point of a chart series: `x` in steps or epochs, `y` the value.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A value together with the epoch it was measured at (latest or best figures).
public struct EpochValue: Sendable, Equatable {
    public var value: Double
    public var epoch: Int

    public init(value: Double, epoch: Int) {
        self.value = value
        self.epoch = epoch
    }
}

/// Everything the dashboard shows, folded from a run's events with ``apply(_:)-(RunEvent)``.
///
/// A plain value: the renderer reads it, the presenter snapshots it, tests build it by hand.
/// Its size does not grow per step: the per-step curves are bounded ``Series`` (exact at the
/// recent end, min/max/NaN summaries further back), the per-epoch ones plain arrays.
public struct DashboardModel: Sendable, Equatable {
    /// How many messages are kept (the oldest are dropped first).
    public static let messageLimit = 100

    /// The `run_started` header, once known.
    public var run: RunStarted?
    /// Raw batch loss per global step.
    public var rawLoss = Series()
    /// Running average loss of the epoch per global step.
    public var averageLoss = Series()
    /// Raw batch loss smoothed, per global step, with the weights chosen so far (see
    /// ``SmoothedSeries`` for why per step); ``handle(_:)`` starts a weight's curve.
    public var smoothedLoss = SmoothedLoss()
    /// Training loss (epoch average) per epoch.
    public var trainLoss: [ChartPoint] = []
    /// Validation loss per epoch.
    public var valLoss: [ChartPoint] = []
    /// Training accuracy per epoch.
    public var trainAccuracy: [ChartPoint] = []
    /// Validation accuracy per epoch.
    public var valAccuracy: [ChartPoint] = []
    public var latestValLoss: EpochValue?
    public var bestValLoss: EpochValue?
    public var latestValAccuracy: EpochValue?
    public var bestValAccuracy: EpochValue?
    public var learningRate: Double?
    public var gradNorm: Double?
    public var lastCheckpoint: CheckpointSaved?
    /// Where the run is and how fast it goes.
    public var progress = RunProgress()
    /// The last ``messageLimit`` messages, oldest first.
    public var messages: [RunMessage] = []
    /// The most recent epoch's metrics: the task panel's data, with the ROC and
    /// precision–recall curves of a binary run's last validation (`roc`, `pr`).
    public var lastEpoch: EpochEnd?
    /// Set by `run_ended`.
    public var ended: RunEnded?
    /// View state: toggled by keys, or reported by the trainer (paused).
    public var ui = UIState()
    /// The charted figures of every `epoch_end` folded so far, so that a `run_resumed` can drop
    /// those after its checkpoint: a few numbers per epoch, stored inline (the confusion matrix
    /// and curves of the last validation are in ``lastEpoch`` only).
    private var epochHistory: [EpochFigures] = []

    public init() {}

    /// The planned number of optimisation steps, if the run header is known.
    public var totalSteps: Int? {
        run.map { $0.epochs * $0.stepsPerEpoch }
    }

    /// Folds one event into the model.
    public mutating func apply(_ event: RunEvent) {
        switch event {
        case .runStarted(let started):
            run = started
            progress.epochs = started.epochs
            progress.stepsPerEpoch = started.stepsPerEpoch
        case .batchEnd(let batch):
            applyBatch(batch)
        case .epochEnd(let epoch):
            applyEpoch(epoch)
        case .checkpointSaved(let checkpoint):
            lastCheckpoint = checkpoint
        case .message(let message):
            post(message)
        case .paused(let flag):
            ui.paused = flag
        case .runResumed(let resumed):
            rewind(to: resumed)
        case .runEnded(let end):
            ended = end
            ui.finished = true
            ui.paused = false
        case .unknown:
            break
        }
    }

    /// Folds one parsed line: events are applied, malformed lines become warnings.
    public mutating func apply(_ line: EventCodec.Line) {
        switch line {
        case .event(let event): apply(event)
        case .blank: break
        case .malformed(let reason): post(RunMessage(level: .warning, text: reason))
        }
    }

    /// Appends a message, dropping the oldest beyond ``messageLimit``.
    public mutating func post(_ message: RunMessage) {
        messages.append(message)
        if messages.count > Self.messageLimit { messages.removeFirst(messages.count - Self.messageLimit) }
    }

    /// A resumed run continues from its checkpoint's step: what was folded after that step was
    /// undone (the end of the previous segment, or steps run after the checkpoint before a crash),
    /// so it is dropped; earlier segments' time counts towards the elapsed time.
    private mutating func rewind(to resumed: RunResumed) {
        let step = Double(resumed.step)
        rawLoss.truncate(after: step)
        averageLoss.truncate(after: step)
        smoothedLoss.rebuild(from: rawLoss)
        let isKept = { (epoch: Int, at: Int?) in at.map { $0 <= resumed.step } ?? (epoch <= resumed.epoch) }
        let kept = epochHistory.filter { isKept($0.epoch, $0.step) }
        let keptLast = lastEpoch.flatMap { isKept($0.epoch, $0.step) ? $0 : nil }
        epochHistory = []
        trainLoss = []
        valLoss = []
        trainAccuracy = []
        valAccuracy = []
        (latestValLoss, bestValLoss, latestValAccuracy, bestValAccuracy, lastEpoch) = (nil, nil, nil, nil, nil)
        progress.completedEpochs = 0
        kept.forEach { applyEpoch($0.event) }
        if let keptLast { lastEpoch = keptLast }
        progress.completedEpochs = max(progress.completedEpochs, resumed.epoch)
        if progress.elapsed == 0 { progress.untimedSteps = resumed.step }   // nothing of the run before is here
        progress.step = resumed.step
        progress.earlierElapsed = progress.elapsed
        ended = nil
        ui.finished = false
        ui.paused = false
        post(RunMessage(level: .info, text: "resumed from \(resumed.checkpoint) at step \(resumed.step) (epoch \(resumed.epoch))"))
    }

    private mutating func applyBatch(_ batch: BatchEnd) {
        let x = Double(batch.step)
        rawLoss.append(x: x, y: batch.loss)
        averageLoss.append(x: x, y: batch.avgLoss)
        smoothedLoss.append(x: x, y: batch.loss)
        learningRate = batch.lr
        gradNorm = batch.gradNorm
        progress.record(batch)
        if !batch.loss.isFinite && !ui.nanAlarmRaised {
            ui.nanAlarmRaised = true
            post(RunMessage(level: .error, text: "NaN/inf loss at step \(batch.step) (epoch \(batch.epoch))"))
        }
    }

    private mutating func applyEpoch(_ epoch: EpochEnd) {
        let x = Double(epoch.epoch)
        epochHistory.append(EpochFigures(epoch))
        lastEpoch = epoch
        progress.completedEpochs = max(progress.completedEpochs, epoch.epoch)
        if let elapsed = epoch.elapsed { progress.elapsed = max(progress.elapsed, progress.earlierElapsed + elapsed) }
        trainLoss.append(ChartPoint(x: x, y: epoch.trainLoss))
        if let accuracy = epoch.trainAccuracy { trainAccuracy.append(ChartPoint(x: x, y: accuracy)) }
        if let loss = epoch.valLoss {
            valLoss.append(ChartPoint(x: x, y: loss))
            latestValLoss = EpochValue(value: loss, epoch: epoch.epoch)
            if loss.isFinite, bestValLoss.map({ loss < $0.value }) ?? true {
                bestValLoss = latestValLoss
            }
        }
        if let accuracy = epoch.valAccuracy {
            valAccuracy.append(ChartPoint(x: x, y: accuracy))
            latestValAccuracy = EpochValue(value: accuracy, epoch: epoch.epoch)
            if accuracy.isFinite, bestValAccuracy.map({ accuracy > $0.value }) ?? true {
                bestValAccuracy = latestValAccuracy
            }
        }
    }
}

/// What the charts and best values need of an `epoch_end`.
private struct EpochFigures: Sendable, Equatable {
    var epoch: Int
    var step: Int?
    var trainLoss: Double
    var trainAccuracy, valLoss, valAccuracy, elapsed: Double?

    init(_ event: EpochEnd) {
        (epoch, step, trainLoss, trainAccuracy) = (event.epoch, event.step, event.trainLoss, event.trainAccuracy)
        (valLoss, valAccuracy, elapsed) = (event.valLoss, event.valAccuracy, event.elapsed)
    }

    var event: EpochEnd {
        EpochEnd(epoch: epoch, step: step, trainLoss: trainLoss, trainAccuracy: trainAccuracy, valLoss: valLoss,
                 valAccuracy: valAccuracy, elapsed: elapsed)
    }
}
