import CNcurses
import Dashboard
import Foundation

/// What one read from the keyboard gave.
enum TerminalInput: Equatable {
    case key(DashboardKey)
    /// A key the dashboard gives no meaning (Enter, letters, arrows…).
    case otherKey
    case resize
}

/// The curses terminal: started in `init`, restored by ``restore()`` (idempotent, also on
/// deinit). It only copies ``Frame``s to the screen and reads keys; everything drawn is
/// computed by the Dashboard module. Use from one thread.
final class CursesScreen {
    private let palette: Palette
    private var restored = false

    /// Starts curses: UTF-8 locale for braille, cbreak, no echo, keypad, hidden cursor, and
    /// colors when the terminal has them and `NO_COLOR` is unset.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        Self.useUTF8Locale()
        CrashGuard.install()
        guard tb_newterm() != nil else {
            CrashGuard.uninstall()
            throw TerminalError.cannotStart(environment["TERM"] ?? "(unset)")
        }
        cbreak()
        noecho()
        _ = tb_keypad_on()
        set_escdelay(25)
        curs_set(0)
        palette = Palette(mode: Palette.mode(environment: environment, terminalHasColors: has_colors()))
        if palette.mode == .color { Self.startColors() }
    }

    deinit { restore() }

    /// The terminal's current size.
    var size: TerminalSize {
        TerminalSize(columns: Int(tb_columns()), rows: Int(tb_rows()))
    }

    /// Replaces the screen's contents with `frame`; curses sends only what changed.
    func present(_ frame: Frame) {
        _ = tb_erase()
        for row in 0..<frame.size.rows {
            for span in frame.spans(row: row) {
                let look = palette.appearance(of: span.style)
                let attributes = tb_attributes(look.bold ? 1 : 0, look.dim ? 1 : 0, look.reverse ? 1 : 0, look.underline ? 1 : 0)
                let pair = look.foreground.map { Int16($0.rawValue + 1) } ?? 0
                _ = tb_put(Int32(row), Int32(span.column), span.text, attributes, pair)
            }
        }
        _ = tb_refresh()
    }

    /// Waits up to `milliseconds` for a key; nil when none came.
    func readKey(milliseconds: Int) -> TerminalInput? {
        tb_timeout(Int32(milliseconds))
        let code = tb_getch()
        switch code {
        case ERR: return nil
        case tb_key_resize(): return .resize
        case tb_key_btab(): return .key(.previousPanel)
        case 0..<128:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return .otherKey }
            return DashboardKey(character: Character(scalar)).map(TerminalInput.key) ?? .otherKey
        default: return .otherKey
        }
    }

    /// Ends curses and gives the normal screen back. Safe to call more than once.
    func restore() {
        guard !restored else { return }
        restored = true
        endwin()
        CrashGuard.uninstall()
    }

    /// Takes the environment's locale, falling back to C.UTF-8 for the character type when
    /// that is not UTF-8: ncursesw needs a UTF-8 locale to draw braille and box characters.
    private static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// One color pair per ``TerminalColor`` (pair = color + 1) on the default background.
    private static func startColors() {
        start_color()
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        for color in TerminalColor.allCases {
            init_pair(Int16(color.rawValue + 1), Int16(color.rawValue), background)
        }
    }
}

/// Failures of the terminal layer.
enum TerminalError: Error, CustomStringConvertible {
    case cannotStart(String)

    var description: String {
        switch self {
        case .cannotStart(let term): "cannot start the terminal dashboard (TERM=\(term)); try --headless"
        }
    }
}
