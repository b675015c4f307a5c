import Foundation
import Yams

/// A parsed config document: YAML's data model with key order and source
/// lines kept, so errors can point at `file:line` and `print-config` keeps the
/// author's order.
public indirect enum ConfigValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map(ConfigMap)

    /// A type name for error messages ("a number", "a list", …).
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The value as Foundation-style plain data (`Bool`, `Int`, `Double`, `String`,
    /// `[Any]`, `[String: Any]`, `NSNull`), the shape JSON readers produce.
    public var plain: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .string(let s): s
        case .list(let items): items.map(\.plain)
        case .map(let map): Dictionary(uniqueKeysWithValues: map.keys.map { ($0, map[$0]!.plain) })
        }
    }

    /// Parses YAML text. `file` only names the source in errors.
    public static func parse(yaml: String, file: String) throws(ConfigError) -> ConfigValue {
        var visited = 0
        return try parse(yaml: yaml, file: file, visited: &visited)
    }

    /// ``parse(yaml:file:)``, counting in `visited` the YAML nodes converted (every alias
    /// expansion included): the work done, at most ``maxValues`` + 1 whatever the document.
    static func parse(yaml: String, file: String, visited: inout Int) throws(ConfigError) -> ConfigValue {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw .invalidYAML(file: file, message: "\(error)".split(separator: "\n").joined(separator: " "))
        }
        guard let node else { return .map(ConfigMap()) }
        var budget = maxValues
        guard let value = ConfigValue(node, budget: &budget, visited: &visited) else {
            throw .invalidYAML(file: file, message: "the document expands to more than \(maxValues) values "
                + "(aliases of aliases, as in a 'billion laughs' file?)")
        }
        return value
    }

    /// The most values (scalars, lists and mappings, counting every alias
    /// expansion) a config may hold. A few hundred bytes of nested aliases
    /// otherwise expand to billions of values and exhaust memory.
    public static let maxValues = 100_000

    /// The value of `node`, or nil when it would exceed `budget` values; `visited`
    /// counts the nodes looked at.
    init?(_ node: Node, budget: inout Int, visited: inout Int) {
        visited += 1
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            if tag.hasSuffix(":null") { self = .null }
            else if tag.hasSuffix(":bool"), let b = node.bool { self = .bool(b) }
            else if tag.hasSuffix(":int"), let i = node.int { self = .int(i) }
            else if tag.hasSuffix(":float"), let d = node.float { self = .double(d) }
            else { self = .string(scalar.string) }
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            for item in sequence {
                guard let value = ConfigValue(item, budget: &budget, visited: &visited) else { return nil }
                items.append(value)
            }
            self = .list(items)
        case .mapping(let mapping):
            var map = ConfigMap()
            for (key, value) in mapping {
                guard let converted = ConfigValue(value, budget: &budget, visited: &visited) else { return nil }
                map[key.string ?? "\(key)"] = converted
                map.lines[key.string ?? "\(key)"] = key.mark?.line
            }
            self = .map(map)
        case .alias:
            self = .null
        }
    }

    /// Sets `value` at a dotted key path (`trainer.max_epochs`), creating
    /// mappings on the way. Used by `--set`.
    public mutating func set(_ value: ConfigValue, at path: [String]) throws(ConfigError) {
        guard let first = path.first else { self = value; return }
        guard case .map(var map) = self else {
            throw .badOverride(path.joined(separator: "."), reason: "its parent is \(kind), not a mapping")
        }
        var child = map[first] ?? .map(ConfigMap())
        try child.set(value, at: Array(path.dropFirst()))
        map[first] = child
        self = .map(map)
    }

    /// Block-style YAML text, keys in order.
    public func yaml(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .map(let map):
            return map.keys.map { key -> String in
                let v = map[key]!
                switch v {
                case .map(let m) where !m.keys.isEmpty: return "\(pad)\(key):\n" + v.yaml(indent: indent + 2)
                default: return "\(pad)\(key): \(v.inline)\n"
                }
            }.joined()
        default:
            return pad + inline + "\n"
        }
    }

    /// Flow-style YAML for one value.
    public var inline: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): s.isEmpty || s.contains(where: { ":#{}[],&*!|>'\"%@`".contains($0) }) || Double(s) != nil
            || ["true", "false", "null", "yes", "no", "~"].contains(s.lowercased()) ? "\"\(s)\"" : s
        case .list(let items): "[" + items.map(\.inline).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.keys.map { "\($0): \(map[$0]!.inline)" }.joined(separator: ", ") + "}"
        }
    }
}

/// An insertion-ordered string-keyed mapping with the source line of each key.
public struct ConfigMap: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: ConfigValue] = [:]
    /// 1-based source lines of keys that came from a file.
    public var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> ConfigValue? {
        get { values[key] }
        set {
            if newValue != nil, values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }
}
