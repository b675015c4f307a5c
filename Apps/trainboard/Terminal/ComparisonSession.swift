import CNcurses
import Dashboard
import Foundation

/// Runs the comparison view on the calling thread: `tick` folds what the runs' files gained
/// into the model, the model is redrawn about ten times a second (the system line updated once a second), keys change it (see
/// ``ComparisonModel/handle(_:)``). Uses ``CursesScreen``; the terminal is restored however
/// the session ends.
final class ComparisonSession {
    private(set) var model: ComparisonModel
    private let refreshMilliseconds: Int

    init(model: ComparisonModel, refreshMilliseconds: Int = 100) {
        self.model = model
        self.refreshMilliseconds = refreshMilliseconds
    }

    /// Shows the view until `q` or a stop signal (SIGINT, SIGTERM). `tick` runs before every
    /// redraw and returns whether it has more to read at once; an error from it ends the session
    /// with the terminal restored and is rethrown.
    func run(tick: (inout ComparisonModel) throws -> Bool) throws -> DashboardSession.Ending {
        let session = try ScreenSession()
        defer { session.close() }
        while true {
            if let number = session.signals.received { return .signal(number) }
            let busy = try tick(&model)
            if let sample = session.system.poll() { model.system = sample }
            session.show(render(model, size: session.screen.size))
            switch session.screen.readComparisonInput(milliseconds: busy ? 0 : refreshMilliseconds) {
            case .resize?: session.resized()
            case .input(let input)?: if model.handle(input) { return .quit }
            case nil: break
            }
        }
    }
}

/// What one read from the keyboard gave the comparison view.
enum ComparisonTerminalInput: Equatable {
    case input(ComparisonInput)
    case resize
}

extension CursesScreen {
    /// Waits up to `milliseconds` for a key; nil when none came (or one without meaning here).
    func readComparisonInput(milliseconds: Int) -> ComparisonTerminalInput? {
        tb_timeout(Int32(milliseconds))
        let code = tb_getch()
        switch code {
        case ERR: return nil
        case tb_key_resize(): return .resize
        case KEY_UP: return .input(.up)
        case KEY_DOWN: return .input(.down)
        case KEY_BACKSPACE, 8, 127: return .input(.backspace)
        case KEY_ENTER, 10, 13: return .input(.enter)
        case 27: return .input(.escape)
        case 9, 32..<127:
            return Unicode.Scalar(UInt32(code)).map { .input(.character(Character($0))) }
        default: return nil
        }
    }
}
