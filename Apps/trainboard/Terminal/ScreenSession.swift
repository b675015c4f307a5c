import Dashboard

/// What every full-screen view holds while it runs: the stop signals it watches (installed
/// before curses starts, so curses keeps them), the screen, the process's CPU and RSS monitor,
/// and the frame shown last, so that an unchanged frame is not sent again. ``close()`` gives
/// the terminal back and the signals their default actions; call it however the view ends.
final class ScreenSession {
    let signals: StopSignals
    let screen: CursesScreen
    let system = SystemMonitor()
    private var shown: Frame?

    init() throws {
        let signals = StopSignals()
        do { screen = try CursesScreen() } catch {
            signals.cancel()
            throw error
        }
        self.signals = signals
    }

    /// Sends `frame` to the screen unless it is the one shown.
    func show(_ frame: Frame) {
        guard frame != shown else { return }
        screen.present(frame)
        shown = frame
    }

    /// The terminal was resized: the next frame is drawn whole.
    func resized() { shown = nil }

    /// Restores the terminal, then the signals' default actions. Safe to call more than once.
    func close() {
        screen.restore()
        signals.cancel()
    }
}
