/// Renders a ``DashboardModel`` into a ``Frame`` of exactly the given size. Pure: the same
/// model and size always give the same frame; nothing is read from the terminal.
public enum DashboardRenderer {
    /// The frame for `model` on a terminal of `size`.
    public static func render(_ model: DashboardModel, size: TerminalSize) -> Frame {
        var frame = Frame(size: size)
        guard size.fitsDashboard else {
            drawTooSmall(size, into: &frame)
            return frame
        }
        let (header, rest) = frame.bounds.splitTop(HeaderView.height)
        let (footer, body) = rest.splitBottom(1)
        HeaderView.draw(model, into: &frame, rect: header)
        FooterView.draw(model, into: &frame, rect: footer)
        switch model.ui.focus {
        case .overview: drawOverview(model, into: &frame, body: body)
        case .loss: drawLoss(model, into: &frame, rect: body, focused: true)
        case .accuracy: drawAccuracy(model, into: &frame, rect: body, focused: true)
        case .task: TaskPanel.draw(model, into: &frame, rect: body, focused: true)
        case .messages: MessagesPanel.draw(model, into: &frame, rect: body, focused: true)
        }
        if model.ui.helpVisible { HelpOverlay.draw(readOnly: model.ui.readOnly, into: &frame, rect: body) }
        return frame
    }

    /// The note drawn instead of the dashboard on a terminal below ``TerminalSize/minimum``.
    public static func tooSmallNote(_ size: TerminalSize) -> String {
        "enlarge to \(TerminalSize.minimum.columns)×\(TerminalSize.minimum.rows) (now \(size))"
    }

    /// Charts on top; figures, task and (on wide terminals) messages below.
    private static func drawOverview(_ model: DashboardModel, into frame: inout Frame, body: Rect) {
        let bottomHeight = min(14, max(6, body.height * 2 / 5))
        let (bottom, top) = body.splitBottom(bottomHeight)
        let charts = top.columns(weights: [3, 2])
        drawLoss(model, into: &frame, rect: charts[0], focused: false)
        drawAccuracy(model, into: &frame, rect: charts[1], focused: false)
        let (figures, panels) = bottom.splitLeft(min(40, max(26, bottom.width * 3 / 10 + 4)))
        FiguresPanel.draw(model, into: &frame, rect: figures, focused: false)
        if body.width >= 100 {
            let columns = panels.columns(weights: [1, 1])
            TaskPanel.draw(model, into: &frame, rect: columns[0], focused: false)
            MessagesPanel.draw(model, into: &frame, rect: columns[1], focused: false)
        } else {
            TaskPanel.draw(model, into: &frame, rect: panels, focused: false)
            if let last = model.messages.last {
                let row = Rect(x: body.x, y: body.maxY - 1, width: body.width, height: 1)
                Panel.write([StyledText(" "), MessagesPanel.decoration(last.level), StyledText(last.text + " ", last.level == .error ? .bad : .normal)],
                            into: &frame, x: figures.x + 1, y: row.y, clip: row)
            }
        }
    }

    private static func drawLoss(_ model: DashboardModel, into frame: inout Frame, rect: Rect, focused: Bool) {
        ChartPanel.draw(ChartPanel.lossChart(model), name: "loss", notes: model.ui.charts.titleNotes(smoothed: true),
                        into: &frame, rect: rect, focused: focused)
    }

    private static func drawAccuracy(_ model: DashboardModel, into frame: inout Frame, rect: Rect, focused: Bool) {
        ChartPanel.draw(ChartPanel.accuracyChart(model), name: "accuracy", notes: model.ui.charts.titleNotes(smoothed: false),
                        into: &frame, rect: rect, focused: focused)
    }

    private static func drawTooSmall(_ size: TerminalSize, into frame: inout Frame) {
        guard size.rows > 0 else { return }
        let note = tooSmallNote(size)
        let text = note.count > size.columns ? "enlarge \(TerminalSize.minimum)" : note
        frame.put(text, x: max(0, (size.columns - text.count) / 2), y: size.rows / 2, style: .warning)
    }
}

/// The frame for `model` on a terminal of `size`; see ``DashboardRenderer/render(_:size:)``.
public func render(_ model: DashboardModel, size: TerminalSize) -> Frame {
    DashboardRenderer.render(model, size: size)
}
