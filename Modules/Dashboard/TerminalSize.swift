/// A terminal's size in character cells.
public struct TerminalSize: Sendable, Equatable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    /// Sizes below this render only the "enlarge" note.
    public static let minimum = TerminalSize(columns: 60, rows: 20)

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
    }

    /// Whether the full dashboard fits.
    public var fitsDashboard: Bool {
        columns >= Self.minimum.columns && rows >= Self.minimum.rows
    }

    public var description: String { "\(columns)×\(rows)" }
}
