/// A summary of consecutive values of a series (one x block, or one chart column): extremes,
/// first and last value with their x, sum and count. Buckets merge: a chart column is the merge
/// of the blocks whose start falls into it, and a coarse block the merge of two finer ones.
public struct Bucket: Sendable, Equatable {
    public var min: Double
    public var max: Double
    /// The first and last y in x order, to join neighbouring buckets.
    public var first: Double
    public var last: Double
    /// The x of ``first`` and of ``last``.
    public var firstX: Double
    public var lastX: Double
    public var sum: Double
    public var count: Int

    /// A bucket of one point.
    public init(_ point: ChartPoint) {
        (min, max, first, last) = (point.y, point.y, point.y, point.y)
        (firstX, lastX, sum, count) = (point.x, point.x, point.y, 1)
    }

    /// A bucket of no values (`count == 0`); merging it changes nothing.
    static let empty = Bucket(min: .infinity, max: -.infinity, first: .nan, last: .nan, firstX: .nan, lastX: .nan, sum: 0, count: 0)

    private init(min: Double, max: Double, first: Double, last: Double, firstX: Double, lastX: Double, sum: Double, count: Int) {
        (self.min, self.max, self.first, self.last) = (min, max, first, last)
        (self.firstX, self.lastX, self.sum, self.count) = (firstX, lastX, sum, count)
    }

    public var mean: Double { sum / Double(count) }

    /// Adds `later`, which follows this bucket in x.
    public mutating func merge(_ later: Bucket) {
        guard later.count > 0 else { return }
        guard count > 0 else {
            self = later
            return
        }
        min = Swift.min(min, later.min)
        max = Swift.max(max, later.max)
        last = later.last
        lastX = later.lastX
        sum += later.sum
        count += later.count
    }

    /// `earlier` merged with `later` (either may be missing).
    static func merged(_ earlier: Bucket?, _ later: Bucket?) -> Bucket? {
        guard var result = earlier else { return later }
        if let later { result.merge(later) }
        return result
    }
}

/// Which values of a series a chart plots: finite ones (linear axis) or finite and positive
/// ones (log axis). Values left out are not drawn; non-finite ones are counted as markers.
public enum ValueFilter: Sendable, Equatable {
    case finite, positive

    /// Whether `value` is plotted under this filter.
    public func includes(_ value: Double) -> Bool {
        switch self {
        case .finite: value.isFinite
        case .positive: value.isFinite && value > 0
        }
    }
}

/// What falls into one chart column: the plotted values, and how many values were NaN or ±inf
/// (drawn as a marker under the column, so a NaN survives any amount of history).
public struct ColumnSummary: Sendable, Equatable {
    public var values: Bucket?
    public var nonFinite: Int

    public init(values: Bucket? = nil, nonFinite: Int = 0) {
        self.values = values
        self.nonFinite = nonFinite
    }

    /// Adds `later`, which follows this summary in x.
    public mutating func merge(_ later: ColumnSummary) {
        values = Bucket.merged(values, later.values)
        nonFinite += later.nonFinite
    }
}
