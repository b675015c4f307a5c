/// The bottom row: key hints, the enlarged panel, and the run's end when it has ended.
public enum FooterView {
    /// Draws the footer on row `rect.y`.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect) {
        var pieces: [StyledText] = []
        for (key, meaning) in [("q", "quit"), ("p", "pause"), ("s", "save"), ("l", "log"), ("Tab", "panel"), ("?", "help")] {
            pieces += [StyledText(" \(key)", .highlight), StyledText(" \(meaning)")]
        }
        if model.ui.readOnly { pieces.append(StyledText("  (watch: read-only)", .axis)) }
        if let ended = model.ended {
            pieces.append(StyledText("  run ended: \(ended.reason.rawValue)", ended.reason == .nan || ended.reason == .error ? .bad : .good))
        }
        Panel.write(pieces, into: &frame, x: rect.x, y: rect.y, clip: rect)
        let focus = "panel: \(model.ui.focus) "
        frame.put(focus, x: rect.maxX - focus.count, y: rect.y, style: .axis, clip: rect)
    }
}
