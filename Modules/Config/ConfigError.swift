/// A config file or override that cannot be used, with the file, line and key
/// path it concerns and what was expected. One line each.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(file: String, reason: String)
    case invalidYAML(file: String, message: String)
    case unknownKey(file: String, line: Int?, path: String, suggestion: String?, known: [String])
    case wrongType(file: String, line: Int?, path: String, expected: String, found: String)
    case badValue(file: String, line: Int?, path: String, value: String, expected: String)
    case missing(file: String, path: String, expected: String)
    case badOverride(String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read config: \(reason)"
        case let .invalidYAML(file, message):
            return "\(file): invalid YAML: \(message)"
        case let .unknownKey(file, line, path, suggestion, known):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? "; known keys: \(known.joined(separator: ", "))"
            return "\(Self.place(file, line)) unknown key '\(path)'\(hint)"
        case let .wrongType(file, line, path, expected, found):
            return "\(Self.place(file, line)) '\(path)' must be \(expected), found \(found)"
        case let .badValue(file, line, path, value, expected):
            return "\(Self.place(file, line)) '\(path)' cannot be \(value): expected \(expected)"
        case let .missing(file, path, expected):
            return "\(file): missing '\(path)' (\(expected))"
        case let .badOverride(text, reason):
            return "--set \(text): \(reason)"
        }
    }

    static func place(_ file: String, _ line: Int?) -> String {
        line.map { "\(file):\($0):" } ?? "\(file):"
    }
}
