/// The top four rows: run identity (two rows) and progress (two rows), the last ending with the
/// system line (``SystemLine``).
public enum HeaderView {
    /// Rows taken by the header.
    public static let height = 4

    /// Draws run name, config, task, loss with options, model summary, parameter count and seed.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect) {
        let clip = rect
        guard let run = model.run else {
            frame.put(" trainboard │ waiting for run_started…", x: rect.x, y: rect.y, style: .title, clip: clip)
            drawProgress(model, into: &frame, rect: rect)
            return
        }
        let separator = StyledText(" │ ", .border)
        let state = stateText(model)
        let stateColumn = rect.maxX - state.text.count - 1
        frame.put(state.text, x: stateColumn, y: rect.y, style: state.style, clip: clip)
        let left = Rect(x: rect.x, y: rect.y, width: stateColumn - 1 - rect.x, height: 1)
        Panel.write([StyledText(" trainboard", .title), separator, StyledText(run.run, .highlight), separator,
                     StyledText("config "), StyledText(run.config, .accent), separator,
                     StyledText(run.task.rawValue, .accent), separator, StyledText("seed \(run.seed)"), separator,
                     StyledText("batch \(run.batchSize)")],
                    into: &frame, x: rect.x, y: rect.y, clip: left)
        let options = run.lossOptions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let loss = options.isEmpty ? run.loss : "\(run.loss)(\(options))"
        Panel.write([StyledText(" loss "), StyledText(loss, .accent), separator,
                     StyledText("\(NumberFormat.grouped(run.model.parameters)) params", .accent), separator,
                     StyledText("model "), StyledText(run.model.layers.joined(separator: " → "))],
                    into: &frame, x: rect.x, y: rect.y + 1, clip: clip)
        drawProgress(model, into: &frame, rect: rect)
    }

    /// The run state shown at the right of the first row.
    public static func stateText(_ model: DashboardModel) -> StyledText {
        if let ended = model.ended {
            return StyledText("■ \(ended.reason.rawValue)", ended.reason == .completed || ended.reason == .earlyStopped ? .good : .bad)
        }
        if model.ui.paused { return StyledText("❚❚ PAUSED", .warning) }
        return model.run == nil ? StyledText("…", .axis) : StyledText("▶ running", .good)
    }

    private static func drawProgress(_ model: DashboardModel, into frame: inout Frame, rect: Rect) {
        let progress = model.progress
        let epochLabel = " epoch \(progress.epoch)/\(progress.epochs) "
        let batchLabel = "  batch \(progress.batch)/\(progress.stepsPerEpoch) "
        let barWidth = max(0, (rect.width - epochLabel.count - batchLabel.count - 12) / 2)
        var column = frame.put(epochLabel, x: rect.x, y: rect.y + 2, style: .title, clip: rect)
        let epochMeter = Meter(fraction: progress.runFraction, width: barWidth)
        epochMeter.draw(into: &frame, x: column, y: rect.y + 2, style: .accent)
        column = frame.put(" " + epochMeter.percent, x: column + barWidth, y: rect.y + 2, clip: rect)
        column = frame.put(batchLabel, x: column, y: rect.y + 2, style: .title, clip: rect)
        let batchMeter = Meter(fraction: progress.batchFraction, width: barWidth)
        batchMeter.draw(into: &frame, x: column, y: rect.y + 2, style: .secondary)
        frame.put(" " + batchMeter.percent, x: column + barWidth, y: rect.y + 2, clip: rect)

        let figures = SystemLine.draw(model.ui.system, into: &frame, rect: Rect(x: rect.x, y: rect.y + 3, width: rect.width, height: 1))
        let separator = StyledText(" │ ", .border)
        let eta = model.ui.finished ? "done" : progress.eta.map(NumberFormat.duration) ?? "--:--"
        var parts = [StyledText(" \(NumberFormat.rate(progress.stepsPerSec)) steps/s"), separator,
                     StyledText("\(NumberFormat.rate(progress.samplesPerSec)) samples/s"), separator,
                     StyledText("elapsed \(NumberFormat.duration(progress.elapsed))"), separator,
                     StyledText("ETA \(eta)", .accent), separator,
                     StyledText("step \(progress.step)/\(model.totalSteps ?? 0)")]
        if let ranks = PlainReport.ranksText(model) { parts += [separator, StyledText(ranks, .accent)] }
        Panel.write(parts, into: &frame, x: rect.x, y: rect.y + 3, clip: figures)
    }
}
