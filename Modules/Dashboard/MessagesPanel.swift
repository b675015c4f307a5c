import RunEvents
/// The latest messages, newest at the bottom: lint warnings, early stopping, NaN alarms.
public enum MessagesPanel {
    /// The marker and style of a message level.
    public static func decoration(_ level: RunMessage.Level) -> StyledText {
        switch level {
        case .info: StyledText("· ", .axis)
        case .warning: StyledText("▲ ", .warning)
        case .error: StyledText("✖ ", .bad)
        }
    }

    /// Draws the panel in `rect`.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect, focused: Bool) {
        let interior = Panel.draw(into: &frame, rect: rect, title: [StyledText("messages (\(model.messages.count))")], focused: focused)
        guard interior.height > 0 else { return }
        if model.messages.isEmpty {
            frame.put("no messages", x: interior.x, y: interior.y, style: .axis, clip: interior)
            return
        }
        for (index, message) in model.messages.suffix(interior.height).enumerated() {
            let marker = decoration(message.level)
            let textStyle: Style = message.level == .error ? .bad : (message.level == .warning ? .warning : .normal)
            Panel.write([marker, StyledText(message.text, textStyle)], into: &frame, x: interior.x, y: interior.y + index, clip: interior)
        }
    }
}
