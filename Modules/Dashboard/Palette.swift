/// The eight basic terminal colors, by their ANSI index.
public enum TerminalColor: Int, Sendable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a style looks on a terminal: an optional foreground color and attributes.
public struct Appearance: Sendable, Equatable {
    public var foreground: TerminalColor?
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(foreground: TerminalColor? = nil, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

/// Maps style roles to appearances, in color or monochrome.
public struct Palette: Sendable, Equatable {
    /// Color where the terminal has it; monochrome with `NO_COLOR` or without color support.
    public enum Mode: Sendable, Equatable { case color, monochrome }

    public var mode: Mode

    public init(mode: Mode) {
        self.mode = mode
    }

    /// The mode for an environment: `NO_COLOR` set to anything non-empty, or a terminal
    /// without colors, gives monochrome (see no-color.org).
    public static func mode(environment: [String: String], terminalHasColors: Bool) -> Mode {
        if let value = environment["NO_COLOR"], !value.isEmpty { return .monochrome }
        return terminalHasColors ? .color : .monochrome
    }

    /// How `style` is drawn.
    public func appearance(of style: Style) -> Appearance {
        var look = mode == .color ? Self.colored(style.role) : Self.monochrome(style.role)
        look.bold = look.bold || style.bold
        return look
    }

    private static func colored(_ role: StyleRole) -> Appearance {
        switch role {
        case .normal: Appearance()
        case .title: Appearance(foreground: .cyan, bold: true)
        case .accent: Appearance(foreground: .cyan)
        case .secondary: Appearance(foreground: .magenta)
        case .good: Appearance(foreground: .green)
        case .bad: Appearance(foreground: .red, bold: true)
        case .warning: Appearance(foreground: .yellow)
        case .axis: Appearance(dim: true)
        case .border: Appearance(foreground: .blue)
        case .highlight: Appearance(reverse: true)
        }
    }

    private static func monochrome(_ role: StyleRole) -> Appearance {
        switch role {
        case .normal, .accent, .secondary, .good: Appearance()
        case .title: Appearance(bold: true)
        case .bad: Appearance(bold: true, reverse: true)
        case .warning: Appearance(bold: true)
        case .axis, .border: Appearance(dim: true)
        case .highlight: Appearance(reverse: true)
        }
    }
}
