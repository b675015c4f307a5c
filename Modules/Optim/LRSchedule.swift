import NN

/// Which learning-rate schedule to run, with `torch.optim.lr_scheduler`'s options.
/// Counts are epochs, except `oneCycle`, which counts batches.
public enum SchedulerOptions: Sendable, Equatable {
    case step(stepSize: Int, gamma: Double = 0.1)
    case multiStep(milestones: [Int], gamma: Double = 0.1)
    case exponential(gamma: Double)
    /// `tMax` nil: the run's epochs.
    case cosine(tMax: Int? = nil, etaMin: Double = 0)
    /// `maxLR` nil: the optimizer's learning rate.
    case oneCycle(maxLR: Double? = nil, pctStart: Double = 0.3)
    case linearWarmup(startFactor: Double = 1.0 / 3, totalIters: Int = 5)
    case plateau(mode: ReduceLROnPlateau.Mode = .min, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                 minLR: Double = 0)
}

/// A schedule bound to a run: builds the scheduler for `SchedulerOptions` and steps
/// it at the right moments — per batch for one-cycle, per epoch (with the monitored
/// validation value for reduce-on-plateau) for the rest.
public struct LRSchedule {
    public private(set) var scheduler: any LearningRateScheduler
    /// True for schedules that step after every batch (one-cycle).
    public let perBatch: Bool
    /// True for schedules that read a validation metric (reduce-on-plateau).
    public let usesMetric: Bool
    private var applied = false

    /// - Parameters:
    ///   - options: the schedule to run.
    ///   - baseLR: the optimizer's initial learning rate.
    ///   - epochs: the run's length in epochs, for cosine's default `tMax` and one-cycle's total steps.
    ///   - stepsPerEpoch: batches per epoch, for one-cycle's total steps.
    public init(_ options: SchedulerOptions, baseLR: Float, epochs: Int, stepsPerEpoch: Int) {
        perBatch = if case .oneCycle = options { true } else { false }
        usesMetric = if case .plateau = options { true } else { false }
        switch options {
        case let .step(stepSize, gamma): scheduler = StepLR(baseLR: baseLR, stepSize: stepSize, gamma: Float(gamma))
        case let .multiStep(milestones, gamma): scheduler = MultiStepLR(baseLR: baseLR, milestones: milestones, gamma: Float(gamma))
        case let .exponential(gamma): scheduler = ExponentialLR(baseLR: baseLR, gamma: Float(gamma))
        case let .cosine(tMax, etaMin): scheduler = CosineAnnealingLR(baseLR: baseLR, tMax: tMax ?? epochs, etaMin: Float(etaMin))
        case let .oneCycle(maxLR, pctStart):
            scheduler = OneCycleLR(maxLR: Float(maxLR ?? Double(baseLR)), totalSteps: max(epochs * stepsPerEpoch, 1),
                                   pctStart: Float(pctStart))
        case let .linearWarmup(startFactor, totalIters):
            scheduler = LinearLR(baseLR: baseLR, startFactor: Float(startFactor), totalIters: totalIters)
        case let .plateau(mode, factor, patience, threshold, minLR):
            scheduler = ReduceLROnPlateau(baseLR: baseLR, mode: mode, factor: Float(factor),
                                          patience: patience, threshold: Float(threshold), minLR: Float(minLR))
        }
    }

    /// Sets the initial learning rate (once) before the first step; a resumed run's
    /// closed-form schedule continues at `epoch` (or `step` when it counts batches).
    public mutating func start(_ optimizer: any Optimizer, resumingAt epoch: Int, step: Int) {
        guard !applied else { return }
        applied = true
        if var closed = scheduler as? any ClosedFormScheduler {
            closed.lastEpoch = perBatch ? step : epoch
            scheduler = closed
            optimizer.learningRate = closed.learningRate(at: closed.lastEpoch)
        } else {
            scheduler.apply(to: optimizer)
        }
    }

    /// After each optimizer step.
    public mutating func batchEnded(optimizer: any Optimizer) {
        if perBatch { _ = scheduler.step(optimizer, metric: nil) }
    }

    /// After each epoch, with the monitored validation value when one was computed.
    public mutating func epochEnded(metric: Double?, optimizer: any Optimizer) {
        guard !perBatch else { return }
        if usesMetric, metric == nil { return }
        _ = scheduler.step(optimizer, metric: usesMetric ? metric.map(Float.init) : nil)
    }
}
