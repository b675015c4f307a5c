/// A per-step curve smoothed as it grows: every appended value goes through an
/// ``ExponentialAverage`` and its debiased average is kept in a bounded ``Series``.
///
/// Why one smoothed series per offered weight rather than smoothing the chart's column means at
/// draw time: smoothing per step is what the weight means (as in TensorBoard), so the curve does
/// not change shape with the terminal's width or the x zoom, and it stays exact at the recent
/// end. The cost is one `O(1)` append per weight per step and a bounded ``Series`` each
/// (`O(capacity · log(steps))`, about 1.4 MB at 100,000 steps); drawing stays `O(columns)`.
public struct SmoothedSeries: Sendable, Equatable {
    public private(set) var average: ExponentialAverage
    /// The smoothed values by x (non-finite inputs kept as they came, for the NaN markers).
    public private(set) var series: Series

    public init(weight: Double, capacity: Int = Series.defaultCapacity) {
        average = ExponentialAverage(weight: weight)
        series = Series(capacity: capacity)
    }

    /// Smooths `y` and appends the result at `x`.
    public mutating func append(x: Double, y: Double) {
        series.append(x: x, y: average.add(y))
    }

    /// Drops the values beyond `x` (a resumed run undid them) and continues the average from the
    /// last value kept (exact while the series is exact there, see ``Series/truncate(after:)``).
    public mutating func truncate(after x: Double) {
        series.truncate(after: x)
        let finite = series.count - series.nonFiniteCount
        average = ExponentialAverage(weight: average.weight, count: finite, value: series.values(.finite)?.last ?? .nan)
    }
}

/// The running loss smoothed with every ``Smoothing`` weight but `off`, so a key switches the
/// weight at once, over the whole history.
public struct SmoothedLoss: Sendable, Equatable {
    private var curves = Smoothing.allCases.dropFirst().map { SmoothedSeries(weight: $0.weight) }

    public init() {}

    /// The smoothed curve for `smoothing`; nil when off.
    public subscript(smoothing: Smoothing) -> Series? {
        smoothing == .off ? nil : curves[smoothing.rawValue - 1].series
    }

    /// Appends `y` at `x` to every curve.
    public mutating func append(x: Double, y: Double) {
        for index in curves.indices { curves[index].append(x: x, y: y) }
    }

    /// Drops the values beyond `x` from every curve, given `raw`, the batch losses already
    /// truncated there. While `raw` is exact back to its first step (up to ``Series/capacity``
    /// steps), the curves are smoothed again from it: exactly the curves of a run that never
    /// went past `x`. Further back each curve continues from its last kept value (see
    /// ``SmoothedSeries/truncate(after:)``), equal up to rounding.
    public mutating func truncate(after x: Double, raw: Series) {
        guard let points = raw.recentPoints() else {
            for index in curves.indices { curves[index].truncate(after: x) }
            return
        }
        self = SmoothedLoss()
        for block in points { append(x: block.lastPoint.x, y: block.lastPoint.y) }
    }
}
