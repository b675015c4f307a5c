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

    /// All plotted values under `filter` merged (y extremes; x extent in `firstX…lastX` for a
    /// series, whose x grows), nil without any.
    func extent(_ filter: ValueFilter) -> (y: ClosedRange<Double>, x: ClosedRange<Double>)? {
        switch source {
        case .points(let points):
            var low = Double.infinity, high = -Double.infinity, left = Double.infinity, right = -Double.infinity
            for point in points where point.x.isFinite && filter.includes(point.y) {
                (low, high) = (min(low, point.y), max(high, point.y))
                (left, right) = (min(left, point.x), max(right, point.x))
            }
            return low <= high ? (low...high, left...right) : nil
        case .series(let series):
            return series.values(filter).map { ($0.min...$0.max, min($0.firstX, $0.lastX)...max($0.firstX, $0.lastX)) }
        }
    }

    /// The exact points as one-point blocks when there are at most `limit` of them, else nil.
    func exactPoints(limit: Int) -> [SeriesBlock]? {
        guard count <= limit else { return nil }
        switch source {
        case .points(let points): return points.filter { $0.x.isFinite }.map { SeriesBlock($0, index: 0) }
        case .series(let series): return series.recentPoints()
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

/// A line chart drawn with braille dots: y axis with tick labels on the left (auto-scaled,
/// linear or log10), x axis with its range below. Long series are drawn as one min/max
/// ``Bucket`` per pixel column, so the whole history always fits; columns holding NaN or ±inf
/// values get a `×` marker on the x axis.
public struct Chart: Sendable {
    public var series: [ChartSeries]
    public var logScale: Bool
    /// Unit of the x axis, printed after its range (e.g. `step`, `epoch`).
    public var xLabel: String
    /// A range the y axis always includes on a linear scale (e.g. `0...1` for accuracy).
    public var yInclude: ClosedRange<Double>?

    /// Columns taken by the tick labels and the axis line.
    public static let axisWidth = 8

    public init(series: [ChartSeries], logScale: Bool = false, xLabel: String, yInclude: ClosedRange<Double>? = nil) {
        self.series = series
        self.logScale = logScale
        self.xLabel = xLabel
        self.yInclude = yInclude
    }

    /// The plot area (braille cells) inside `rect`.
    public static func plotRect(in rect: Rect) -> Rect {
        Rect(x: rect.x + axisWidth, y: rect.y, width: rect.width - axisWidth, height: rect.height - 2)
    }

    /// The y range in transformed (log10 when ``logScale``) space, nil without plottable data.
    public var yRange: ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for item in series {
            guard let extent = item.extent(filter) else { continue }
            low = min(low, transform(extent.y.lowerBound))
            high = max(high, transform(extent.y.upperBound))
        }
        guard low <= high else { return nil }
        if let include = yInclude, !logScale {
            low = min(low, include.lowerBound)
            high = max(high, include.upperBound)
        } else {
            // 5% headroom each side, but never below zero on a linear axis of non-negative
            // data (a loss axis should not start at -0.05).
            let pad = (high - low) * 0.05
            low = !logScale && low >= 0 ? max(0, low - pad) : low - pad
            high += pad
        }
        if high - low < 1e-12 {
            let pad = max(abs(low) * 0.1, 1e-3)
            return (low - pad)...(high + pad)
        }
        return low...high
    }

    /// The x range covered by all series, nil without points.
    public var xRange: ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for item in series {
            guard let extent = item.extent(filter) else { continue }
            low = min(low, extent.x.lowerBound)
            high = max(high, extent.x.upperBound)
        }
        guard low <= high else { return nil }
        return high > low ? low...high : low...(low + 1)
    }

    /// The values drawn: finite, and positive on a log scale.
    private var filter: ValueFilter { logScale ? .positive : .finite }

    /// Tick labels for a plot `rows` high: up to five rows, top and bottom included.
    public func yTicks(rows: Int) -> [(row: Int, label: String)] {
        guard rows > 0, let range = yRange else { return [] }
        let count = min(5, rows)
        return (0..<count).map { index in
            let row = count == 1 ? 0 : index * (rows - 1) / (count - 1)
            let position = rows == 1 ? 0 : Double(row) / Double(rows - 1)
            let value = inverse(range.upperBound - position * (range.upperBound - range.lowerBound))
            return (row, NumberFormat.compact(value))
        }
    }

    /// Draws axes, tick labels and the series into `rect` of `frame`.
    public func draw(into frame: inout Frame, in rect: Rect) {
        let plot = Self.plotRect(in: rect)
        guard plot.width >= 2, plot.height >= 1 else { return }
        drawAxes(into: &frame, rect: rect, plot: plot)
        guard let yRange, let xRange else {
            frame.put("waiting for data…", x: plot.x + 1, y: plot.y + plot.height / 2, style: .axis, clip: plot)
            return
        }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let mapper = PixelMapper(xRange: xRange, yRange: yRange, width: canvas.pixelWidth,
                                 height: canvas.pixelHeight, transform: transform)
        var markers = Set<Int>()
        for item in series { drawSeries(item, on: &canvas, mapper: mapper, markers: &markers) }
        canvas.draw(into: &frame, x: plot.x, y: plot.y)
        for pixel in markers.sorted() { frame.put("×", x: plot.x + pixel / 2, y: plot.maxY, style: .bad, clip: rect) }
        let axisRow = plot.maxY + 1
        let low = NumberFormat.axisX(xRange.lowerBound), high = NumberFormat.axisX(xRange.upperBound)
        frame.put(low, x: plot.x, y: axisRow, style: .axis, clip: rect)
        let right = "\(high) \(xLabel)"
        frame.put(right, x: plot.maxX - right.count, y: axisRow, style: .axis, clip: rect)
        for tick in yTicks(rows: plot.height) {
            let label = String(tick.label.suffix(Self.axisWidth - 1))
            frame.put(label, x: plot.x - 1 - label.count, y: plot.y + tick.row, style: .axis, clip: rect)
            frame.put("┤", x: plot.x - 1, y: plot.y + tick.row, style: .axis, clip: rect)
        }
    }

    private func drawAxes(into frame: inout Frame, rect: Rect, plot: Rect) {
        for row in plot.y..<plot.maxY { frame.put("│", x: plot.x - 1, y: row, style: .axis, clip: rect) }
        frame.put("└" + String(repeating: "─", count: plot.width), x: plot.x - 1, y: plot.maxY, style: .axis, clip: rect)
    }

    /// Draws one curve: every point joined by lines when there are at most as many as pixel
    /// columns, else each column's min…max span joined to its neighbours. Pixel columns holding
    /// non-finite values are added to `markers`.
    private func drawSeries(_ item: ChartSeries, on canvas: inout BrailleCanvas, mapper: PixelMapper, markers: inout Set<Int>) {
        var previous: (x: Int, y: Int)?
        if let points = item.exactPoints(limit: canvas.pixelWidth) {
            for block in points {
                if block.nonFinite > 0 { markers.insert(mapper.x(block.lastPoint.x)) }
                guard let bucket = block.values(filter) else { continue }
                let pixel = (x: mapper.x(bucket.firstX), y: mapper.y(bucket.first))
                canvas.line(from: previous ?? pixel, to: pixel, style: item.style)
                let end = (x: mapper.x(bucket.lastX), y: mapper.y(bucket.last))
                if bucket.count > 1 {
                    canvas.line(from: (pixel.x, mapper.y(bucket.max)), to: (pixel.x, mapper.y(bucket.min)), style: item.style)
                    canvas.line(from: pixel, to: end, style: item.style)
                }
                previous = end
            }
            return
        }
        for (column, summary) in item.columns(canvas.pixelWidth, over: mapper.xRange, filter: filter).enumerated() {
            guard let summary else { continue }
            if summary.nonFinite > 0 { markers.insert(column) }
            guard let bucket = summary.values else { continue }
            if let previous { canvas.line(from: previous, to: (column, mapper.y(bucket.first)), style: item.style) }
            canvas.line(from: (column, mapper.y(bucket.max)), to: (column, mapper.y(bucket.min)), style: item.style)
            previous = (column, mapper.y(bucket.last))
        }
    }

    private func transform(_ value: Double) -> Double {
        logScale ? log10(value) : value
    }

    private func inverse(_ value: Double) -> Double {
        logScale ? pow(10, value) : value
    }
}

/// Maps data coordinates to canvas pixels (y grows downwards).
private struct PixelMapper {
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let width: Int
    let height: Int
    let transform: (Double) -> Double

    func x(_ value: Double) -> Int {
        let span = xRange.upperBound - xRange.lowerBound
        return Int(((value - xRange.lowerBound) / span * Double(width - 1)).rounded())
    }

    func y(_ value: Double) -> Int {
        let span = yRange.upperBound - yRange.lowerBound
        return Int(((yRange.upperBound - transform(value)) / span * Double(height - 1)).rounded())
    }
}
