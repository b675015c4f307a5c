import Dashboard
import Foundation

/// Runs the live dashboard on the calling thread: redraws the store's model about ten times
/// a second, applies view keys (log scale, panels, help, zoom, smoothing) to the model and reports every key
/// to `onKey`. A trainer on another thread only appends to the ``DashboardStore``; it is never
/// blocked by drawing. The terminal is restored however the session ends (quit, signal,
/// thrown error; crash signals through ``CrashGuard``).
///
/// `trainboard fit` maps `.pause`/`.save`/`.quit` in `onKey` to its trainer; `watch` is read-only.
final class DashboardSession {
    /// Why ``run(tick:until:)`` returned.
    enum Ending: Equatable {
        /// The user pressed `q` (or, once `anyKeyCloses`, a key that does not change the view).
        case quit
        /// SIGINT or SIGTERM arrived.
        case signal(Int32)
        /// The `until` condition became true.
        case done
    }

    /// Keys that only change what is shown; they never close a finished run.
    private static let viewKeys: [DashboardKey] = [.toggleLogScale, .nextPanel, .previousPanel, .help, .escape,
                                                   .chart(.zoomIn), .chart(.zoomOut), .chart(.smoothMore), .chart(.smoothLess)]

    let store: DashboardStore
    private let onKey: (DashboardKey) -> Void
    private let refreshMilliseconds: Int

    init(store: DashboardStore, refreshMilliseconds: Int = 100, onKey: @escaping (DashboardKey) -> Void = { _ in }) {
        self.store = store
        self.refreshMilliseconds = refreshMilliseconds
        self.onKey = onKey
    }

    /// Shows the dashboard until `q`, a stop signal, or `until(model)` is true. While
    /// `anyKeyCloses(model)` holds (a finished fit keeping its final screen), every key but the
    /// view keys (log scale, panels, help) closes it too, and reaches `onKey` as `.quit`.
    /// `tick` runs before every redraw (watch reads the events file there) and returns whether
    /// it has more to do at once (then keys are read without waiting); an error from it ends the
    /// session with the terminal restored and is rethrown.
    func run(tick: () throws -> Bool = { false }, until: (DashboardModel) -> Bool = { _ in false },
             anyKeyCloses: (DashboardModel) -> Bool = { _ in false }) throws -> Ending {
        let session = try ScreenSession()
        defer { session.close() }
        while true {
            if let number = session.signals.received { return .signal(number) }
            let busy = try tick()
            if let sample = session.system.poll() { store.update { $0.ui.system = sample } }
            // The snapshot is dropped before waiting for keys: while it is alive, the trainer's
            // next append has to copy the model's whole history (copy-on-write).
            let closable: Bool
            do {
                let model = store.snapshot()
                if until(model) { return .done }
                closable = anyKeyCloses(model)
                session.show(render(model, size: session.screen.size))
            }
            switch session.screen.readKey(milliseconds: busy ? 0 : refreshMilliseconds) {
            case .resize?:
                session.resized()
            case .key(let key)?:
                let closing = key == .quit || (closable && !Self.viewKeys.contains(key))
                if closing {
                    onKey(.quit)
                    return .quit
                }
                store.update { $0.handle(key) }
                onKey(key)
            case .otherKey?:
                if closable {
                    onKey(.quit)
                    return .quit
                }
            case nil:
                break
            }
        }
    }
}
