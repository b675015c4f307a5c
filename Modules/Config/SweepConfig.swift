/// One axis of a sweep grid: a config key path (as `--set` takes it) and the values it takes.
///
/// Written `KEY=V1,V2,...` on the command line (`--grid optimizer.lr=0.01,0.001`), the values
/// in YAML flow syntax, so lists work too: `--grid model.hidden=[16],[32,16]`.
public struct SweepAxis: Sendable, Equatable {
    /// The dotted key path, e.g. `optimizer.lr`.
    public var key: String
    /// The values, in the order given (at least one, no two equal).
    public var values: [ConfigValue]

    public init(key: String, values: [ConfigValue]) {
        self.key = key
        self.values = values
    }

    /// Parses one `--grid` entry, `KEY=V1,V2,...`.
    /// - Throws: ``ConfigError/badValue(file:line:path:value:expected:)`` naming `--grid` when the
    ///   entry has no `=`, the key is not a key path, the values are not YAML or repeat a value.
    public init(parsing text: String) throws(ConfigError) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .badValue(file: "--grid", line: nil, path: "(grid)", value: "'\(text)'",
                            expected: "KEY=V1,V2,... with KEY a config key path as --set takes")
        }
        let key = String(text[..<eq])
        let valueText = String(text[text.index(after: eq)...])
        let parsed: ConfigValue
        do throws(ConfigError) { parsed = try ConfigValue.parse(yaml: "[\(valueText)]", file: "--grid") } catch {
            throw .badValue(file: "--grid", line: nil, path: key, value: "'\(valueText)'",
                            expected: "values separated by commas, in YAML (lists in brackets)")
        }
        guard case .list(let values) = parsed else {
            throw .badValue(file: "--grid", line: nil, path: key, value: "'\(valueText)'", expected: "values separated by commas")
        }
        try self.init(checking: key, values, file: "--grid", line: nil)
    }

    /// An axis whose key and values are checked: a key path of `[A-Za-z0-9_]` names joined by
    /// dots, at least one value, no value twice, no empty value.
    init(checking key: String, _ values: [ConfigValue], file: String, line: Int?) throws(ConfigError) {
        let names = key.split(separator: ".", omittingEmptySubsequences: false)
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }),
              key != "sweep", !key.hasPrefix("sweep.") else {
            throw .badValue(file: file, line: line, path: key.isEmpty ? "(grid)" : key, value: "a grid key",
                            expected: "a config key path such as optimizer.lr (names joined by dots, not sweep)")
        }
        guard !values.isEmpty, !values.contains(.null) else {
            throw .badValue(file: file, line: line, path: key, value: "[\(values.map(\.inline).joined(separator: ", "))]",
                            expected: "at least one value, none empty")
        }
        for (i, value) in values.enumerated() where values[..<i].contains(value) {
            throw .badValue(file: file, line: line, path: key, value: value.inline, expected: "each value once")
        }
        self.init(key: key, values: values)
    }

    /// The `--set` override that sets this key to `value`.
    public func override(_ value: ConfigValue) -> String { "\(key)=\(value.inline)" }
}

/// A config file's `sweep:` section: the grid `trainboard sweep` expands into runs.
///
/// ```yaml
/// sweep:
///   grid:                    # key path: [values]; every combination is one run
///     model.output_activation: [none, sigmoid, log_sigmoid]
///     loss.name: [bce, bce_with_logits]
///   parallel: 2              # runs at once (optional; --parallel wins)
/// ```
public struct SweepConfig: Sendable, Equatable {
    /// The axes, in file order (the first varies slowest).
    public var grid: [SweepAxis]
    /// Runs at once, or nil for the command's default.
    public var parallel: Int?

    public init(grid: [SweepAxis], parallel: Int? = nil) {
        self.grid = grid
        self.parallel = parallel
    }

    /// The most runs a sweep runs at once.
    public static let maxParallel = 64

    init(_ r: ConfigReader) throws(ConfigError) {
        parallel = try r.int("parallel", default: nil, range: 1...Self.maxParallel)
        guard let value = r.passThrough("grid") else {
            try r.finish()   // a misspelt grid key is named as such
            throw .missing(file: r.file, path: "sweep.grid", expected: "a mapping of config key paths to lists of values")
        }
        guard case .map(let map) = value, !map.keys.isEmpty else {
            throw r.badValue("grid", value.inline, expected: "a mapping of config key paths to lists of values")
        }
        grid = []
        for key in map.keys {
            let values: [ConfigValue] = if case .list(let items)? = map[key] { items } else { [map[key]!] }
            grid.append(try SweepAxis(checking: key, values, file: r.file, line: map.lines[key]))
        }
    }

    /// This grid with `axes` added; an axis of `axes` replaces the one with the same key here
    /// (command-line entries win over the file's). Two entries of `axes` with one key are an error.
    public func merged(with axes: [SweepAxis]) throws(ConfigError) -> SweepConfig {
        var merged = self
        for (i, axis) in axes.enumerated() {
            if axes[..<i].contains(where: { $0.key == axis.key }) {
                throw .badValue(file: "--grid", line: nil, path: axis.key, value: "given twice", expected: "each key once")
            }
            if let at = merged.grid.firstIndex(where: { $0.key == axis.key }) { merged.grid[at] = axis } else { merged.grid.append(axis) }
        }
        return merged
    }

    /// Every combination of the axes' values, the first axis varying slowest: `[[(key, value)]]`.
    public var combinations: [[(key: String, value: ConfigValue)]] {
        grid.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [(axis.key, $0)] } }
        }
    }
}
