/// The running (cumulative) average of per-batch values, weighted by batch size:
/// after batches with means `xᵢ` over `nᵢ` samples, `mean = Σ nᵢ·xᵢ / Σ nᵢ`,
/// the mean over all samples seen, as an epoch's training loss is reported.
/// Not an exponential moving average. Sums are kept in `Double`.
///
/// ```swift
/// var loss = RunningAverage()
/// loss.update(batchLoss, count: batchSize)   // per batch
/// print(loss.mean)                           // epoch loss so far
/// ```
public struct RunningAverage: Sendable, Equatable, Codable {
    /// `Σ nᵢ·xᵢ`.
    public private(set) var sum: Double = 0
    /// `Σ nᵢ`, the number of samples.
    public private(set) var count = 0

    public init() {}

    /// Adds a batch whose mean value is `value` over `count` samples.
    /// - Precondition: `count >= 0`.
    public mutating func update(_ value: Float, count: Int = 1) {
        precondition(count >= 0, "RunningAverage count must be non-negative, got \(count)")
        sum += Double(value) * Double(count)
        self.count += count
    }

    /// The weighted mean so far; 0 before any sample.
    public var mean: Float { count == 0 ? 0 : Float(sum / Double(count)) }

    /// Adds what `other` accumulated (the same samples seen in one accumulation;
    /// e.g. the shards of a data-parallel evaluation).
    public mutating func merge(_ other: RunningAverage) {
        sum += other.sum
        count += other.count
    }

    /// Forgets everything (start of an epoch).
    public mutating func reset() { self = RunningAverage() }
}
