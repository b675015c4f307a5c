import Dashboard

/// One named curve of a ``Figure``: a run's metric, in x order.
public struct FigureSeries: Sendable, Equatable {
    /// The legend entry (e.g. a run name).
    public var name: String
    /// The points, `x` in steps or epochs; non-finite points (and non-positive ones on a log
    /// y axis) leave a gap in the line.
    public var points: [ChartPoint]

    public init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }
}

/// A line chart as a plain value: what to draw, not how or where. ``FigureLayout`` places it
/// on a canvas; ``FigureRenderer`` draws it with cairo.
public struct Figure: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// A log10 y axis (points with y ≤ 0 are left out).
    public var logY: Bool
    /// The curves, drawn in order; series `i` gets ``SeriesStyle/at(_:)`` `i`.
    public var series: [FigureSeries]

    public init(title: String, xLabel: String, yLabel: String, logY: Bool = false, series: [FigureSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.series = series
    }

    /// Whether `point` can be drawn on this figure's axes.
    public func isPlottable(_ point: ChartPoint) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logY || point.y > 0)
    }
}

/// The canvas size: pixels for PNG, points (1/72 inch) for SVG and PDF.
public struct FigureSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    /// The default: 900 × 540, a 5:3 chart that reads well in a README.
    public static let standard = FigureSize(width: 900, height: 540)
    /// The smallest canvas a chart is laid out on; below it labels would cover the plot.
    public static let minimum = FigureSize(width: 240, height: 160)

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// This size, grown to ``minimum`` where it is smaller.
    public var atLeastMinimum: FigureSize {
        FigureSize(width: max(width, Self.minimum.width), height: max(height, Self.minimum.height))
    }
}
