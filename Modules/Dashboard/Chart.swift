import Foundation

/// One labelled curve of a ``Chart``.
public struct ChartSeries: Sendable {
    public var label: String
    public var points: [ChartPoint]
    public var style: Style

    public init(label: String, points: [ChartPoint], style: Style) {
        self.label = label
        self.points = points
        self.style = style
    }
}

/// A line chart drawn with braille dots: y axis with tick labels on the left (auto-scaled,
/// linear or log10), x axis with its range below. Long series are downsampled to one
/// min/max ``Bucket`` per pixel column, so the whole history always fits.
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
            for point in item.points where isPlottable(point) {
                let value = transform(point.y)
                low = min(low, value)
                high = max(high, value)
            }
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
            for point in item.points where isPlottable(point) {
                low = min(low, point.x)
                high = max(high, point.x)
            }
        }
        guard low <= high else { return nil }
        return high > low ? low...high : low...(low + 1)
    }

    /// Whether a point can be drawn: finite, and positive on a log scale.
    private func isPlottable(_ point: ChartPoint) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logScale || point.y > 0)
    }

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
        for item in series { drawSeries(item, on: &canvas, mapper: mapper) }
        canvas.draw(into: &frame, x: plot.x, y: plot.y)
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

    private func drawSeries(_ item: ChartSeries, on canvas: inout BrailleCanvas, mapper: PixelMapper) {
        if item.points.count <= canvas.pixelWidth {
            var previous: (x: Int, y: Int)?
            for point in item.points where isPlottable(point) {
                let pixel = (x: mapper.x(point.x), y: mapper.y(point.y))
                canvas.line(from: previous ?? pixel, to: pixel, style: item.style)
                previous = pixel
            }
            return
        }
        var previous: (x: Int, y: Int)?
        for (column, bucket) in Downsampler.buckets(item.points, count: canvas.pixelWidth, xRange: mapper.xRange, where: isPlottable).enumerated() {
            guard let bucket else { continue }
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
