/// What the chart keys set, shared by the single-run dashboard and the comparison view: the x
/// zoom (`z` narrower, `Z` wider) and the smoothing of the running curves (`e` stronger, `E`
/// weaker). Both are shown in the chart titles.
public struct ChartControls: Sendable, Equatable {
    public var zoom = XZoom.whole
    public var smoothing = Smoothing.off

    public init(zoom: XZoom = .whole, smoothing: Smoothing = .off) {
        self.zoom = zoom
        self.smoothing = smoothing
    }

    /// Applies a chart key for a run of `runSteps` steps (the zoom offers only windows smaller;
    /// the smoothing steps to the next stronger or weaker weight, wrapping).
    public mutating func handle(_ key: ChartKey, runSteps: Int) {
        switch key {
        case .zoomIn: zoom = zoom.cycled(forward: true, runSteps: runSteps)
        case .zoomOut: zoom = zoom.cycled(forward: false, runSteps: runSteps)
        case .smoothMore: smoothing = smoothing.cycled(forward: true)
        case .smoothLess: smoothing = smoothing.cycled(forward: false)
        }
    }

    /// The notes for a chart title: the zoom, and the smoothing when the chart is `smoothed`.
    public func titleNotes(smoothed: Bool) -> [StyledText] {
        [zoom.label, smoothed ? smoothing.label : nil].compactMap { $0 }.map { StyledText(" " + $0, .warning) }
    }

    /// The keys and their meanings, short for footers (the help lists `Z` and `E` too).
    public static let keys: [(key: String, meaning: String)] = [("z", "zoom"), ("e", "smooth")]
}

/// A key of ``ChartControls``: `z` zooms in (the next narrower window, then the whole run again),
/// `Z` out; `e` smooths more (0, 0.6, 0.9, 0.99, then off again), `E` less.
public enum ChartKey: Sendable, Equatable {
    case zoomIn, zoomOut, smoothMore, smoothLess

    /// The key for a typed character, if it is one.
    public init?(character: Character) {
        switch character {
        case "z": self = .zoomIn
        case "Z": self = .zoomOut
        case "e": self = .smoothMore
        case "E": self = .smoothLess
        default: return nil
        }
    }
}
