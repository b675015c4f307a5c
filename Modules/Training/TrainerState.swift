/// Where the loop stands: enough to resume it exactly (saved in checkpoints as
/// `trainboard.state`). Policies keep their own state in their handlers.
public struct TrainerState: Sendable, Codable, Equatable {
    /// Completed epochs.
    public var epoch = 0
    /// Completed steps.
    public var step = 0
    /// Batches done in the current epoch (non-zero only for a mid-epoch save).
    public var batch = 0
    /// This epoch's loss sum (weighted by batch size) and the samples in it.
    public var lossSum = 0.0
    public var lossSamples = 0
    /// Correct predictions and samples scored this epoch (when the step reports outputs).
    public var correct = 0
    public var scored = 0
    /// The global gradient norm before the last clipping (when clipping).
    public var lastGradNorm: Double?
    /// Samples trained on and the time spent in training steps (validation excluded).
    public var trainSamples = 0
    public var trainSeconds = 0.0

    public init() {}

    /// Training throughput over the whole run so far.
    public var samplesPerSecond: Double { trainSeconds > 0 ? Double(trainSamples) / trainSeconds : 0 }
    /// This epoch's running average batch loss so far.
    public var runningLoss: Double { lossSamples > 0 ? lossSum / Double(lossSamples) : .nan }
    /// This epoch's running training accuracy, if outputs were reported.
    public var runningAccuracy: Double? { scored > 0 ? Double(correct) / Double(scored) : nil }

    /// Counts a finished step: batch `index` of the epoch, its size, loss and time.
    mutating func recordStep(batch index: Int, samples: Int, loss: Double, seconds: Double) {
        step += 1
        batch = index + 1
        lossSum += loss * Double(samples)
        lossSamples += samples
        trainSamples += samples
        trainSeconds += seconds
    }

    /// Closes the epoch: the running figures start again.
    mutating func endEpoch() {
        epoch += 1
        batch = 0
        lossSum = 0
        lossSamples = 0
        correct = 0
        scored = 0
    }
}
