/// Font sizes, spacing and line widths of a figure (canvas units: pixels for PNG, points for SVG/PDF).
public struct FigureOptions: Sendable, Equatable {
    public var titleSize: Double
    public var labelSize: Double
    public var tickSize: Double
    public var legendSize: Double
    /// Space between the canvas edge and the outermost text.
    public var margin: Double
    public var lineWidth: Double
    public var markerSize: Double
    /// At most this many markers per series (all points when it has no more).
    public var markersPerSeries: Int
    /// Tick marks' length, outside the plot area.
    public var tickLength: Double

    public init(titleSize: Double = 17, labelSize: Double = 13, tickSize: Double = 12, legendSize: Double = 12,
                margin: Double = 14, lineWidth: Double = 2, markerSize: Double = 7, markersPerSeries: Int = 10,
                tickLength: Double = 5) {
        self.titleSize = titleSize
        self.labelSize = labelSize
        self.tickSize = tickSize
        self.legendSize = legendSize
        self.margin = margin
        self.lineWidth = lineWidth
        self.markerSize = markerSize
        self.markersPerSeries = markersPerSeries
        self.tickLength = tickLength
    }
}
