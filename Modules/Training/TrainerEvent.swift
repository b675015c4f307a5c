/// What the trainer reports while it runs. The dashboard, the headless
/// printer and the run files (`metrics.csv`, `events.jsonl`) all subscribe.
public enum TrainerEvent: Sendable {
    case runStarted(RunStart)
    case batchEnded(BatchEnd)
    /// A validation pass, with the training loss and accuracy running averages since the epoch began.
    case validationEnded(epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double?, result: EvaluationResult)
    case checkpointSaved(path: String, kind: String, epoch: Int)
    case message(level: String, text: String)
    case runEnded(reason: EndReason, epochs: Int, steps: Int, seconds: Double)

    /// Why a run ended.
    public enum EndReason: String, Sendable {
        case completed, stopped, earlyStopped = "early_stopped", nan, error
    }
}

/// Facts about a run known when it starts.
public struct RunStart: Sendable {
    public var epochs: Int
    public var stepsPerEpoch: Int
    public var batchSize: Int
    public var trainSamples: Int
    public var parameterCount: Int
    public var startEpoch: Int
}

/// One optimisation step's figures.
public struct BatchEnd: Sendable {
    public var epoch: Int
    /// Global step count, from 1.
    public var step: Int
    /// Batch index within the epoch, from 0.
    public var batch: Int
    public var batchesPerEpoch: Int
    /// This batch's loss.
    public var loss: Double
    /// Running average of this epoch's batch losses, weighted by batch size.
    public var runningLoss: Double
    public var learningRate: Double
    public var gradNorm: Double?
    public var samplesPerSecond: Double
    public var elapsed: Double
}
