/// A per-step curve smoothed as it grows: every appended value goes through an
/// ``ExponentialAverage`` and its debiased average is kept in a bounded ``Series``.
///
/// Why smoothed series fed per step rather than smoothing the chart's column means at draw
/// time: smoothing per step is what the weight means (as in TensorBoard), so the curve does not
/// change shape with the terminal's width or the x zoom, and it is exact at the recent end.
/// Drawing stays `O(columns)`; each kept curve costs one `O(1)` append per step and a bounded
/// ``Series`` (about 1.4 MB at 100,000 steps). A curve is only kept once asked for (see
/// ``SmoothedLoss``): feeding three of them on every step made folding a run's events about 40%
/// slower, for curves most runs never show.
public struct SmoothedSeries: Sendable, Equatable {
    public private(set) var average: ExponentialAverage
    /// The smoothed values by x (non-finite inputs kept as they came, for the NaN markers).
    public private(set) var series: Series

    public init(weight: Double, capacity: Int = Series.defaultCapacity) {
        average = ExponentialAverage(weight: weight)
        series = Series(capacity: capacity)
    }

    /// The curve of the values of `raw` smoothed with `weight`: exactly, step by step, where
    /// `raw` still holds every point (its recent end, or all of a short run); before that from
    /// its summaries, one point per column of `capacity / 2` columns, each column's values
    /// counted as its mean (``ExponentialAverage/add(mean:count:)``).
    public init(weight: Double, replaying raw: Series) {
        self.init(weight: weight, capacity: raw.capacity)
        guard let start = raw.exactStart else { return }
        if let first = raw.values(.finite)?.firstX, first < Double(start) {
            let older = raw.columns(raw.capacity / 2, over: first...(Double(start) - 0.5))
            for case let bucket? in older.map({ $0?.values }) {
                if let value = average.add(mean: bucket.mean, count: bucket.count) { series.append(x: bucket.lastX, y: value) }
            }
        }
        for block in raw.recentPoints(from: start) ?? [] { append(x: block.lastPoint.x, y: block.lastPoint.y) }
    }

    /// Smooths `y` and appends the result at `x`.
    public mutating func append(x: Double, y: Double) {
        series.append(x: x, y: average.add(y))
    }
}

/// The batch loss smoothed with the ``Smoothing`` weights asked for so far: a curve is started
/// by ``keep(_:raw:)`` (from the raw loss's history, see ``SmoothedSeries/init(weight:replaying:)``)
/// and from then on fed every step, so switching back to a weight is instant.
public struct SmoothedLoss: Sendable, Equatable {
    /// One slot per weight but `off`; nil until kept.
    private var curves = [SmoothedSeries?](repeating: nil, count: Smoothing.allCases.count - 1)

    public init() {}

    /// The smoothed curve for `smoothing`; nil when off or not kept.
    public subscript(smoothing: Smoothing) -> Series? {
        smoothing == .off ? nil : curves[smoothing.rawValue - 1]?.series
    }

    /// Starts keeping the curve of `smoothing`, smoothed from `raw` (the batch losses so far);
    /// nothing when off or already kept.
    public mutating func keep(_ smoothing: Smoothing, raw: Series) {
        guard smoothing != .off, curves[smoothing.rawValue - 1] == nil else { return }
        curves[smoothing.rawValue - 1] = SmoothedSeries(weight: smoothing.weight, replaying: raw)
    }

    /// Appends `y` at `x` to every kept curve.
    public mutating func append(x: Double, y: Double) {
        for index in curves.indices where curves[index] != nil { curves[index]!.append(x: x, y: y) }
    }

    /// Smooths every kept curve again from `raw`, the batch losses truncated by a resume:
    /// exactly the curves of a run that never went past the resume's step while `raw` is exact.
    public mutating func rebuild(from raw: Series) {
        for index in curves.indices where curves[index] != nil {
            curves[index] = SmoothedSeries(weight: curves[index]!.average.weight, replaying: raw)
        }
    }
}
