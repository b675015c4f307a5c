/// What a cell means; the presenter turns roles into colors or monochrome attributes.
public enum StyleRole: Sendable, Hashable, CaseIterable {
    case normal, title, accent, secondary, good, bad, warning, axis, border, highlight
}

/// A cell's style: a semantic role plus emphasis.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var bold: Bool

    public init(_ role: StyleRole = .normal, bold: Bool = false) {
        self.role = role
        self.bold = bold
    }

    public static let normal = Style()
    public static let title = Style(.title, bold: true)
    public static let accent = Style(.accent)
    public static let secondary = Style(.secondary)
    public static let good = Style(.good)
    public static let bad = Style(.bad, bold: true)
    public static let warning = Style(.warning)
    public static let axis = Style(.axis)
    public static let border = Style(.border)
    public static let highlight = Style(.highlight, bold: true)
}
