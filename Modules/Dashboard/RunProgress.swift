import RunEvents
/// Where a run is and how fast it goes: epoch and batch counters, rates, elapsed time and ETA.
public struct RunProgress: Sendable, Equatable {
    /// Planned epochs and steps per epoch (0 until the run header arrives).
    public var epochs = 0
    public var stepsPerEpoch = 0
    /// The epoch of the latest batch (1-based; 0 before the first batch).
    public var epoch = 0
    /// The latest batch index within its epoch (1-based).
    public var batch = 0
    /// The latest global step (1-based).
    public var step = 0
    /// Epochs whose `epoch_end` has arrived.
    public var completedEpochs = 0
    /// Samples per second of the whole job (every rank's), over the latest epoch so far.
    public var samplesPerSec: Double = 0
    /// The gradient all-reduce's milliseconds per step, a moving average (weight 0.9 on the
    /// past) of data-parallel jobs' reports; nil for one process.
    public var allreduceMs: Double?
    /// Seconds since the run started, as reported (plus ``earlierElapsed``).
    public var elapsed: Double = 0
    /// Seconds the run's earlier segments took, before it was resumed: the reported
    /// `elapsed` of a resumed segment counts from its own start.
    public var earlierElapsed: Double = 0
    /// Steps made before this record begins (a run resumed into a new directory), which
    /// ``elapsed`` does not cover and the rate leaves out.
    public var untimedSteps = 0

    public init() {}

    /// Records a finished batch.
    public mutating func record(_ batch: BatchEnd) {
        epoch = batch.epoch
        self.batch = batch.batch
        step = batch.step
        samplesPerSec = batch.samplesPerSec
        if let reported = batch.allreduceMs, reported.isFinite {
            allreduceMs = allreduceMs.map { 0.9 * $0 + 0.1 * reported } ?? reported
        }
        elapsed = max(elapsed, earlierElapsed + batch.elapsed)
    }

    /// The share of a step's time the all-reduce takes, for global batches of `batchSize`.
    public func allreduceShare(batchSize: Int) -> Double? {
        guard let allreduceMs, samplesPerSec > 0, batchSize > 0 else { return nil }
        return min(1, allreduceMs / 1000 / (Double(batchSize) / samplesPerSec))
    }

    /// Average optimisation steps per second since the start.
    public var stepsPerSec: Double {
        elapsed > 0 ? Double(max(0, step - untimedSteps)) / elapsed : 0
    }

    /// Fraction of the current epoch's batches done, 0…1.
    public var batchFraction: Double {
        stepsPerEpoch > 0 ? min(1, Double(batch) / Double(stepsPerEpoch)) : 0
    }

    /// Fraction of all planned steps done, 0…1.
    public var runFraction: Double {
        let total = epochs * stepsPerEpoch
        return total > 0 ? min(1, Double(step) / Double(total)) : 0
    }

    /// Seconds left at the average rate so far, or nil before there is a rate.
    public var eta: Double? {
        let total = epochs * stepsPerEpoch
        guard total > 0, stepsPerSec > 0 else { return nil }
        return Double(max(0, total - step)) / stepsPerSec
    }
}
