import Foundation

/// An exponential moving average with the debiasing correction (TensorBoard's smoothing):
/// `s_t = w·s_{t-1} + (1-w)·x_t` from `s_0 = 0`, shown as `s_t / (1 - w^t)`, so the first value
/// shown is the first value seen (not pulled towards zero) and later ones weigh the values seen
/// so far exactly. Non-finite values are passed through and leave the average unchanged (a NaN
/// does not poison every later value). `O(1)` memory and time per value.
public struct ExponentialAverage: Sendable, Equatable {
    /// The weight `w` of the previous average, in `0..<1`.
    public let weight: Double
    /// `s_t`, the biased average.
    private var biased = 0.0
    /// `w^t`, for the correction.
    private var decay = 1.0
    /// `t`: how many finite values were added.
    public private(set) var count = 0

    public init(weight: Double) {
        precondition(weight >= 0 && weight < 1, "a smoothing weight is in 0..<1")
        self.weight = weight
    }

    /// The debiased average of the values so far, nil before the first finite one.
    public var value: Double? {
        count > 0 ? biased / (1 - decay) : nil
    }

    /// Adds `x` and returns the debiased average (or `x` itself when it is not finite).
    public mutating func add(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        biased = weight * biased + (1 - weight) * x
        decay *= weight
        count += 1
        return value!
    }

    /// Adds `count` values whose mean is `mean` as if each were the mean (exact when they are
    /// equal): for history known only as block summaries. Returns the debiased average.
    @discardableResult
    public mutating func add(mean: Double, count n: Int) -> Double? {
        guard n > 0, mean.isFinite else { return value }
        let factor = pow(weight, Double(n))
        biased = factor * biased + (1 - factor) * mean
        decay *= factor
        count += n
        return value
    }

    /// `points` with their values smoothed in order (x unchanged): for the short per-epoch curves.
    public static func smoothed(_ points: [ChartPoint], weight: Double) -> [ChartPoint] {
        guard weight > 0 else { return points }
        var average = ExponentialAverage(weight: weight)
        return points.map { ChartPoint(x: $0.x, y: average.add($0.y)) }
    }
}
