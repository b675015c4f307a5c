import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that a drawing loop polls, so the loop can restore
/// the terminal and leave in an orderly way instead of dying inside curses.
/// Create and cancel it on the thread that runs the loop.
final class StopSignals {
    /// The received signal number (0: none), set from Dispatch's handler queue.
    private final class Flag: Sendable {
        let number = Atomic<Int32>(0)
    }

    private let flag = Flag()
    private var sources: [any DispatchSourceSignal] = []

    /// Ignores the default action of SIGINT and SIGTERM and starts watching them.
    init() {
        for number in [SIGINT, SIGTERM] {
            _ = Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [flag] in flag.number.store(number, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that arrived, if any.
    var received: Int32? {
        let value = flag.number.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Stops watching and puts the default actions back.
    func cancel() {
        for source in sources { source.cancel() }
        sources = []
        for number in [SIGINT, SIGTERM] { _ = Glibc.signal(number, SIG_DFL) }
    }
}
