import NN
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Computes the learning rate over training, as `torch.optim.lr_scheduler`.
///
/// A scheduler is a value that counts its `step()` calls (`lastEpoch`, PyTorch's
/// name). `learningRate` is the rate after `lastEpoch` steps: on creation it is
/// the rate for step 0, which the trainer puts into the optimizer before
/// training. Call `step()` (or `step(optimizer)`) *after* `optimizer.step()`,
/// as in PyTorch:
/// - once per **epoch** for `StepLR`, `MultiStepLR`, `ExponentialLR`,
///   `CosineAnnealingLR`, `LinearLR` (their counts are epochs by convention;
///   they work per batch too if their sizes are given in batches);
/// - once per **batch** for `OneCycleLR` (its `totalSteps` counts batches);
/// - once per **epoch with the validation metric** for `ReduceLROnPlateau`.
///
/// ```swift
/// var scheduler = StepLR(baseLR: 0.1, stepSize: 30)
/// scheduler.apply(to: optimizer)
/// for epoch in 0..<90 { trainOneEpoch(); scheduler.step(optimizer) }
/// ```
/// Rates are computed in `Double` (PyTorch works in Python floats) and
/// returned as `Float`.
public protocol LearningRateScheduler {
    /// The rate after `lastEpoch` calls of `step`.
    var learningRate: Float { get }
    /// How many times `step` has been called (PyTorch's `last_epoch`, starting at 0 here).
    var lastEpoch: Int { get }
    /// Advances one epoch (or batch) and returns the new rate. `metric` is read
    /// by `ReduceLROnPlateau` only.
    @discardableResult
    mutating func step(metric: Float?) -> Float
    /// Writes the current rate (and, for `OneCycleLR`, the momentum) into
    /// `optimizer`. Call once before training; `step(_:metric:)` calls it after each step.
    func apply(to optimizer: any Optimizer)
}

extension LearningRateScheduler {
    /// Advances one step without a metric.
    @discardableResult
    public mutating func step() -> Float { step(metric: nil) }

    public func apply(to optimizer: any Optimizer) {
        optimizer.learningRate = learningRate
    }

    /// Advances one step and writes the new rate into the optimizer (`apply(to:)`).
    @discardableResult
    public mutating func step(_ optimizer: any Optimizer, metric: Float? = nil) -> Float {
        let rate = step(metric: metric)
        apply(to: optimizer)
        return rate
    }
}

/// A schedule that is a function of the step count alone.
public protocol ClosedFormScheduler: LearningRateScheduler {
    /// The count of `step` calls so far; set it to resume from a checkpoint.
    var lastEpoch: Int { get set }
    /// The rate after `t` steps, without changing the scheduler.
    func learningRate(at t: Int) -> Float
}

extension ClosedFormScheduler {
    public var learningRate: Float { learningRate(at: lastEpoch) }

    @discardableResult
    public mutating func step(metric: Float?) -> Float {
        lastEpoch += 1
        return learningRate
    }
}

/// Decays the rate by `gamma` every `stepSize` epochs, as `StepLR`:
/// `lr(t) = base · γ^⌊t / stepSize⌋`.
public struct StepLR: ClosedFormScheduler, Sendable {
    public let baseLR: Float
    public let stepSize: Int
    public let gamma: Float
    public var lastEpoch = 0

    public init(baseLR: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepLR stepSize must be positive, got \(stepSize)")
        self.baseLR = baseLR
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(at t: Int) -> Float {
        Float(Double(baseLR) * pow(Double(gamma), Double(t / stepSize)))
    }
}

/// Decays the rate by `gamma` at each milestone, as `MultiStepLR`:
/// `lr(t) = base · γ^(number of milestones ≤ t)`; a milestone listed twice counts twice.
public struct MultiStepLR: ClosedFormScheduler, Sendable {
    public let baseLR: Float
    public let milestones: [Int]
    public let gamma: Float
    public var lastEpoch = 0

    public init(baseLR: Float, milestones: [Int], gamma: Float = 0.1) {
        self.baseLR = baseLR
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    public func learningRate(at t: Int) -> Float {
        let passed = milestones.count { $0 <= t }
        return Float(Double(baseLR) * pow(Double(gamma), Double(passed)))
    }
}

/// Decays the rate by `gamma` every epoch, as `ExponentialLR`: `lr(t) = base · γᵗ`.
public struct ExponentialLR: ClosedFormScheduler, Sendable {
    public let baseLR: Float
    public let gamma: Float
    public var lastEpoch = 0

    public init(baseLR: Float, gamma: Float) {
        self.baseLR = baseLR
        self.gamma = gamma
    }

    public func learningRate(at t: Int) -> Float {
        Float(Double(baseLR) * pow(Double(gamma), Double(t)))
    }
}

/// Cosine annealing from `base` to `etaMin` over `tMax` epochs, as
/// `CosineAnnealingLR` (no restarts):
/// `lr(t) = η_min + (base − η_min)·(1 + cos(π·t / T_max)) / 2`.
/// Past `tMax` the cosine continues, rising again (period `2·tMax`), as PyTorch's.
public struct CosineAnnealingLR: ClosedFormScheduler, Sendable {
    public let baseLR: Float
    public let tMax: Int
    public let etaMin: Float
    public var lastEpoch = 0

    public init(baseLR: Float, tMax: Int, etaMin: Float = 0) {
        precondition(tMax > 0, "CosineAnnealingLR tMax must be positive, got \(tMax)")
        self.baseLR = baseLR
        self.tMax = tMax
        self.etaMin = etaMin
    }

    public func learningRate(at t: Int) -> Float {
        let low = Double(etaMin), high = Double(baseLR)
        return Float(low + (high - low) * (1 + cos(Double.pi * Double(t) / Double(tMax))) / 2)
    }
}

/// Scales the rate linearly from `startFactor·base` to `endFactor·base` over
/// `totalIters` steps, then holds it, as `LinearLR` (the usual linear warmup):
/// `lr(t) = base · (s + (e − s)·min(t, N) / N)`.
public struct LinearLR: ClosedFormScheduler, Sendable {
    public let baseLR: Float
    public let startFactor: Float
    public let endFactor: Float
    public let totalIters: Int
    public var lastEpoch = 0

    /// - Precondition: `0 < startFactor ≤ 1`, `0 ≤ endFactor ≤ 1` (PyTorch's checks), `totalIters > 0`.
    public init(baseLR: Float, startFactor: Float = 1.0 / 3, endFactor: Float = 1, totalIters: Int = 5) {
        precondition(startFactor > 0 && startFactor <= 1, "LinearLR startFactor must be in (0, 1], got \(startFactor)")
        precondition(endFactor >= 0 && endFactor <= 1, "LinearLR endFactor must be in [0, 1], got \(endFactor)")
        precondition(totalIters > 0, "LinearLR totalIters must be positive, got \(totalIters)")
        self.baseLR = baseLR
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
    }

    public func learningRate(at t: Int) -> Float {
        let s = Double(startFactor), e = Double(endFactor)
        let progress = Double(min(max(t, 0), totalIters)) / Double(totalIters)
        return Float(Double(baseLR) * (s + (e - s) * progress))
    }
}

/// Linear warmup: PyTorch's `LinearLR` under its common name.
public typealias LinearWarmup = LinearLR
