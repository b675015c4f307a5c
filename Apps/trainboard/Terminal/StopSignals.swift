import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that a drawing loop polls, so the loop can restore
/// the terminal and leave in an orderly way instead of dying inside curses.
///
/// The handler only stores the signal number into an atomic, which is async-signal-safe.
/// A C signal handler cannot capture context, so that atomic has to be static: the one piece
/// of process-wide state here, as signal dispositions are process-wide anyway. (A Dispatch
/// signal source is not used: on Linux it relies on the signal being blocked in every
/// thread, which curses' main thread does not guarantee.)
final class StopSignals {
    private static let received = Atomic<Int32>(0)
    private static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Clears the flag and installs the handlers (before curses starts, so curses keeps them).
    init() {
        Self.received.store(0, ordering: .relaxed)
        for number in Self.signals {
            _ = signal(number) { StopSignals.received.store($0, ordering: .relaxed) }
        }
    }

    /// The signal that arrived, if any.
    var received: Int32? {
        let value = Self.received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Puts the default actions back.
    func cancel() {
        for number in Self.signals { _ = signal(number, SIG_DFL) }
    }
}
