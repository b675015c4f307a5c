/// The two chart panels: loss per step (raw, running average, validation) and accuracy per epoch.
public enum ChartPanel {
    /// The y-scale marker shown in chart titles.
    public static func scaleMarker(logScale: Bool) -> StyledText {
        logScale ? StyledText("[log y]", .warning) : StyledText("[lin y]", .axis)
    }

    /// The loss chart: raw batch loss, running average and validation loss (at each epoch's last step).
    public static func lossChart(_ model: DashboardModel) -> Chart {
        let stepsPerEpoch = Double(model.run?.stepsPerEpoch ?? 1)
        let validation = model.valLoss.map { ChartPoint(x: $0.x * stepsPerEpoch, y: $0.y) }
        return Chart(series: [ChartSeries(label: "raw", series: model.rawLoss, style: .secondary),
                              ChartSeries(label: "avg", series: model.averageLoss, style: .accent),
                              ChartSeries(label: "val", points: validation, style: .good)],
                     logScale: model.ui.logScale, xLabel: "step")
    }

    /// The accuracy chart: training and validation accuracy per epoch, y axis including 0…1.
    public static func accuracyChart(_ model: DashboardModel) -> Chart {
        Chart(series: [ChartSeries(label: "train", points: model.trainAccuracy, style: .accent),
                       ChartSeries(label: "val", points: model.valAccuracy, style: .good)],
              logScale: model.ui.logScale, xLabel: "epoch", yInclude: 0...1)
    }

    /// Draws `chart` in a bordered panel titled `name` with a legend of its series.
    public static func draw(_ chart: Chart, name: String, into frame: inout Frame, rect: Rect, focused: Bool) {
        var title = [StyledText(name), StyledText(" ")]
        for series in chart.series {
            title.append(StyledText("⣿", series.style))
            title.append(StyledText(" \(series.label) "))
        }
        title.append(scaleMarker(logScale: chart.logScale))
        let interior = Panel.draw(into: &frame, rect: rect, title: title, focused: focused)
        chart.draw(into: &frame, in: interior)
    }
}
