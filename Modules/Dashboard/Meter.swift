/// A horizontal progress bar drawn with block characters, in eighths of a cell.
public struct Meter: Sendable, Equatable {
    public var fraction: Double
    public var width: Int

    private static let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public init(fraction: Double, width: Int) {
        self.fraction = fraction.isFinite ? min(1, max(0, fraction)) : 0
        self.width = max(0, width)
    }

    /// The filled part (`█` and one partial block) followed by `░` for the rest.
    public var bar: String {
        let eighths = Int((fraction * Double(width * 8)).rounded(.down))
        let full = eighths / 8, partial = eighths % 8
        var text = String(repeating: "█", count: full)
        if full < width && partial > 0 { text.append(Self.partials[partial]) }
        return text + String(repeating: "░", count: max(0, width - text.count))
    }

    /// The fraction as a right-aligned percentage, e.g. `" 45%"`.
    public var percent: String {
        let value = Int((fraction * 100).rounded(.down))
        return String(repeating: " ", count: max(0, 3 - String(value).count)) + "\(value)%"
    }

    /// Draws the bar into `frame` at (`x`, `y`): filled part in `style`, rest in `.axis`.
    public func draw(into frame: inout Frame, x: Int, y: Int, style: Style = .accent) {
        let text = bar
        let filled = text.prefix { $0 != "░" }
        let end = frame.put(String(filled), x: x, y: y, style: style)
        frame.put(String(text.dropFirst(filled.count)), x: end, y: y, style: .axis)
    }
}
