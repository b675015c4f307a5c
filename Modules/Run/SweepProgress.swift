/// What happens in a sweep, as it happens: what a printer prints a line for and what a
/// dashboard folds into a ``SweepProgress``.
public enum SweepEvent: Sendable, Equatable {
    /// The sweep starts: every run's name in plan order, and the rows of those already finished
    /// (skipped on a resumed sweep).
    case planned(runs: [String], finished: [SweepRow])
    /// A run starts in `directory` (`DIR/NAME`), continuing from a checkpoint when `resumed`.
    case started(run: String, directory: String, resumed: Bool)
    /// A run ended; its row is in `sweep.csv`.
    case finished(SweepRow)
    /// A started run was stopped with the sweep before it recorded anything: no row; it runs
    /// again when the sweep resumes.
    case abandoned(run: String)
}

/// Where a sweep stands: the runs done (with their rows), running and queued.
///
/// ```swift
/// var progress = SweepProgress()
/// let sweep = Sweep(plan: plan, launcher: InProcessLauncher())
/// _ = try sweep.execute { event in progress.apply(event) }   // (one thread at a time)
/// ```
public struct SweepProgress: Sendable, Equatable {
    /// Every run, in plan order.
    public var runs: [String] = []
    /// The rows of the runs that ended, in the order they ended.
    public var rows: [SweepRow] = []
    /// The runs going on now.
    public var running: [String] = []

    public init() {}

    public var done: Int { rows.count }
    /// The runs not started yet (or abandoned, to run on resume).
    public var queued: Int { runs.count - rows.count - running.count }

    /// Folds one event in.
    public mutating func apply(_ event: SweepEvent) {
        switch event {
        case let .planned(runs, finished):
            self.runs = runs
            rows = finished
        case .started(let run, _, _):
            running.append(run)
        case .finished(let row):
            running.removeAll { $0 == row.run }
            rows.append(row)
        case .abandoned(let run):
            running.removeAll { $0 == run }
        }
    }
}
