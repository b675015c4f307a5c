/// The panel that Tab brings to the front.
public enum DashboardFocus: Int, CaseIterable, Sendable {
    case overview, loss, accuracy, task, messages

    /// The next panel in Tab order (wrapping).
    public var next: DashboardFocus { cycled(forward: true) }
    /// The previous panel (Shift-Tab).
    public var previous: DashboardFocus { cycled(forward: false) }
}

/// View state kept in the model: what the keys toggled and what the trainer reported.
public struct UIState: Sendable, Equatable {
    /// Reported by the trainer through `paused` events.
    public var paused = false
    /// Charts use a log10 y axis.
    public var logScale = false
    /// The enlarged panel; `.overview` shows them all.
    public var focus = DashboardFocus.overview
    /// The `?` overlay is shown.
    public var helpVisible = false
    /// `run_ended` arrived.
    public var finished = false
    /// A non-finite loss has already been announced.
    public var nanAlarmRaised = false
    /// True when the keys `p` and `s` reach no trainer (watching a file).
    public var readOnly = false
    /// While `watch` is still catching up with a file: the fraction of it read so far.
    public var readingFraction: Double?
    /// The x zoom and the smoothing of the loss curve (keys `z`/`Z`, `e`/`E`).
    public var charts = ChartControls()
    /// The process's CPU and memory, when the terminal layer measured them.
    public var system: SystemSample?

    public init() {}
}

/// A key the dashboard understands, independent of the terminal library.
public enum DashboardKey: Sendable, Equatable {
    case quit, pause, save, toggleLogScale, nextPanel, previousPanel, help, escape
    /// Zoom or smoothing (see ``ChartKey``).
    case chart(ChartKey)

    /// The key for a typed character, if it means anything.
    public init?(character: Character) {
        switch character {
        case "q", "Q": self = .quit
        case "p", "P", " ": self = .pause
        case "s", "S": self = .save
        case "l", "L": self = .toggleLogScale
        case "\t": self = .nextPanel
        case "?", "h", "H": self = .help
        case "\u{1b}": self = .escape
        default:
            guard let key = ChartKey(character: character) else { return nil }
            self = .chart(key)
        }
    }
}

extension DashboardModel {
    /// Applies the view part of a key (log scale, panels, help, zoom, smoothing). Pause, save and quit are for
    /// whoever drives the run; the model changes only when the trainer reports back.
    public mutating func handle(_ key: DashboardKey) {
        switch key {
        case .toggleLogScale: ui.logScale.toggle()
        case .nextPanel: ui.focus = ui.focus.next
        case .previousPanel: ui.focus = ui.focus.previous
        case .help: ui.helpVisible.toggle()
        case .escape: ui.helpVisible = false
        case .chart(let key):
            ui.charts.handle(key, runSteps: progress.step)
            smoothedLoss.keep(ui.charts.smoothing, raw: rawLoss)
        case .quit, .pause, .save: break
        }
    }
}
