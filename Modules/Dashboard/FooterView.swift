/// The bottom row: key hints, the enlarged panel, and the run's end when it has ended.
public enum FooterView {
    /// Draws the footer on row `rect.y`.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect) {
        var pieces: [StyledText] = []
        for (key, meaning) in [("q", "quit"), ("p", "pause"), ("s", "save"), ("l", "log")] + ChartControls.keys + [("Tab", "panel"), ("?", "help")] {
            pieces += [StyledText(" \(key)", .highlight), StyledText(" \(meaning)")]
        }
        if let fraction = model.ui.readingFraction {
            pieces.append(StyledText("  reading events \(Int((fraction * 100).rounded(.down)))%…", .warning))
        } else if model.ui.readOnly {
            pieces.append(StyledText("  (watch: read-only)", .axis))
        }
        if let ended = model.ended {
            pieces.append(StyledText("  run ended: \(ended.reason.rawValue)", ended.reason == .nan || ended.reason == .error ? .bad : .good))
        }
        let focus = " panel: \(model.ui.focus) "
        let (right, left) = rect.splitRight(focus.count)
        Panel.write(pieces, into: &frame, x: left.x, y: left.y, clip: left)
        frame.put(focus, x: right.x, y: right.y, style: .axis, clip: right)
    }
}
