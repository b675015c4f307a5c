import Losses

/// Reads one mapping of a config with types, defaults and key paths, and
/// records what it read.
///
/// Every key a decoder asks for becomes a known key, so `finish()` can reject
/// the keys nobody asked for with a did-you-mean, and `resolved` holds the
/// values actually used (defaults included) for `print-config`.
public final class ConfigReader {
    public let file: String
    public let path: String
    private let map: ConfigMap
    private var asked: [String] = []
    private var children: [String: ConfigReader] = [:]
    /// The values used, in the order read; sections appear as nested maps.
    public private(set) var resolved = ConfigMap()

    /// A reader over a parsed document (the top level must be a mapping).
    public convenience init(_ value: ConfigValue, file: String) throws(ConfigError) {
        guard case .map(let map) = value else {
            throw .wrongType(file: file, line: nil, path: "(top level)", expected: "a mapping", found: value.kind)
        }
        self.init(map: map, file: file, path: "")
    }

    init(map: ConfigMap, file: String, path: String) {
        self.map = map
        self.file = file
        self.path = path
    }

    /// Keys present in the mapping, in file order.
    public var presentKeys: [String] { map.keys }
    /// Keys read so far.
    public var askedKeys: [String] { asked }

    private func fullPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    private func line(_ key: String) -> Int? { map.lines[key] }

    /// The raw value of `key`, marking it as known.
    public func raw(_ key: String) -> ConfigValue? {
        if !asked.contains(key) { asked.append(key) }
        if case .null? = map[key] { return nil }
        return map[key]
    }

    private func record<T>(_ key: String, _ value: T, as config: ConfigValue) -> T {
        resolved[key] = config
        return value
    }

    private func typeError(_ key: String, _ expected: String, _ found: ConfigValue) -> ConfigError {
        .wrongType(file: file, line: line(key), path: fullPath(key), expected: expected, found: "\(found.kind) (\(found.inline))")
    }

    /// A value outside what the key accepts.
    public func badValue(_ key: String, _ value: String, expected: String) -> ConfigError {
        .badValue(file: file, line: line(key), path: fullPath(key), value: value, expected: expected)
    }

    public func int(_ key: String, default fallback: Int? = nil, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let v = raw(key) else { return record(key, fallback, as: fallback.map { .int($0) } ?? .null) }
        guard case .int(let i) = v else { throw typeError(key, "an integer", v) }
        if let range, !range.contains(i) { throw badValue(key, String(i), expected: "an integer in \(range)") }
        return record(key, i, as: v)
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try int(key, default: Optional(fallback), range: range)!
    }

    public func double(_ key: String, default fallback: Double? = nil, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        guard let v = raw(key) else { return record(key, fallback, as: fallback.map { .double($0) } ?? .null) }
        let d: Double
        switch v {
        case .int(let i): d = Double(i)
        case .double(let x): d = x
        default: throw typeError(key, "a number", v)
        }
        if let range, !range.contains(d) { throw badValue(key, v.inline, expected: "a number in \(range)") }
        return record(key, d, as: v)
    }

    public func double(_ key: String, default fallback: Double, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        try double(key, default: Optional(fallback), range: range)!
    }

    public func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let v = raw(key) else { return record(key, fallback, as: .bool(fallback)) }
        guard case .bool(let b) = v else { throw typeError(key, "true or false", v) }
        return record(key, b, as: v)
    }

    public func string(_ key: String, default fallback: String? = nil) throws(ConfigError) -> String? {
        guard let v = raw(key) else { return record(key, fallback, as: fallback.map { .string($0) } ?? .null) }
        guard case .string(let s) = v else { throw typeError(key, "a string", v) }
        return record(key, s, as: v)
    }

    /// A string that must be one of `choices`.
    public func choice(_ key: String, among choices: [String], default fallback: String) throws(ConfigError) -> String {
        let s = try string(key, default: fallback)!
        guard choices.contains(s) else {
            throw badValue(key, "'\(s)'", expected: "one of \(choices.joined(separator: ", "))")
        }
        return s
    }

    public func intList(_ key: String, default fallback: [Int]? = nil) throws(ConfigError) -> [Int]? {
        guard let v = raw(key) else { return record(key, fallback, as: fallback.map { .list($0.map { .int($0) }) } ?? .null) }
        guard case .list(let items) = v else { throw typeError(key, "a list of integers", v) }
        var out: [Int] = []
        for item in items {
            guard case .int(let i) = item else { throw typeError(key, "a list of integers", v) }
            out.append(i)
        }
        return record(key, out, as: v)
    }

    public func stringList(_ key: String, default fallback: [String] = []) throws(ConfigError) -> [String] {
        guard let v = raw(key) else { return record(key, fallback, as: .list(fallback.map { .string($0) })) }
        guard case .list(let items) = v else { throw typeError(key, "a list of strings", v) }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw typeError(key, "a list of strings", v) }
            out.append(s)
        }
        return record(key, out, as: v)
    }

    /// Records a value computed by the caller (e.g. an option passed through as-is).
    public func passThrough(_ key: String) -> ConfigValue? {
        let v = raw(key)
        if let v { resolved[key] = v }
        return v
    }

    /// A nested section (an empty one when absent). Call `finish()` on it.
    public func section(_ key: String) throws(ConfigError) -> ConfigReader {
        let v = raw(key) ?? .map(ConfigMap())
        guard case .map(let m) = v else { throw typeError(key, "a mapping", v) }
        let child = ConfigReader(map: m, file: file, path: fullPath(key))
        children[key] = child
        resolved[key] = .map(ConfigMap())
        return child
    }

    /// Rejects keys nobody asked for, naming the closest known key, and folds
    /// the sections' resolved values into this one.
    public func finish() throws(ConfigError) {
        for key in map.keys where !asked.contains(key) {
            throw .unknownKey(file: file, line: line(key), path: fullPath(key),
                              suggestion: Suggestion.closest(to: key, among: asked), known: asked)
        }
        for (key, child) in children {
            try child.finish()
            resolved[key] = .map(child.resolved)
        }
    }
}

extension ConfigReader {
    /// A string that must be one of the names in `choices`, mapped to its typed value.
    public func choice<Value>(_ key: String, among choices: [(name: String, value: Value)], default fallback: String)
        throws(ConfigError) -> Value {
        let name = try choice(key, among: choices.map(\.name), default: fallback)
        return choices.first { $0.name == name }!.value
    }

    /// A string naming one case of a `String`-backed enum.
    public func choice<Value: RawRepresentable & CaseIterable>(_ key: String, default fallback: Value) throws(ConfigError) -> Value
        where Value.RawValue == String {
        try choice(key, among: Value.allCases.map { ($0.rawValue, $0) }, default: fallback.rawValue)
    }

    /// A number read as `Float` (configs write `Double`s), defaulting to `fallback`.
    public func float(_ key: String, default fallback: Float, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Float {
        Float(try double(key, default: Double(fallback), range: range))
    }

    /// Keys present in this mapping that nothing has read yet (for open-ended
    /// sections such as loss options, validated elsewhere).
    public var remainingKeys: [String] { presentKeys.filter { !askedKeys.contains($0) } }
}
