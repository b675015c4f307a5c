/// The `?` overlay: a centred box listing the keys.
public enum HelpOverlay {
    /// Key and meaning, in display order.
    public static let entries: [(key: String, meaning: String)] = [
        ("q", "quit the dashboard (stops the run under fit)"),
        ("p", "pause / resume training"),
        ("s", "save a checkpoint now"),
        ("l", "toggle log scale of the chart y axes"),
        ("z / Z", "zoom x to the last 100k/10k/1k/100 steps / back out"),
        ("e / E", "smooth the loss more / less (EMA 0.6, 0.9, 0.99)"),
        ("Tab", "enlarge the next panel (Shift-Tab: previous)"),
        ("?", "show / hide this help (Esc hides)"),
    ]

    /// Draws the overlay centred in `rect`.
    public static func draw(readOnly: Bool, into frame: inout Frame, rect: Rect) {
        let note = readOnly ? "watching a file: p and s reach no trainer" : "keys p and s are sent to the trainer"
        let width = min(rect.width, max(note.count, entries.map { $0.meaning.count + 8 }.max() ?? 0) + 4)
        let height = min(rect.height, entries.count + 4)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        frame.fill(box)
        let interior = Panel.draw(into: &frame, rect: box, title: [StyledText("help")], focused: true)
        for (index, entry) in entries.enumerated() {
            Panel.write([StyledText(entry.key.padding(toLength: 6, withPad: " ", startingAt: 0), .highlight),
                         StyledText("  " + entry.meaning)],
                        into: &frame, x: interior.x + 1, y: interior.y + index, clip: interior)
        }
        frame.put(note, x: interior.x + 1, y: interior.y + entries.count + 1, style: .axis, clip: interior)
    }
}
