import RunEvents

/// The curves of a binary run's last validation, drawn beside its figures in the task panel:
/// the ROC curve (TPR by FPR, with the chance diagonal) and the precision–recall curve (with
/// the precision of predicting everything positive, the positives' share, as its chance line).
/// Both are small ``Chart``s drawn by one function; where the panel is too small for them,
/// only the figures are shown.
public enum CurvePanel {
    /// Cells a curve chart needs at least: a title row, a plot of 3 rows and the x axis (2 rows),
    /// 12 plot columns beside the y axis labels.
    public static let minimumChartSize = TerminalSize(columns: Chart.axisWidth + 12, rows: 6)
    /// Columns the figures keep beside the charts (their meters shrink to fit), and the fewest
    /// they give up to a chart in a narrow panel (labels and values, no meters).
    public static let figuresWidth = 24, compactFiguresWidth = 17

    /// Where the figures and the charts go inside a task panel's `interior`.
    public struct Layout: Sendable, Equatable {
        /// The figures' text, left.
        public var figures: Rect
        /// The ROC chart, right of the figures.
        public var roc: Rect
        /// The precision–recall chart, right of the ROC chart when there is room.
        public var precisionRecall: Rect?
    }

    /// The layout for `epoch` in `interior`: both charts side by side, else the ROC chart
    /// alone, else nil (figures only: no curves in the event, or no room). A chart's plot is
    /// kept at most twice as wide as a square; the figures take what is left.
    public static func layout(for epoch: EpochEnd, in interior: Rect) -> Layout? {
        guard let roc = epoch.roc, roc.count >= 2, interior.height >= minimumChartSize.rows else { return nil }
        let roomy = interior.width - figuresWidth - 1 >= minimumChartSize.columns
        let available = interior.width - (roomy ? figuresWidth : compactFiguresWidth) - 1
        let plotRows = interior.height - 3
        // A braille cell is 2×4 dots and about twice as tall as wide: a square plot is 2·rows wide.
        let widest = Chart.axisWidth + 4 * plotRows
        let wantsBoth = (epoch.pr?.count ?? 0) >= 2
        let count = wantsBoth && available >= 2 * minimumChartSize.columns + 1 ? 2 : (available >= minimumChartSize.columns ? 1 : 0)
        guard count > 0 else { return nil }
        let chartWidth = min(widest, (available - (count - 1)) / count)
        let chartsWidth = count * chartWidth + (count - 1)
        let (charts, figures) = interior.splitRight(chartsWidth)
        let (first, rest) = charts.splitLeft(chartWidth)
        return Layout(figures: Rect(x: figures.x, y: figures.y, width: figures.width - 1, height: figures.height),
                      roc: first, precisionRecall: count == 2 ? rest.splitRight(chartWidth).right : nil)
    }

    /// The ROC chart: the curve over the chance diagonal, both axes 0…1.
    public static func rocChart(_ points: [CurvePoint]) -> Chart {
        chart(points, reference: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1)], xLabel: "FPR")
    }

    /// The precision–recall chart: the curve over the precision at full recall (the share of
    /// positives, what a classifier without skill gets), both axes 0…1.
    public static func precisionRecallChart(_ points: [CurvePoint]) -> Chart {
        let chance = points.last?.y ?? 0
        return chart(points, reference: [ChartPoint(x: 0, y: chance), ChartPoint(x: 1, y: chance)], xLabel: "recall")
    }

    private static func chart(_ points: [CurvePoint], reference: [ChartPoint], xLabel: String) -> Chart {
        Chart(series: [ChartSeries(label: "chance", points: reference, style: .axis),
                       ChartSeries(label: "curve", points: points.map { ChartPoint(x: $0.x, y: $0.y) }, style: .good)],
              xLabel: xLabel, yInclude: 0...1)
    }

    /// Draws the charts of `layout` for `epoch`: each a title row (what is plotted and its area)
    /// above its chart.
    public static func draw(_ epoch: EpochEnd, layout: Layout, into frame: inout Frame) {
        if let roc = epoch.roc {
            draw(rocChart(roc), title: ("ROC", "TPR by FPR", "AUC", epoch.auroc), into: &frame, rect: layout.roc)
        }
        if let pr = epoch.pr, let rect = layout.precisionRecall {
            draw(precisionRecallChart(pr), title: ("PR", "precision by recall", "AP", epoch.averagePrecision), into: &frame, rect: rect)
        }
    }

    /// One chart under its title, `name · axes · AREA 0.955`, the axes dropped when too long.
    private static func draw(_ chart: Chart, title: (name: String, axes: String, area: String, value: Double?),
                             into frame: inout Frame, rect: Rect) {
        let (titleRow, plot) = rect.splitTop(1)
        let figure = title.value.map { "  \(title.area) " + NumberFormat.fixed($0, decimals: 3) } ?? ""
        var pieces = [StyledText(title.name, .accent), StyledText(" " + title.axes, .axis), StyledText(figure)]
        if pieces.reduce(0, { $0 + $1.text.count }) > rect.width { pieces.remove(at: 1) }
        Panel.write(pieces, into: &frame, x: rect.x, y: rect.y, clip: titleRow)
        chart.draw(into: &frame, in: plot)
    }
}
