/// Chart columns from every point of a plain array: the reference that ``Series`` answers in
/// bounded memory (the same columns, tested), and what short series (per-epoch figures) use.
public enum Downsampler {
    /// The column, of `count` equal columns over `xRange`, that a block starting at x `start`
    /// goes to (clamped to the first and last column).
    public static func column(ofBlockStart start: Double, count: Int, xRange: ClosedRange<Double>) -> Int {
        let span = xRange.upperBound - xRange.lowerBound
        let position = span > 0 ? (start - xRange.lowerBound) / span : 0
        guard position.isFinite else { return 0 }
        return Swift.min(count - 1, Swift.max(0, Int(Swift.max(-1, Swift.min(2, position)) * Double(count))))
    }

    /// One summary per column for `count` equal columns over `xRange`, from every point: each
    /// point goes to its block of width `blockWidth` (x in `[i·w, (i+1)·w)`), and each block
    /// overlapping the range to the column of its start. Points with a non-finite x are skipped;
    /// values outside `filter` only count as markers when non-finite. Nil: a column without values.
    public static func columns(_ points: [ChartPoint], count: Int, xRange: ClosedRange<Double>, blockWidth: Int,
                               filter: ValueFilter = .finite) -> [ColumnSummary?] {
        guard count > 0 else { return [] }
        var result = [ColumnSummary?](repeating: nil, count: count)
        let width = Double(blockWidth)
        let first = (xRange.lowerBound / width).rounded(.down), last = (xRange.upperBound / width).rounded(.down)
        for point in points where point.x.isFinite && abs(point.x) < 0x1p52 {
            let block = (point.x / width).rounded(.down)
            guard block >= first, block <= last else { continue }
            let column = column(ofBlockStart: block * width, count: count, xRange: xRange)
            let summary = ColumnSummary(values: filter.includes(point.y) ? Bucket(point) : nil,
                                        nonFinite: point.y.isFinite ? 0 : 1)
            if result[column] == nil { result[column] = summary } else { result[column]!.merge(summary) }
        }
        return result
    }
}
