/// The points of a series that fall into one x bucket (one pixel column).
public struct Bucket: Sendable, Equatable {
    public var min: Double
    public var max: Double
    /// The first and last y in x order, to join neighbouring buckets.
    public var first: Double
    public var last: Double
    public var sum: Double
    public var count: Int

    public var mean: Double { sum / Double(count) }
}

/// Reduces a long series to one ``Bucket`` per pixel column, keeping each column's
/// minimum and maximum so spikes survive any amount of history.
public enum Downsampler {
    /// Buckets the `points` that pass `isIncluded` (and have finite coordinates) into `count`
    /// equal slices of `xRange`; slices without points are nil.
    public static func buckets(_ points: [ChartPoint], count: Int, xRange: ClosedRange<Double>,
                               where isIncluded: (ChartPoint) -> Bool = { _ in true }) -> [Bucket?] {
        guard count > 0 else { return [] }
        var result = [Bucket?](repeating: nil, count: count)
        let span = xRange.upperBound - xRange.lowerBound
        for point in points where point.y.isFinite && point.x.isFinite && isIncluded(point) {
            let position = span > 0 ? (point.x - xRange.lowerBound) / span : 0
            let index = Swift.min(count - 1, Swift.max(0, Int(position * Double(count))))
            if var bucket = result[index] {
                bucket.min = Swift.min(bucket.min, point.y)
                bucket.max = Swift.max(bucket.max, point.y)
                bucket.last = point.y
                bucket.sum += point.y
                bucket.count += 1
                result[index] = bucket
            } else {
                result[index] = Bucket(min: point.y, max: point.y, first: point.y, last: point.y, sum: point.y, count: 1)
            }
        }
        return result
    }
}
