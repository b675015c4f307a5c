import CCairo
import Foundation

/// Draws a ``Figure`` with cairo and writes it as PNG (image surface), SVG or PDF (vector surfaces).
///
/// Layout is ``FigureLayout``'s, measured with the font cairo draws with (sans-serif through
/// fontconfig); this type only turns its geometry into cairo calls. Each series is stroked as
/// one path, so an SVG holds one `<path>` per series line.
public struct FigureRenderer: Sendable {
    public var options: FigureOptions

    public init(options: FigureOptions = FigureOptions()) {
        self.options = options
    }

    /// Writes `figure` at `size` to `path` in `format`; returns the layout it drew.
    @discardableResult
    public func write(_ figure: Figure, size: FigureSize = .standard, to path: String, format: ImageFormat) throws(PlotError)
        -> FigureLayout {
        let size = size.atLeastMinimum, width = size.width, height = size.height
        let surface: OpaquePointer? = switch format {
        case .png: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        case .svg: cairo_svg_surface_create(path, Double(width), Double(height))
        case .pdf: cairo_pdf_surface_create(path, Double(width), Double(height))
        }
        guard let surface else { throw PlotError(path: path, reason: "cairo could not create a surface") }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), path)
        guard let context = cairo_create(surface) else { throw PlotError(path: path, reason: "cairo could not create a context") }
        defer { cairo_destroy(context) }
        let layout = FigureLayout(figure, size: size, options: options,
                                  metrics: CairoTextMetrics(context: context))
        CairoPainter(context: context, options: options).draw(layout)
        try check(cairo_status(context), path)
        if format == .png { try check(cairo_surface_write_to_png(surface, path), path) }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), path)
        return layout
    }

    private func check(_ status: cairo_status_t, _ path: String) throws(PlotError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let reason = String(cString: cairo_status_to_string(status))
        throw PlotError(path: path, reason: status == CAIRO_STATUS_WRITE_ERROR ? "\(reason) (does its folder exist?)" : reason)
    }
}

/// Selects the figure's font on a cairo context.
private func selectFont(_ context: OpaquePointer, size: Double, bold: Bool) {
    let weight = bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
    cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL, weight)
    cairo_set_font_size(context, size)
}

/// Text widths as cairo will draw them.
private struct CairoTextMetrics: TextMetrics {
    let context: OpaquePointer

    func width(of text: String, size: Double, bold: Bool) -> Double {
        selectFont(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }
}

/// Turns a ``FigureLayout`` into cairo drawing calls.
private struct CairoPainter {
    let context: OpaquePointer
    let options: FigureOptions

    static let ink = RGB(red: 0.13, green: 0.13, blue: 0.13), frame = RGB(red: 0.35, green: 0.35, blue: 0.35)
    static let grid = RGB(red: 0.89, green: 0.89, blue: 0.89)

    func draw(_ layout: FigureLayout) {
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        drawAxes(layout)
        for series in layout.series { drawSeries(series) }
        if let legend = layout.legend { drawLegend(legend) }
        for text in [layout.title, layout.xLabel, layout.yLabel] + (layout.emptyMessage.map { [$0] } ?? []) { drawText(text) }
    }

    /// Grid lines at the ticks, the frame of the plot area, tick marks and their labels.
    private func drawAxes(_ layout: FigureLayout) {
        let plot = layout.plot, crisp = { (value: Double) in (value - 0.5).rounded() + 0.5 }   // nearest pixel centre
        cairo_set_line_width(context, 1)
        setColor(Self.grid)
        for tick in layout.xTicks { segment(crisp(tick.position), plot.y, crisp(tick.position), plot.maxY) }
        for tick in layout.yTicks { segment(plot.x, crisp(tick.position), plot.maxX, crisp(tick.position)) }
        cairo_stroke(context)
        setColor(Self.frame)
        cairo_rectangle(context, crisp(plot.x), crisp(plot.y), plot.width.rounded(), plot.height.rounded())
        let length = options.tickLength
        for tick in layout.xTicks { segment(crisp(tick.position), crisp(plot.maxY), crisp(tick.position), plot.maxY + length) }
        for tick in layout.yTicks { segment(plot.x - length, crisp(tick.position), crisp(plot.x), crisp(tick.position)) }
        cairo_stroke(context)
        for tick in layout.xTicks + layout.yTicks { drawText(tick.label) }
    }

    private func drawSeries(_ series: SeriesPath) {
        setLine(series.style)
        for line in series.lines where line.count > 1 {
            cairo_move_to(context, line[0].x, line[0].y)
            for point in line.dropFirst() { cairo_line_to(context, point.x, point.y) }
        }
        cairo_stroke(context)
        drawMarkers(series.markers, style: series.style)
    }

    private func drawLegend(_ legend: LegendLayout) {
        cairo_rectangle(context, legend.box.x.rounded() + 0.5, legend.box.y.rounded() + 0.5, legend.box.width.rounded(),
                        legend.box.height.rounded())
        cairo_set_source_rgba(context, 1, 1, 1, 0.92)
        cairo_fill_preserve(context)
        cairo_set_line_width(context, 1)
        setColor(Self.grid.darker)
        cairo_stroke(context)
        for entry in legend.entries {
            setLine(entry.style)
            segment(entry.lineFrom.x, entry.lineFrom.y, entry.lineTo.x, entry.lineTo.y)
            cairo_stroke(context)
            drawMarkers([entry.marker], style: entry.style)
            drawText(entry.text)
        }
        if let more = legend.more { drawText(more) }
    }

    /// All `points`' markers as one path: filled shapes, or stroked for the cross and plus.
    private func drawMarkers(_ points: [CanvasPoint], style: SeriesStyle) {
        guard !points.isEmpty else { return }
        let r = options.markerSize / 2
        cairo_set_dash(context, nil, 0, 0)
        setColor(style.color)
        for p in points {
            switch style.marker {
            case .circle:
                cairo_new_sub_path(context)
                cairo_arc(context, p.x, p.y, r * 0.9, 0, 2 * Double.pi)
            case .square: cairo_rectangle(context, p.x - r * 0.8, p.y - r * 0.8, r * 1.6, r * 1.6)
            case .triangle: polygon([(0, -1.15 * r), (1.05 * r, 0.75 * r), (-1.05 * r, 0.75 * r)], at: p)
            case .diamond: polygon([(0, -1.2 * r), (1.0 * r, 0), (0, 1.2 * r), (-1.0 * r, 0)], at: p)
            case .cross: segment(p.x - r, p.y - r, p.x + r, p.y + r); segment(p.x - r, p.y + r, p.x + r, p.y - r)
            case .plus: segment(p.x - r * 1.2, p.y, p.x + r * 1.2, p.y); segment(p.x, p.y - r * 1.2, p.x, p.y + r * 1.2)
            }
        }
        if style.marker == .cross || style.marker == .plus {
            cairo_set_line_width(context, options.lineWidth)
            cairo_stroke(context)
        } else {
            cairo_fill(context)
        }
    }

    private func drawText(_ text: PlacedText) {
        setColor(Self.ink)
        selectFont(context, size: text.size, bold: text.bold)
        cairo_save(context)
        cairo_move_to(context, text.x, text.y)
        if text.vertical { cairo_rotate(context, -Double.pi / 2) }
        cairo_show_text(context, text.text)
        cairo_restore(context)
    }

    private func setLine(_ style: SeriesStyle) {
        setColor(style.color)
        cairo_set_line_width(context, options.lineWidth)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, style.dash == .solid ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND)
        let pattern = style.dash.pattern(width: options.lineWidth)
        cairo_set_dash(context, pattern, Int32(pattern.count), 0)
    }

    private func setColor(_ color: RGB) {
        cairo_set_source_rgb(context, color.red, color.green, color.blue)
    }

    private func segment(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        cairo_move_to(context, x0, y0)
        cairo_line_to(context, x1, y1)
    }

    private func polygon(_ corners: [(Double, Double)], at p: CanvasPoint) {
        cairo_move_to(context, p.x + corners[0].0, p.y + corners[0].1)
        for corner in corners.dropFirst() { cairo_line_to(context, p.x + corner.0, p.y + corner.1) }
        cairo_close_path(context)
    }
}

private extension RGB {
    var darker: RGB { RGB(red: red * 0.75, green: green * 0.75, blue: blue * 0.75) }
}
