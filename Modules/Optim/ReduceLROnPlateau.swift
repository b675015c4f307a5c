import NN
/// Cuts the rate when a validation metric stops improving, as
/// `torch.optim.lr_scheduler.ReduceLROnPlateau`; **steps per epoch with the metric**.
///
/// On each `step(metric:)`: the metric is "better" than the best so far when
/// - `.min`/`.relative`: `m < best·(1 − threshold)`; `.max`/`.relative`: `m > best·(1 + threshold)`;
/// - `.min`/`.absolute`: `m < best − threshold`; `.max`/`.absolute`: `m > best + threshold`.
///
/// A better metric becomes the best and resets the bad-epoch count; otherwise
/// the count grows (a NaN metric is never better). During cooldown the count
/// is held at 0. When the count exceeds `patience`, the rate becomes
/// `max(lr·factor, minLR)` (only if that lowers it by more than `eps`), and
/// cooldown starts. A `nil` metric changes nothing.
public struct ReduceLROnPlateau: LearningRateScheduler, Sendable {
    public enum Mode: String, Sendable, CaseIterable { case min, max }
    public enum ThresholdMode: String, Sendable { case relative = "rel", absolute = "abs" }

    public let mode: Mode
    public let factor: Float
    public let patience: Int
    public let threshold: Float
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minLR: Float
    public let eps: Float

    /// The current rate (settable with the counters below, to resume from a checkpoint).
    public var learningRate: Float
    public var lastEpoch = 0
    /// The best metric so far (`+∞` for `.min`, `−∞` for `.max` before any).
    public var best: Float
    /// Epochs since the last improvement.
    public var badEpochs = 0
    /// Epochs of cooldown left.
    public var cooldownCounter = 0

    /// - Precondition: `factor < 1` (PyTorch's check).
    public init(
        baseLR: Float, mode: Mode = .min, factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4,
        thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minLR: Float = 0, eps: Float = 1e-8
    ) {
        precondition(factor < 1, "ReduceLROnPlateau factor should be < 1.0, got \(factor)")
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
        self.learningRate = baseLR
        self.best = mode == .min ? .infinity : -.infinity
    }

    /// Whether `metric` improves on `best` by the threshold.
    public func isBetter(_ metric: Float) -> Bool {
        let m = Double(metric), b = Double(best), th = Double(threshold)
        switch (mode, thresholdMode) {
        case (.min, .relative): return m < b * (1 - th)
        case (.min, .absolute): return m < b - th
        case (.max, .relative): return m > b * (th + 1)
        case (.max, .absolute): return m > b + th
        }
    }

    @discardableResult
    public mutating func step(metric: Float?) -> Float {
        guard let metric else { return learningRate }
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            let old = Double(learningRate)
            let new = Swift.max(old * Double(factor), Double(minLR))
            if old - new > Double(eps) { learningRate = Float(new) }
            cooldownCounter = cooldown
            badEpochs = 0
        }
        return learningRate
    }
}
