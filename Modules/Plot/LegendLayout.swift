/// One legend row: a short stretch of the series' line with its marker, and its name.
public struct LegendEntry: Sendable, Equatable {
    public var style: SeriesStyle
    public var lineFrom: CanvasPoint
    public var lineTo: CanvasPoint
    public var marker: CanvasPoint
    public var text: PlacedText
}

/// The legend: a framed box in the corner of the plot area its series cross least
/// (top right, then top left, bottom right, bottom left on a tie).
public struct LegendLayout: Sendable, Equatable {
    public var box: Box
    public var entries: [LegendEntry]
    /// `+N more` on the last row when the plot is too short for an entry per series.
    public var more: PlacedText?

    /// Space inside the frame, the sample line's length and the gap before a name.
    static let padding = 8.0, sampleLength = 34.0, gap = 8.0

    /// The legend of `series` inside `plot`; nil without series. Names wider than 45% of the
    /// plot are shortened with `…`; series beyond the rows that fit in the plot's height are
    /// counted in a last `+N more` row.
    init?(series: [SeriesPath], plot: Box, options: FigureOptions, metrics: some TextMetrics) {
        guard !series.isEmpty else { return nil }
        let size = options.legendSize, row = size * 1.6, inset = 10.0
        // The box sits `inset` from a corner, so it may take the plot's height less one inset.
        let rows = max(1, min(series.count, Int((plot.height - inset - 2 - 2 * Self.padding + row - size) / row)))
        let shown = rows < series.count ? rows - 1 : rows
        let moreText = rows < series.count ? "+\(series.count - shown) more" : nil
        let names = series.prefix(shown).map { metrics.fitting($0.name, size: size, maxWidth: plot.width * 0.45) }
        let textWidth = (names + (moreText.map { [$0] } ?? [])).map { metrics.width(of: $0, size: size) }.max() ?? 0
        let width = 2 * Self.padding + Self.sampleLength + Self.gap + textWidth
        let height = 2 * Self.padding + Double(rows) * row - (row - size)
        let corners = [Box(x: plot.maxX - inset - width, y: plot.y + inset, width: width, height: height),
                       Box(x: plot.x + inset, y: plot.y + inset, width: width, height: height),
                       Box(x: plot.maxX - inset - width, y: plot.maxY - inset - height, width: width, height: height),
                       Box(x: plot.x + inset, y: plot.maxY - inset - height, width: width, height: height)]
        let scores = corners.map { Self.crossings(of: $0, by: series) }
        let best = scores.indices.min { scores[$0] < scores[$1] } ?? 0
        box = corners[best]
        let box = box
        let middle = { (index: Int) in box.y + Self.padding + Double(index) * row + size / 2 }
        more = moreText.map { text in
            PlacedText(text, x: box.x + Self.padding + Self.sampleLength + Self.gap, y: middle(shown) + 0.36 * size, size: size,
                       width: metrics.width(of: text, size: size))
        }
        entries = zip(series, names).enumerated().map { index, pair in
            let middle = middle(index)
            let from = CanvasPoint(x: box.x + Self.padding, y: middle)
            let to = CanvasPoint(x: from.x + Self.sampleLength, y: middle)
            let text = PlacedText(pair.1, x: to.x + Self.gap, y: middle + 0.36 * size, size: size,
                                  width: metrics.width(of: pair.1, size: size))
            return LegendEntry(style: pair.0.style, lineFrom: from, lineTo: to,
                               marker: CanvasPoint(x: (from.x + to.x) / 2, y: middle), text: text)
        }
    }

    /// How many line segments and markers of `series` fall into `box`.
    static func crossings(of box: Box, by series: [SeriesPath]) -> Int {
        series.reduce(0) { total, path in
            let segments = path.lines.reduce(0) { count, line in
                count + (line.count == 1 ? (box.contains(line[0]) ? 1 : 0)
                                          : zip(line, line.dropFirst()).filter { box.intersects(from: $0, to: $1) }.count)
            }
            return total + segments + path.markers.filter(box.contains).count
        }
    }
}
