import Foundation

/// Tick values a reader can take in at a glance: 1, 2 or 5 × 10^k apart on a linear axis,
/// powers of ten (then 1-2-5 within a decade) on a log axis, and labels with just enough decimals.
public enum Ticks {
    /// At most `maxCount` (≥ 2) evenly spaced values inside `range`, a step of 1, 2 or 5 × 10^k;
    /// with `integers`, the step is at least 1 (epochs). Exact zero is written as 0, never -0 or 1e-17.
    public static func linear(_ range: ClosedRange<Double>, maxCount: Int, integers: Bool = false) -> [Double] {
        let step = linearStep(range, maxCount: maxCount, integers: integers)
        let first = (range.lowerBound / step - 1e-9).rounded(.up), last = (range.upperBound / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// The step ``linear(_:maxCount:integers:)`` uses.
    public static func linearStep(_ range: ClosedRange<Double>, maxCount: Int, integers: Bool = false) -> Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return 1 }
        let intervals = Double(max(1, maxCount - 1))
        var magnitude = pow(10, (log10(span / intervals)).rounded(.down))
        while true {
            for multiple in [1.0, 2, 5] {
                let step = multiple * magnitude
                if integers && step < 1 { continue }
                let count = (range.upperBound / step + 1e-9).rounded(.down) - (range.lowerBound / step - 1e-9).rounded(.up) + 1
                if count <= Double(max(2, maxCount)) { return step }
            }
            magnitude *= 10
        }
    }

    /// Values for a log10 axis over the positive `range` (data units): every power of ten in it
    /// (every second, third… when there are more than `maxCount`), or 1-2-5 multiples when
    /// fewer than two powers fall inside, or linear ticks when even those are too few.
    public static func logarithmic(_ range: ClosedRange<Double>, maxCount: Int) -> [Double] {
        guard range.lowerBound > 0 else { return linear(range, maxCount: maxCount) }
        let low = log10(range.lowerBound), high = log10(range.upperBound)
        let firstDecade = Int((low - 1e-9).rounded(.up)), lastDecade = Int((high + 1e-9).rounded(.down))
        let decades = lastDecade - firstDecade + 1
        if decades >= 2 {
            let every = (decades + max(2, maxCount) - 1) / max(2, maxCount)
            return stride(from: firstDecade, through: lastDecade, by: every).map { pow(10, Double($0)) }
        }
        let multiples = (Int(low.rounded(.down))...Int(high.rounded(.up))).flatMap { decade in
            [1.0, 2, 5].map { $0 * pow(10, Double(decade)) }
        }.filter { range.contains($0) }
        if multiples.count >= 2 && multiples.count <= maxCount { return multiples }
        return linear(range, maxCount: maxCount).filter { $0 > 0 }
    }

    /// Labels for linear ticks `step` apart: the same number of decimals for all (`0.0`, `0.5`,
    /// `1.0`), scientific notation for very large or very small magnitudes.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(abs).max() ?? 0
        if largest >= 1e6 || (step > 0 && step < 1e-4) { return values.map(scientific) }
        let decimals = step > 0 ? max(0, Int((-log10(step) - 1e-9).rounded(.up))) : 0
        return values.map { String(format: "%.\(decimals)f", $0) }
    }

    /// Labels for log ticks: each value on its own (`0.01`, `0.1`, `1`, `10`, `1e+06`).
    public static func logLabels(_ values: [Double]) -> [String] {
        values.map { value in
            (value >= 1e-4 && value < 1e6) ? String(format: "%g", value) : scientific(value)
        }
    }

    private static func scientific(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3g", value)
    }
}
