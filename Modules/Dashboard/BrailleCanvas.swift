/// A pixel canvas drawn with braille characters (U+2800–U+28FF): each cell holds 2×4 dots,
/// so a `columns`×`rows` canvas has `2·columns`×`4·rows` pixels, y growing downwards.
/// A cell takes the style of the last dot set in it.
public struct BrailleCanvas: Sendable {
    public let columns: Int
    public let rows: Int
    private var bits: [UInt8]
    private var styles: [Style]

    /// Dot bit for pixel (x mod 2, y mod 4), per the Unicode braille pattern layout.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
        styles = Array(repeating: .normal, count: self.columns * self.rows)
    }

    public var pixelWidth: Int { columns * 2 }
    public var pixelHeight: Int { rows * 4 }

    /// Sets the dot at pixel (`x`, `y`); pixels outside the canvas are ignored.
    public mutating func set(_ x: Int, _ y: Int, style: Style = .normal) {
        guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
        let index = (y / 4) * columns + x / 2
        bits[index] |= Self.dotBits[x % 2][y % 4]
        styles[index] = style
    }

    /// Sets the dots of a straight line between two pixels (Bresenham).
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), style: Style = .normal) {
        var (x, y) = start
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let stepX = x < end.x ? 1 : -1, stepY = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x, y, style: style)
            if x == end.x && y == end.y { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
        }
    }

    /// The braille character of cell (`column`, `row`), or nil when it has no dots.
    public func character(column: Int, row: Int) -> Character? {
        let value = bits[row * columns + column]
        guard value != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(value)) else { return nil }
        return Character(scalar)
    }

    /// Copies the cells that have dots into `frame`, top-left at (`x`, `y`).
    public func draw(into frame: inout Frame, x: Int, y: Int) {
        for row in 0..<rows {
            for column in 0..<columns {
                if let character = character(column: column, row: row) {
                    frame[x + column, y + row] = Cell(character, style: styles[row * columns + column])
                }
            }
        }
    }
}
