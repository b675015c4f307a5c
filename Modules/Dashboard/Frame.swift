/// One character cell of a frame.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .normal) {
        self.character = character
        self.style = style
    }
}

/// A run of equally styled cells on one row, as the presenter writes them.
public struct Span: Sendable, Equatable {
    public var column: Int
    public var text: String
    public var style: Style
}

/// A screenful of styled cells, exactly `size` large: what ``DashboardRenderer`` produces and
/// the presenter copies to the terminal. Writes outside the frame (or the clip) are dropped,
/// so drawing code never has to check bounds.
public struct Frame: Sendable, Equatable {
    public let size: TerminalSize
    private var cells: [Cell]

    public init(size: TerminalSize) {
        self.size = size
        cells = Array(repeating: Cell(), count: size.columns * size.rows)
    }

    /// The whole frame as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

    /// The cell at column `x`, row `y`; a blank cell outside the frame.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * size.columns + x] : Cell() }
        set { if contains(x, y) { cells[y * size.columns + x] = newValue } }
    }

    /// Writes `text` from column `x` on row `y`, clipped to `clip` and the frame; control
    /// characters become spaces. Returns the column after the last character.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, clip: Rect? = nil) -> Int {
        let area = clip ?? bounds
        guard y >= area.y, y < area.maxY else { return x + text.count }
        var column = x
        for character in text {
            if column >= area.maxX { break }
            if column >= area.x {
                let printable: Character = character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
                    ? " " : character
                self[column, y] = Cell(printable, style: style)
            }
            column += 1
        }
        return column
    }

    /// Fills `rect` with `character`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX { self[x, y] = Cell(character, style: style) }
        }
    }

    /// Row `y` as plain text.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < size.rows else { return "" }
        return String(cells[(y * size.columns)..<((y + 1) * size.columns)].map(\.character))
    }

    /// All rows as plain text.
    public var lines: [String] { (0..<size.rows).map(line) }

    /// The whole frame as text, rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// Row `y` split into runs of one style.
    public func spans(row y: Int) -> [Span] {
        guard y >= 0, y < size.rows else { return [] }
        var result: [Span] = []
        for x in 0..<size.columns {
            let cell = cells[y * size.columns + x]
            if let last = result.last, last.style == cell.style {
                result[result.count - 1].text.append(cell.character)
            } else {
                result.append(Span(column: x, text: String(cell.character), style: cell.style))
            }
        }
        return result
    }

    private func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size.columns && y < size.rows
    }
}
