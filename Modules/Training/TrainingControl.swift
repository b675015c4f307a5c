import Synchronization

/// Requests that reach a running trainer from other threads: the dashboard's
/// keys (`q`, `p`, `s`) and signal handlers (SIGINT). The trainer polls it
/// between steps, so a request always lets the current step finish.
public final class TrainingControl: Sendable {
    private struct State {
        var stopRequested = false
        var paused = false
        var saveRequested = false
    }
    private let state = Mutex(State())

    public init() {}

    /// Ask the trainer to finish the current step, save and end the run.
    public func requestStop() { state.withLock { $0.stopRequested = true; $0.paused = false } }
    /// Pause or resume between steps.
    public func togglePause() { state.withLock { $0.paused.toggle() } }
    /// Save a checkpoint after the current step.
    public func requestSave() { state.withLock { $0.saveRequested = true } }

    public var stopRequested: Bool { state.withLock { $0.stopRequested } }
    public var isPaused: Bool { state.withLock { $0.paused } }

    /// True once per save request (clears the request).
    public func takeSaveRequest() -> Bool {
        state.withLock { s in
            defer { s.saveRequested = false }
            return s.saveRequested
        }
    }
}
