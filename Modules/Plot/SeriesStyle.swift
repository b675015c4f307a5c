/// An sRGB colour, components in 0…1.
public struct RGB: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: Int) {
        self.init(red: Double(hex >> 16 & 0xff) / 255, green: Double(hex >> 8 & 0xff) / 255, blue: Double(hex & 0xff) / 255)
    }

    public static let black = RGB(hex: 0x000000)
    public static let white = RGB(hex: 0xffffff)
}

/// How a series' line is broken: with colour printed in grey, this tells the lines apart.
public enum LineDash: Sendable, Equatable, CaseIterable {
    case solid, dashed, dotted, dashDot

    /// On/off lengths in canvas units for a line `width` wide (empty: solid).
    public func pattern(width: Double) -> [Double] {
        switch self {
        case .solid: []
        case .dashed: [6 * width, 3 * width]
        case .dotted: [0.01, 2.5 * width]
        case .dashDot: [6 * width, 2.5 * width, 0.01, 2.5 * width]
        }
    }
}

/// The mark drawn at a few points of a series (and in its legend entry).
public enum MarkerShape: Sendable, Equatable, CaseIterable {
    case circle, square, triangle, diamond, cross, plus
}

/// The look of series `i`: a colour, a dash pattern and a marker. Neighbouring series differ in
/// all three, so the legend can be matched to the lines in colour, in grey and without colour.
public struct SeriesStyle: Sendable, Equatable {
    public var color: RGB
    public var dash: LineDash
    public var marker: MarkerShape

    public init(color: RGB, dash: LineDash, marker: MarkerShape) {
        self.color = color
        self.dash = dash
        self.marker = marker
    }

    /// Okabe & Ito's colour-blind-safe palette on white (its yellow left out: too light on white).
    public static let palette: [RGB] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000].map(RGB.init(hex:))

    /// The style of series `index`: colours cycle every 7, dashes every 4 and markers every 6,
    /// so the first 84 series all look different.
    public static func at(_ index: Int) -> SeriesStyle {
        SeriesStyle(color: palette[index % palette.count],
                    dash: LineDash.allCases[index % LineDash.allCases.count],
                    marker: MarkerShape.allCases[index % MarkerShape.allCases.count])
    }
}
