import Foundation

/// Leaves the terminal usable when the process dies of a crash signal while curses owns it.
///
/// `endwin()` is not async-signal-safe, so the handler only does what is: restores the tty
/// modes saved before curses started (`tcsetattr`), writes the reset sequences (leave the
/// alternate screen, show the cursor, reset attributes) with `write(2)`, then re-raises the
/// signal with its default action so the crash is reported as usual.
enum CrashGuard {
    static let signals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    /// The tty modes before curses started. A signal handler cannot capture context, so this
    /// one piece of state must be static; it is written once by `install()` before any
    /// handler can run and only read afterwards.
    nonisolated(unsafe) private static let savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) private static var haveSavedModes = false
    /// Leave the alternate screen, show the cursor, reset attributes, new line.
    private static let resetSequence: StaticString = "\u{1b}[?1049l\u{1b}[?25h\u{1b}[0m\r\n"

    /// Saves the tty modes and installs the crash handlers. Call before curses starts.
    static func install() {
        haveSavedModes = tcgetattr(STDIN_FILENO, savedModes) == 0
        for signal in signals {
            _ = Glibc.signal(signal) { number in
                if CrashGuard.haveSavedModes { _ = tcsetattr(STDIN_FILENO, TCSANOW, CrashGuard.savedModes) }
                let reset = CrashGuard.resetSequence
                _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
                _ = Glibc.signal(number, SIG_DFL)
                _ = raise(number)
            }
        }
    }

    /// Puts the default actions back (after curses has been ended normally).
    static func uninstall() {
        for signal in signals { _ = Glibc.signal(signal, SIG_DFL) }
    }
}
