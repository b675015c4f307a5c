/// A piece of styled text: a run of characters that share a style.
public struct StyledText: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// A bordered box with a title; content goes in ``interior(of:)``.
public enum Panel {
    /// The area inside the border of a panel drawn in `rect`.
    public static func interior(of rect: Rect) -> Rect { rect.inset(by: 1) }

    /// Draws the border of `rect` and its title (highlighted when `focused`), returns the interior.
    @discardableResult
    public static func draw(into frame: inout Frame, rect: Rect, title: [StyledText], focused: Bool = false) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let style: Style = focused ? .highlight : .border
        let horizontal = String(repeating: "─", count: rect.width - 2)
        frame.put("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        frame.put("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            frame.put("│", x: rect.x, y: row, style: style)
            frame.put("│", x: rect.maxX - 1, y: row, style: style)
        }
        let titleClip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
        var column = rect.x + 2
        for piece in [StyledText(" ")] + title + [StyledText(" ")] {
            column = frame.put(piece.text, x: column, y: rect.y, style: piece.style == .normal ? .title : piece.style, clip: titleClip)
        }
        return interior(of: rect)
    }

    /// Writes `pieces` one after another on row `y` from column `x`, clipped to `clip`; returns the next column.
    @discardableResult
    public static func write(_ pieces: [StyledText], into frame: inout Frame, x: Int, y: Int, clip: Rect) -> Int {
        var column = x
        for piece in pieces { column = frame.put(piece.text, x: column, y: y, style: piece.style, clip: clip) }
        return column
    }
}
