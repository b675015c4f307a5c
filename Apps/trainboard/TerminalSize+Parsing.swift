import ArgumentParser
import Dashboard

extension TerminalSize {
    /// The size written `COLUMNSxROWS` (e.g. `120x40`) for the command-line `option`; a usage
    /// error naming the option for anything else.
    static func parse(_ text: String, option: String) throws -> TerminalSize {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("\(option) wants COLUMNSxROWS, e.g. 120x40") }
        return TerminalSize(columns: parts[0], rows: parts[1])
    }
}
