/// The two chart panels: loss per step (raw, running average or smoothed, validation) and
/// accuracy per epoch, both over the x range of ``ChartControls/zoom``.
public enum ChartPanel {
    /// The y-scale marker shown in chart titles.
    public static func scaleMarker(logScale: Bool) -> StyledText {
        logScale ? StyledText("[log y]", .warning) : StyledText("[lin y]", .axis)
    }

    /// The loss chart: raw batch loss, then the running average of the epoch (or, with
    /// smoothing on, the smoothed batch loss instead), and validation loss at each epoch's last step.
    public static func lossChart(_ model: DashboardModel) -> Chart {
        let stepsPerEpoch = Double(model.run?.stepsPerEpoch ?? 1)
        let validation = model.valLoss.map { ChartPoint(x: $0.x * stepsPerEpoch, y: $0.y) }
        let running = model.smoothedLoss[model.ui.charts.smoothing].map { ChartSeries(label: "smooth", series: $0, style: .accent) }
            ?? ChartSeries(label: "avg", series: model.averageLoss, style: .accent)
        return Chart(series: [ChartSeries(label: "raw", series: model.rawLoss, style: .secondary), running,
                              ChartSeries(label: "val", points: validation, style: .good)],
                     logScale: model.ui.logScale, xLabel: "step", xWindow: model.ui.charts.zoom.window(stepsPerUnit: 1))
    }

    /// The accuracy chart: training and validation accuracy per epoch, over the epochs the
    /// zoomed steps cover; the y axis follows the values.
    public static func accuracyChart(_ model: DashboardModel) -> Chart {
        Chart(series: [ChartSeries(label: "train", points: model.trainAccuracy, style: .accent),
                       ChartSeries(label: "val", points: model.valAccuracy, style: .good)],
              logScale: model.ui.logScale, xLabel: "epoch",
              xWindow: model.ui.charts.zoom.window(stepsPerUnit: Double(model.run?.stepsPerEpoch ?? 1)))
    }

    /// Draws `chart` in a bordered panel titled `name` with a legend of its series, the scale
    /// marker and `notes` (zoom, smoothing).
    public static func draw(_ chart: Chart, name: String, notes: [StyledText] = [], into frame: inout Frame, rect: Rect, focused: Bool) {
        var title = [StyledText(name), StyledText(" ")]
        for series in chart.series {
            title.append(StyledText("⣿", series.style))
            title.append(StyledText(" \(series.label) "))
        }
        title.append(scaleMarker(logScale: chart.logScale))
        let interior = Panel.draw(into: &frame, rect: rect, title: title + notes, focused: focused)
        chart.draw(into: &frame, in: interior)
    }
}
