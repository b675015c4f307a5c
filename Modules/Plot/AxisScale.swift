import Foundation

/// The data ranges of a ``Figure`` and the mapping from data to canvas coordinates.
///
/// x spans the drawable points exactly; y spans them with 5% headroom each side (in log10 space
/// on a log axis); a linear axis of non-negative data never goes below zero.
struct AxisScale: Sendable, Equatable {
    /// The x range in data units.
    var x: ClosedRange<Double>
    /// The y range in transformed units (log10 of the data on a log axis).
    var y: ClosedRange<Double>
    var logY: Bool
    /// Whether every x is a whole number (epochs, steps): x ticks are then whole numbers too.
    var integerX: Bool
    /// No drawable point: the ranges are placeholders.
    var isEmpty: Bool

    init(_ figure: Figure) {
        logY = figure.logY
        let points = figure.series.flatMap(\.points).filter(figure.isPlottable)
        isEmpty = points.isEmpty
        integerX = points.allSatisfy { $0.x == $0.x.rounded() }
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max() else {
            (x, y) = (0...1, 0...1)
            return
        }
        x = maxX > minX ? minX...maxX : (minX - 0.5)...(maxX + 0.5)
        let ys = points.map { figure.logY ? log10($0.y) : $0.y }
        var low = ys.min()!, high = ys.max()!
        if high - low < 1e-12 {
            let pad = max(abs(low) * 0.1, 1e-3)
            y = (low - pad)...(high + pad)
            return
        }
        // Non-negative data close to zero (within 15% of its span) starts the axis at a labelled 0.
        let pad = (high - low) * 0.05
        low = !figure.logY && low >= 0 ? (low <= 3 * pad ? 0 : low - pad) : low - pad
        high += pad
        y = low...high
    }

    /// Canvas x of data `value` for an axis from canvas `left` to `right`.
    func x(_ value: Double, from left: Double, to right: Double) -> Double {
        left + (value - x.lowerBound) / (x.upperBound - x.lowerBound) * (right - left)
    }

    /// Canvas y of data `value` for an axis from canvas `bottom` up to `top`.
    func y(_ value: Double, from bottom: Double, to top: Double) -> Double {
        let transformed = logY ? log10(value) : value
        return bottom - (transformed - y.lowerBound) / (y.upperBound - y.lowerBound) * (bottom - top)
    }

    func xTicks(maxCount: Int) -> ([Double], [String]) {
        let values = Ticks.linear(x, maxCount: maxCount, integers: integerX)
        return (values, Ticks.labels(values, step: Ticks.linearStep(x, maxCount: maxCount, integers: integerX)))
    }

    func yTicks(maxCount: Int) -> ([Double], [String]) {
        if logY {
            let values = Ticks.logarithmic(pow(10, y.lowerBound)...pow(10, y.upperBound), maxCount: maxCount)
            return (values, Ticks.logLabels(values))
        }
        let values = Ticks.linear(y, maxCount: maxCount)
        return (values, Ticks.labels(values, step: Ticks.linearStep(y, maxCount: maxCount)))
    }
}
