import Dashboard
import Foundation

/// A tick of an axis: its value, where it sits along the axis (canvas x for the x axis,
/// canvas y for the y axis) and its label.
public struct AxisTick: Sendable, Equatable {
    public var value: Double
    public var position: Double
    public var label: PlacedText
}

/// A series mapped to the canvas: its lines (a gap wherever a point cannot be drawn) and the
/// points that carry a marker.
public struct SeriesPath: Sendable, Equatable {
    public var name: String
    public var style: SeriesStyle
    /// Polylines in canvas coordinates, each at least one point long.
    public var lines: [[CanvasPoint]]
    public var markers: [CanvasPoint]
}

/// Where everything of a ``Figure`` goes on a canvas of a given size: the plot area, title, axis
/// labels, ticks, the series as canvas polylines and the legend. Pure geometry: text is measured
/// by a ``TextMetrics``, so it is tested without cairo and drawn as is by ``FigureRenderer``.
public struct FigureLayout: Sendable, Equatable {
    public var size: FigureSize
    /// The plot area: the axes run along its left and bottom edges.
    public var plot: Box
    public var title: PlacedText
    public var xLabel: PlacedText
    /// Vertical, reading bottom to top, left of the y tick labels.
    public var yLabel: PlacedText
    public var xTicks: [AxisTick]
    public var yTicks: [AxisTick]
    public var series: [SeriesPath]
    /// Nil for a figure without series.
    public var legend: LegendLayout?
    /// Shown in the plot area when no series has a point to draw.
    public var emptyMessage: PlacedText?

    /// Lays `figure` out on a canvas of `size`.
    public init(_ figure: Figure, size: FigureSize, options: FigureOptions = FigureOptions(),
                metrics: some TextMetrics = ApproximateTextMetrics()) {
        let size = size.atLeastMinimum
        let width = Double(size.width), height = Double(size.height), o = options
        let line = { (fontSize: Double) in fontSize * (PlacedText.ascent + PlacedText.descent) }
        let scale = AxisScale(figure)
        let top = o.margin + line(o.titleSize) + 12
        let bottom = height - (o.margin + line(o.labelSize) + 8 + line(o.tickSize) + 4 + o.tickLength)

        // The y ticks first: their labels' width sets the left edge of the plot.
        let yCount = max(2, Int((bottom - top) / 48))
        let (yValues, yTexts) = scale.yTicks(maxCount: yCount)
        let yLabelWidth = yTexts.map { metrics.width(of: $0, size: o.tickSize) }.max() ?? 0
        let left = o.margin + line(o.labelSize) + 10 + yLabelWidth + 5 + o.tickLength
        var right = width - o.margin - 6

        // The x ticks: as many as fit without their labels touching; the last label may push
        // the plot's right edge in so that it is not clipped.
        var xCount = max(2, Int((right - left) / 80))
        var (xValues, xTexts) = scale.xTicks(maxCount: xCount)
        while xCount > 2
                && !Self.labelsFit(xValues, xTexts, scale: scale, from: left, to: right, metrics: metrics, size: o.tickSize) {
            xCount -= 1
            (xValues, xTexts) = scale.xTicks(maxCount: xCount)
        }
        if let value = xValues.last, let text = xTexts.last {
            let labelEnd = scale.x(value, from: left, to: right) + metrics.width(of: text, size: o.tickSize) / 2
            let overflow = labelEnd - (width - o.margin)
            if overflow > 0 { right -= overflow }
        }
        plot = Box(x: left, y: top, width: right - left, height: bottom - top)
        self.size = size
        let plot = plot

        let xTickY = plot.maxY + o.tickLength + 4 + PlacedText.ascent * o.tickSize
        xTicks = zip(xValues, xTexts).map { value, text in
            let position = scale.x(value, from: plot.x, to: plot.maxX), textWidth = metrics.width(of: text, size: o.tickSize)
            return AxisTick(value: value, position: position,
                            label: PlacedText(text, x: position - textWidth / 2, y: xTickY, size: o.tickSize, width: textWidth))
        }
        yTicks = zip(yValues, yTexts).map { value, text in
            let position = scale.y(value, from: plot.maxY, to: plot.y), textWidth = metrics.width(of: text, size: o.tickSize)
            return AxisTick(value: value, position: position,
                            label: PlacedText(text, x: plot.x - o.tickLength - 5 - textWidth, y: position + 0.36 * o.tickSize,
                                              size: o.tickSize, width: textWidth))
        }

        let titleText = metrics.fitting(figure.title, size: o.titleSize, maxWidth: width - 2 * o.margin, bold: true)
        let titleWidth = metrics.width(of: titleText, size: o.titleSize, bold: true)
        let titleX = min(max(o.margin, plot.x + plot.width / 2 - titleWidth / 2), width - o.margin - titleWidth)
        title = PlacedText(titleText, x: titleX, y: o.margin + PlacedText.ascent * o.titleSize, size: o.titleSize,
                           width: titleWidth, bold: true)
        let xText = metrics.fitting(figure.xLabel, size: o.labelSize, maxWidth: plot.width)
        let xWidth = metrics.width(of: xText, size: o.labelSize)
        xLabel = PlacedText(xText, x: plot.x + plot.width / 2 - xWidth / 2,
                            y: height - o.margin - PlacedText.descent * o.labelSize, size: o.labelSize, width: xWidth)
        let yText = metrics.fitting(figure.yLabel, size: o.labelSize, maxWidth: plot.height)
        let yWidth = metrics.width(of: yText, size: o.labelSize)
        yLabel = PlacedText(yText, x: o.margin + PlacedText.ascent * o.labelSize, y: plot.y + plot.height / 2 + yWidth / 2,
                            size: o.labelSize, width: yWidth, vertical: true)

        series = figure.series.enumerated().map { index, item in
            Self.path(item, index: index, of: figure.series.count, figure: figure, scale: scale, plot: plot, options: o)
        }
        legend = LegendLayout(series: series, plot: plot, options: o, metrics: metrics)
        if scale.isEmpty {
            let text = "no data to plot", textWidth = metrics.width(of: text, size: o.labelSize)
            emptyMessage = PlacedText(text, x: plot.x + plot.width / 2 - textWidth / 2, y: plot.y + plot.height / 2,
                                      size: o.labelSize, width: textWidth)
        }
    }

    /// Every text of the figure (title, axis labels, tick labels, legend entries).
    public var texts: [PlacedText] {
        [title, xLabel, yLabel] + xTicks.map(\.label) + yTicks.map(\.label) + (legend?.entries.map(\.text) ?? [])
            + [legend?.more, emptyMessage].compactMap { $0 }
    }

    /// Whether the x tick labels, centred on their ticks, keep a gap of at least one character.
    private static func labelsFit(_ values: [Double], _ texts: [String], scale: AxisScale, from left: Double, to right: Double,
                                  metrics: some TextMetrics, size: Double) -> Bool {
        let spans = zip(values, texts).map { value, text in
            let center = scale.x(value, from: left, to: right), half = metrics.width(of: text, size: size) / 2
            return (center - half, center + half)
        }
        return zip(spans, spans.dropFirst()).allSatisfy { $0.1 + size * 0.8 <= $1.0 }
    }

    /// Series `index` of `count` in canvas coordinates, with up to `markersPerSeries` markers
    /// spread along it (shifted per series so that overlapping series' markers do not coincide).
    private static func path(_ item: FigureSeries, index: Int, of count: Int, figure: Figure, scale: AxisScale, plot: Box,
                             options: FigureOptions) -> SeriesPath {
        var lines: [[CanvasPoint]] = [], current: [CanvasPoint] = [], drawable: [CanvasPoint] = []
        for point in item.points {
            guard figure.isPlottable(point) else {
                if !current.isEmpty { lines.append(current) }
                current = []
                continue
            }
            let mapped = CanvasPoint(x: scale.x(point.x, from: plot.x, to: plot.maxX),
                                     y: scale.y(point.y, from: plot.maxY, to: plot.y))
            current.append(mapped)
            drawable.append(mapped)
        }
        if !current.isEmpty { lines.append(current) }
        let wanted = max(1, options.markersPerSeries)
        let markers: [CanvasPoint]
        if drawable.count <= wanted {
            markers = drawable
        } else {
            let spacing = Double(drawable.count - 1) / Double(wanted)
            let phase = spacing * (0.5 + Double(index)) / Double(max(1, count))
            markers = (0..<wanted).map { drawable[min(drawable.count - 1, Int(phase + Double($0) * spacing))] }
        }
        return SeriesPath(name: item.name, style: SeriesStyle.at(index), lines: lines, markers: markers)
    }
}
