/// What each series of a ``ChartScale`` draws: its exact points, or one summary per pixel column.
enum PlottedSeries: Sendable {
    case exact([SeriesBlock])
    case columns([ColumnSummary?])
}

/// How a ``Chart`` maps its data onto a plot of a given width (``Chart/scale(columns:)``): the
/// visible x range, the y range, the pixel columns whose values were clipped as an early spike,
/// and what each series draws (computed once per frame).
public struct ChartScale: Sendable {
    /// The visible x range.
    public var x: ClosedRange<Double>
    /// The y range, in log10 space on a log axis.
    public var y: ClosedRange<Double>
    /// Pixel columns holding values above ``y`` (an early spike left out): drawn `↑` on the top row.
    public var clippedColumns: [Int]
    var plotted: [PlottedSeries]
}
