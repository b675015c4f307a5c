import Foundation

/// Renders a ``ComparisonModel`` into a ``Frame`` of exactly the given size. Pure: the same
/// model and size always give the same frame.
///
/// Layout: a header row (what is compared, how many runs, a status such as a sweep's progress),
/// the chosen metric of every shown run overlaid in one chart (legend in its title: each run's
/// mark letter in its color and its label; the letter is also drawn at the end of its curve,
/// so runs read apart with `NO_COLOR`), the runs table below it, and a footer with the keys.
public enum ComparisonRenderer {
    /// The frame for `model` on a terminal of `size`.
    public static func render(_ model: ComparisonModel, size: TerminalSize) -> Frame {
        var frame = Frame(size: size)
        guard size.fitsDashboard else {
            guard size.rows > 0 else { return frame }
            let note = DashboardRenderer.tooSmallNote(size)
            let text = note.count > size.columns ? "enlarge \(TerminalSize.minimum)" : note
            frame.put(text, x: max(0, (size.columns - text.count) / 2), y: size.rows / 2, style: .warning)
            return frame
        }
        let (header, rest) = frame.bounds.splitTop(1)
        let (footer, body) = rest.splitBottom(1)
        drawHeader(model, into: &frame, rect: header)
        drawFooter(model, into: &frame, rect: footer)
        let grid = RunsGrid(model, capWidths: true)
        let tableHeight = min(max(5, grid.rows.count + 3), body.height / 2)
        let (table, chart) = body.splitBottom(tableHeight)
        drawChart(model, into: &frame, rect: chart)
        drawTable(model, grid: grid, into: &frame, rect: table)
        return frame
    }

    /// The chart of the model's metric, one curve per shown run (smoothed per ``ChartControls``),
    /// over the zoomed steps: on an epoch axis the epochs they cover in the run with the most
    /// steps per epoch.
    public static func chart(_ model: ComparisonModel) -> Chart {
        let runs = model.chartRuns
        let stepsPerUnit = model.metric.perStep ? 1 : Double(runs.compactMap { $0.model.run?.stepsPerEpoch }.max() ?? 1)
        return Chart(series: runs.map { $0.curve(model.metric, smoothing: model.charts.smoothing) }, logScale: model.logScale,
                     xLabel: model.metric.xLabel, xWindow: model.charts.zoom.window(stepsPerUnit: stepsPerUnit))
    }

    private static func drawHeader(_ model: ComparisonModel, into frame: inout Frame, rect: Rect) {
        let rect = SystemLine.draw(model.system, into: &frame, rect: rect)
        let shown = model.tableRows.count
        var pieces = [StyledText(" trainboard compare", .title), StyledText(" │ \(model.title) │ \(model.runs.count) run\(model.runs.count == 1 ? "" : "s")")]
        if shown != model.runs.count { pieces.append(StyledText(" (\(shown) shown)")) }
        if let status = model.status { pieces.append(StyledText(" │ \(status)", .accent)) }
        Panel.write(pieces, into: &frame, x: rect.x, y: rect.y, clip: rect)
    }

    private static func drawFooter(_ model: ComparisonModel, into frame: inout Frame, rect: Rect) {
        var pieces: [StyledText] = []
        if model.editingFilter {
            pieces = [StyledText(" filter: ", .highlight), StyledText(model.filter + "▏"), StyledText("  Enter keeps, Esc clears", .axis)]
        } else {
            for (key, meaning) in [("q", "quit"), ("m", "metric"), ("/", "filter"), ("j/k", "select"), ("space", "hide"),
                                   ("b", "baseline"), ("s", "sort"), ("r", "reverse"), ("l", "log")] + ChartControls.keys {
                pieces += [StyledText(" \(key)", .highlight), StyledText(" \(meaning)")]
            }
            if !model.filter.isEmpty { pieces.append(StyledText("  filter: \(model.filter)", .warning)) }
        }
        Panel.write(pieces, into: &frame, x: rect.x, y: rect.y, clip: rect)
    }

    /// The chart panel; its title is the metric and the legend.
    private static func drawChart(_ model: ComparisonModel, into frame: inout Frame, rect: Rect) {
        let chart = chart(model)
        var title = [StyledText(model.metric.title), StyledText(" ")]
        for run in model.chartRuns {
            title.append(StyledText(String(run.mark), Style(run.style.role, bold: true)))
            title.append(StyledText("⣿", run.style))
            title.append(StyledText(" \(run.legendLabel()) "))
        }
        title.append(ChartPanel.scaleMarker(logScale: chart.logScale))
        title += model.charts.titleNotes(smoothed: !model.metric.perStep)
        let interior = Panel.draw(into: &frame, rect: rect, title: title, focused: false)
        guard let scale = chart.draw(into: &frame, in: interior) else { return }
        drawEndMarks(model, chart: chart, scale: scale, into: &frame, rect: interior)
    }

    /// Each shown run's mark letter just right of its curve's last point (inside the plot).
    private static func drawEndMarks(_ model: ComparisonModel, chart: Chart, scale: ChartScale, into frame: inout Frame, rect: Rect) {
        let plot = Chart.plotRect(in: rect)
        let mapper = chart.pixelMapper(scale, plot: plot)
        for (run, curve) in zip(model.chartRuns, chart.series) {
            guard let point = lastPoint(curve, logScale: chart.logScale) else { continue }
            let (pixelX, pixelY) = (mapper.x(point.x), mapper.y(point.y))
            guard pixelX >= 0 else { continue }
            let column = min(plot.maxX - 1, plot.x + pixelX / 2 + 1)
            let row = min(plot.maxY - 1, max(plot.y, plot.y + pixelY / 4))
            frame.put(String(run.mark), x: column, y: row, style: Style(run.style.role, bold: true), clip: plot)
        }
    }

    /// The last plotted point of a curve (finite, positive on a log scale).
    private static func lastPoint(_ curve: ChartSeries, logScale: Bool) -> ChartPoint? {
        let usable: (ChartPoint) -> Bool = { $0.x.isFinite && $0.y.isFinite && (!logScale || $0.y > 0) }
        switch curve.source {
        case .points(let points): return points.last(where: usable)
        case .series(let series):
            guard let bucket = series.values(logScale ? .positive : .finite) else { return nil }
            return ChartPoint(x: bucket.lastX, y: bucket.last)
        }
    }

    /// The runs table: the sort column's title marked ▲/▼, the selected row highlighted, the
    /// baseline marked `*`, hidden runs `-` and dimmed; scrolled to keep the selection in view.
    private static func drawTable(_ model: ComparisonModel, grid: RunsGrid, into frame: inout Frame, rect: Rect) {
        let sort = model.columns.contains(model.sortColumn) ? model.sortColumn : .run
        let title = [StyledText("runs"), StyledText(" sort: \(sort.title) \(model.sortDescending ? "▼" : "▲")", .axis)]
        let interior = Panel.draw(into: &frame, rect: rect, title: title, focused: false)
        guard interior.height >= 1 else { return }
        var column = interior.x + 4
        for (index, item) in grid.columns.enumerated() {
            let name = grid.padded(grid.columns.map(\.title))[index]
            frame.put(name, x: column, y: interior.y, style: item == sort ? .highlight : .title, clip: interior)
            column += grid.widths[index] + 2
        }
        let visible = interior.height - 1
        let selectedIndex = grid.rows.firstIndex { $0.id == model.selected } ?? 0
        let first = max(0, min(selectedIndex - visible + 1, grid.rows.count - visible))
        for (offset, index) in (first..<min(grid.rows.count, first + visible)).enumerated() {
            let run = grid.rows[index], y = interior.y + 1 + offset
            let style: Style = run.id == model.selected ? .highlight : run.hidden ? .axis : .normal
            if run.id == model.selected { frame.fill(Rect(x: interior.x, y: y, width: interior.width, height: 1), style: .highlight) }
            frame.put(String(run.mark), x: interior.x, y: y, style: Style(run.style.role, bold: true), clip: interior)
            frame.put((run.id == model.baseline ? "*" : " ") + (run.hidden ? "-" : " "), x: interior.x + 1, y: y, style: style, clip: interior)
            frame.put(grid.padded(grid.cells[index]).joined(separator: "  "), x: interior.x + 4, y: y, style: style, clip: interior)
        }
    }
}

/// The frame for `model` on a terminal of `size`; see ``ComparisonRenderer/render(_:size:)``.
public func render(_ model: ComparisonModel, size: TerminalSize) -> Frame {
    ComparisonRenderer.render(model, size: size)
}
