/// Measures text for layout. The cairo renderer measures with the font it draws with;
/// tests use ``ApproximateTextMetrics``, so layout math runs without cairo.
public protocol TextMetrics {
    /// The advance width of `text` at font `size` (canvas units), in the bold face with `bold`.
    func width(of text: String, size: Double, bold: Bool) -> Double
}

/// Every character `0.6 × size` wide (`0.66 × size` bold): a fair stand-in for a sans-serif font.
public struct ApproximateTextMetrics: TextMetrics {
    public init() {}

    public func width(of text: String, size: Double, bold: Bool) -> Double {
        Double(text.count) * (bold ? 0.66 : 0.6) * size
    }
}

extension TextMetrics {
    /// The width of `text` in the regular face.
    public func width(of text: String, size: Double) -> Double {
        width(of: text, size: size, bold: false)
    }

    /// `text` shortened with a trailing `…` until it is at most `maxWidth` wide.
    func fitting(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> String {
        guard width(of: text, size: size, bold: bold) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty && width(of: String(characters) + "…", size: size, bold: bold) > maxWidth {
            characters.removeLast()
        }
        return String(characters) + "…"
    }
}

/// A piece of text placed on the canvas: drawn from its baseline origin `(x, y)`, left to right,
/// or bottom to top when ``vertical``; ``box`` is the area it covers.
public struct PlacedText: Sendable, Equatable {
    public var text: String
    public var x: Double
    public var y: Double
    public var size: Double
    public var vertical: Bool
    public var bold: Bool
    public var box: Box

    /// Height above the baseline and depth below it, as fractions of the font size (DejaVu Sans).
    public static let ascent = 0.76, descent = 0.24

    /// Places `text` of `width` with its baseline origin at `(x, y)`.
    public init(_ text: String, x: Double, y: Double, size: Double, width: Double, vertical: Bool = false, bold: Bool = false) {
        self.text = text
        self.x = x
        self.y = y
        self.size = size
        self.vertical = vertical
        self.bold = bold
        let up = Self.ascent * size, down = Self.descent * size
        box = vertical ? Box(x: x - up, y: y - width, width: up + down, height: width)
                       : Box(x: x, y: y - up, width: width, height: up + down)
    }
}
