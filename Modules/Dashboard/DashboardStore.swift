import RunEvents
import Synchronization

/// A thread-safe home for a ``DashboardModel``: a trainer thread appends events while the
/// presenter takes snapshots at its own pace. Every operation holds the lock only for an
/// in-memory fold or copy, so a trainer is never blocked for long.
public final class DashboardStore: Sendable {
    private let model: Mutex<DashboardModel>

    public init(_ initial: DashboardModel = DashboardModel()) {
        model = Mutex(initial)
    }

    /// Folds `event` into the model.
    public func append(_ event: RunEvent) {
        model.withLock { $0.apply(event) }
    }

    /// Folds parsed lines (events and malformed-line warnings) into the model.
    public func append(lines: [EventCodec.Line]) {
        guard !lines.isEmpty else { return }
        model.withLock { model in lines.forEach { model.apply($0) } }
    }

    /// Changes the model in place (key handling, UI state).
    public func update<Result: Sendable>(_ body: (inout DashboardModel) -> Result) -> Result {
        model.withLock { body(&$0) }
    }

    /// A copy of the current model.
    public func snapshot() -> DashboardModel {
        model.withLock { $0 }
    }
}
