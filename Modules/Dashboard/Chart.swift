import Foundation

/// One labelled curve of a ``Chart``: a plain array of points (short series, e.g. per epoch)
/// or a bounded ``Series`` (per step); both draw the same for the same values.
public struct ChartSeries: Sendable {
    /// Where the curve's values come from.
    public enum Source: Sendable {
        case points([ChartPoint])
        case series(Series)
    }

    public var label: String
    public var source: Source
    public var style: Style

    public init(label: String, points: [ChartPoint], style: Style) {
        self.label = label
        self.source = .points(points)
        self.style = style
    }

    public init(label: String, series: Series, style: Style) {
        self.label = label
        self.source = .series(series)
        self.style = style
    }

    /// How many points the curve has.
    public var count: Int {
        switch source {
        case .points(let points): points.count
        case .series(let series): series.count
        }
    }

    /// The x extent of every point with a finite x (values outside the chart's filter too, so a
    /// NaN at the end still gets its marker), nil without any.
    var xExtent: ClosedRange<Double>? {
        switch source {
        case .points(let points):
            var left = Double.infinity, right = -Double.infinity
            for point in points where point.x.isFinite { (left, right) = (min(left, point.x), max(right, point.x)) }
            return left <= right ? left...right : nil
        case .series(let series):
            guard let last = series.last else { return nil }
            let first = series.values(.finite)?.firstX ?? last.x
            return min(first, last.x)...max(first, last.x)
        }
    }

    /// The exact points within `xRange` as one-point blocks when there are at most `limit` of
    /// them, else nil (then the curve is drawn from ``columns(_:over:filter:)``). For a series,
    /// only when level 0 still reaches back to the range's start.
    func exactPoints(limit: Int, over xRange: ClosedRange<Double>) -> [SeriesBlock]? {
        switch source {
        case .points(let points):
            let shown = points.filter { $0.x.isFinite && xRange.contains($0.x) }
            return shown.count <= limit ? shown.map { SeriesBlock($0, index: 0) } : nil
        case .series(let series):
            let low = Int(xRange.lowerBound.rounded(.down)), high = Int(xRange.upperBound.rounded(.down))
            guard series.count <= limit || high - low < limit else { return nil }
            return series.recentPoints(from: low)
        }
    }

    /// One summary per column: see ``Series/columns(_:over:filter:)``.
    func columns(_ count: Int, over xRange: ClosedRange<Double>, filter: ValueFilter) -> [ColumnSummary?] {
        switch source {
        case .points(let points):
            let width = Series.blockWidth(span: xRange.upperBound - xRange.lowerBound, columns: count)
            return Downsampler.columns(points, count: count, xRange: xRange, blockWidth: width, filter: filter)
        case .series(let series):
            return series.columns(count, over: xRange, filter: filter)
        }
    }
}

/// A line chart drawn with braille dots: y axis with tick labels on the left (linear or
/// log10), x axis with its range below. Long series are drawn as one min/max ``Bucket`` per
/// pixel column, so the whole history always fits; columns holding NaN or ±inf values get a `×`
/// marker on the x axis.
///
/// The y range follows what is shown (see ``scale(columns:)``): the visible x range (the whole
/// run, or its last ``xWindow``), with a first-steps spike left out of the range and marked `↑`
/// on the top row instead.
public struct Chart: Sendable {
    public var series: [ChartSeries]
    public var logScale: Bool
    /// Unit of the x axis, printed after its range (e.g. `step`, `epoch`).
    public var xLabel: String
    /// The width of the visible x range, ending at the newest x (nil: everything).
    public var xWindow: Double?
    /// A fixed range the y axis always includes on a linear scale, unpadded and never clipped:
    /// for axes with a natural range such as ROC and precision–recall curves (`0...1`). The
    /// training charts leave it nil and follow their values.
    public var yInclude: ClosedRange<Double>?

    /// Columns taken by the tick labels and the axis line.
    public static let axisWidth = 8
    /// The share of the visible x range whose maximum may be left out of the y range as an early
    /// spike (see ``scale(columns:)``).
    public static let spikeHead = 0.05

    public init(series: [ChartSeries], logScale: Bool = false, xLabel: String, xWindow: Double? = nil,
                yInclude: ClosedRange<Double>? = nil) {
        self.series = series
        self.logScale = logScale
        self.xLabel = xLabel
        self.xWindow = xWindow
        self.yInclude = yInclude
    }

    /// The plot area (braille cells) inside `rect`.
    public static func plotRect(in rect: Rect) -> Rect {
        Rect(x: rect.x + axisWidth, y: rect.y, width: rect.width - axisWidth, height: rect.height - 2)
    }

    /// The visible x range: the x extent of all series, cut to its last ``xWindow``; nil
    /// without points.
    public var xRange: ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for item in series {
            guard let extent = item.xExtent else { continue }
            low = min(low, extent.lowerBound)
            high = max(high, extent.upperBound)
        }
        guard low <= high else { return nil }
        if let xWindow, xWindow > 0, high - xWindow > low { low = high - xWindow }
        return high > low ? low...high : low...(low + 1)
    }

    /// The scale of a plot `columns` cells wide (`2·columns` pixel columns), nil without
    /// plottable data in the visible x range. The y range spans the extremes of the pixel
    /// columns, padded 5% (never below zero on a linear axis of non-negative data), except that
    /// a maximum in the first ``spikeHead`` of the columns is left out when it exceeds the
    /// maximum of the rest by more than the rest's span (and at least 4 columns of the rest hold
    /// values): those columns are ``ChartScale/clippedColumns``. With ``yInclude`` on a linear
    /// axis, the range is the values' extent widened to it instead. `O(columns)` per series.
    public func scale(columns: Int) -> ChartScale? {
        guard columns > 0, let xRange else { return nil }
        let width = columns * 2
        let plotted = series.map { item -> PlottedSeries in
            if let points = item.exactPoints(limit: width, over: xRange) { return .exact(points) }
            return .columns(item.columns(width, over: xRange, filter: filter))
        }
        var lows = [Double](repeating: .infinity, count: width), highs = [Double](repeating: -.infinity, count: width)
        func note(_ pixel: Int, _ bucket: Bucket) {
            let column = min(width - 1, max(0, pixel))
            lows[column] = min(lows[column], transform(bucket.min))
            highs[column] = max(highs[column], transform(bucket.max))
        }
        for item in plotted {
            switch item {
            case .exact(let blocks):
                for block in blocks {
                    if let bucket = block.values(filter) { note(PixelMapper.pixel(bucket.firstX, in: xRange, width: width), bucket) }
                }
            case .columns(let summaries):
                for (column, summary) in summaries.enumerated() { if let bucket = summary?.values { note(column, bucket) } }
            }
        }
        guard let extent = Self.spikeFreeExtent(lows: lows, highs: highs) else { return nil }
        if let yInclude, !logScale {
            let y = min(extent.low, yInclude.lowerBound)...max(highs.max()!, yInclude.upperBound)
            return ChartScale(x: xRange, y: y, clippedColumns: [], plotted: plotted)
        }
        let y = padded(extent.low, extent.high)
        let clipped = extent.clipped ? highs.indices.filter { highs[$0] > y.upperBound } : []
        return ChartScale(x: xRange, y: y, clippedColumns: clipped, plotted: plotted)
    }

    /// The lowest and highest of the columns' extremes, the highest leaving out an early spike
    /// (see ``scale(columns:)``); `clipped` when it did. Nil when no column holds values.
    static func spikeFreeExtent(lows: [Double], highs: [Double]) -> (low: Double, high: Double, clipped: Bool)? {
        let low = lows.min() ?? .infinity, high = highs.max() ?? -.infinity
        guard low <= high else { return nil }
        let head = min(highs.count, max(1, Int((Double(highs.count) * spikeHead).rounded(.up))))
        let rest = head..<highs.count
        guard rest.filter({ highs[$0].isFinite }).count >= 4,
              let restHigh = highs[rest].max(), let restLow = lows[rest].min(),
              let headHigh = highs[..<head].max() else { return (low, high, false) }
        let margin = max(restHigh - restLow, 1e-12 * max(1, abs(restHigh)))
        return headHigh > restHigh + margin ? (low, restHigh, true) : (low, high, false)
    }

    /// `low…high` with 5% headroom each side (never below zero on a linear axis of non-negative
    /// data: a loss axis should not start at -0.05), widened when flat.
    private func padded(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        let pad = (high - low) * 0.05
        let bottom = !logScale && low >= 0 ? max(0, low - pad) : low - pad, top = high + pad
        if top - bottom < 1e-12 {
            let flat = max(abs(bottom) * 0.1, 1e-3)
            return (bottom - flat)...(top + flat)
        }
        return bottom...top
    }

    /// The values drawn: finite, and positive on a log scale.
    private var filter: ValueFilter { logScale ? .positive : .finite }

    /// Tick labels for a plot `rows` high over the y range `range` (transformed space, see
    /// ``ChartScale/y``): up to five rows, top and bottom included.
    public func yTicks(rows: Int, range: ClosedRange<Double>) -> [(row: Int, label: String)] {
        guard rows > 0 else { return [] }
        let count = min(5, rows)
        return (0..<count).map { index in
            let row = count == 1 ? 0 : index * (rows - 1) / (count - 1)
            let position = rows == 1 ? 0 : Double(row) / Double(rows - 1)
            let value = inverse(range.upperBound - position * (range.upperBound - range.lowerBound))
            return (row, NumberFormat.compact(value))
        }
    }

    /// Draws axes, tick labels and the series into `rect` of `frame`; returns the scale used
    /// (nil when there was nothing to plot).
    @discardableResult
    public func draw(into frame: inout Frame, in rect: Rect) -> ChartScale? {
        let plot = Self.plotRect(in: rect)
        guard plot.width >= 2, plot.height >= 1 else { return nil }
        drawAxes(into: &frame, rect: rect, plot: plot)
        guard let scale = scale(columns: plot.width) else {
            frame.put("waiting for data…", x: plot.x + 1, y: plot.y + plot.height / 2, style: .axis, clip: plot)
            return nil
        }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let mapper = pixelMapper(scale, plot: plot)
        var markers = Set<Int>()
        for (item, plotted) in zip(series, scale.plotted) { drawSeries(plotted, style: item.style, on: &canvas, mapper: mapper, markers: &markers) }
        canvas.draw(into: &frame, x: plot.x, y: plot.y)
        for pixel in markers.sorted() { frame.put("×", x: plot.x + pixel / 2, y: plot.maxY, style: .bad, clip: rect) }
        for pixel in scale.clippedColumns { frame.put("↑", x: plot.x + pixel / 2, y: plot.y, style: .warning, clip: plot) }
        let axisRow = plot.maxY + 1
        let low = NumberFormat.axisX(scale.x.lowerBound), high = NumberFormat.axisX(scale.x.upperBound)
        frame.put(low, x: plot.x, y: axisRow, style: .axis, clip: rect)
        let right = "\(high) \(xLabel)"
        frame.put(right, x: plot.maxX - right.count, y: axisRow, style: .axis, clip: rect)
        for tick in yTicks(rows: plot.height, range: scale.y) {
            let label = String(tick.label.suffix(Self.axisWidth - 1))
            frame.put(label, x: plot.x - 1 - label.count, y: plot.y + tick.row, style: .axis, clip: rect)
            frame.put("┤", x: plot.x - 1, y: plot.y + tick.row, style: .axis, clip: rect)
        }
        return scale
    }

    /// How `scale` maps data onto the braille pixels of `plot` (2 × 4 per cell).
    func pixelMapper(_ scale: ChartScale, plot: Rect) -> PixelMapper {
        PixelMapper(xRange: scale.x, yRange: scale.y, width: plot.width * 2, height: plot.height * 4, transform: transform)
    }

    private func drawAxes(into frame: inout Frame, rect: Rect, plot: Rect) {
        for row in plot.y..<plot.maxY { frame.put("│", x: plot.x - 1, y: row, style: .axis, clip: rect) }
        frame.put("└" + String(repeating: "─", count: plot.width), x: plot.x - 1, y: plot.maxY, style: .axis, clip: rect)
    }

    /// Draws one curve: every point joined by lines when there are at most as many as pixel
    /// columns, else each column's min…max span joined to its neighbours. Pixel columns holding
    /// non-finite values are added to `markers`. Values beyond the y range leave the canvas.
    private func drawSeries(_ plotted: PlottedSeries, style: Style, on canvas: inout BrailleCanvas, mapper: PixelMapper, markers: inout Set<Int>) {
        var previous: (x: Int, y: Int)?
        switch plotted {
        case .exact(let points):
            for block in points {
                if block.nonFinite > 0 { markers.insert(mapper.x(block.lastPoint.x)) }
                guard let bucket = block.values(filter) else { continue }
                let pixel = (x: mapper.x(bucket.firstX), y: mapper.y(bucket.first))
                canvas.line(from: previous ?? pixel, to: pixel, style: style)
                let end = (x: mapper.x(bucket.lastX), y: mapper.y(bucket.last))
                if bucket.count > 1 {
                    canvas.line(from: (pixel.x, mapper.y(bucket.max)), to: (pixel.x, mapper.y(bucket.min)), style: style)
                    canvas.line(from: pixel, to: end, style: style)
                }
                previous = end
            }
        case .columns(let summaries):
            for (column, summary) in summaries.enumerated() {
                guard let summary else { continue }
                if summary.nonFinite > 0 { markers.insert(column) }
                guard let bucket = summary.values else { continue }
                if let previous { canvas.line(from: previous, to: (column, mapper.y(bucket.first)), style: style) }
                canvas.line(from: (column, mapper.y(bucket.max)), to: (column, mapper.y(bucket.min)), style: style)
                previous = (column, mapper.y(bucket.last))
            }
        }
    }

    private func transform(_ value: Double) -> Double {
        logScale ? log10(value) : value
    }

    private func inverse(_ value: Double) -> Double {
        logScale ? pow(10, value) : value
    }
}

/// Maps data coordinates to canvas pixels (y grows downwards). Pixels are clamped to one past
/// the canvas on each side, so values beyond the range (a clipped spike) draw lines off it.
struct PixelMapper {
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let width: Int
    let height: Int
    let transform: (Double) -> Double

    func x(_ value: Double) -> Int {
        Self.pixel(value, in: xRange, width: width)
    }

    func y(_ value: Double) -> Int {
        let span = yRange.upperBound - yRange.lowerBound
        return Self.clamped((yRange.upperBound - transform(value)) / span * Double(height - 1), count: height)
    }

    /// The pixel column of `value` on `width` columns over `range`.
    static func pixel(_ value: Double, in range: ClosedRange<Double>, width: Int) -> Int {
        clamped((value - range.lowerBound) / (range.upperBound - range.lowerBound) * Double(width - 1), count: width)
    }

    private static func clamped(_ position: Double, count: Int) -> Int {
        guard position.isFinite else { return position > 0 ? count : -1 }
        return Int(min(Double(count), max(-1, position.rounded())))
    }
}
