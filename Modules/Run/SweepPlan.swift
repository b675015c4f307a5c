import Config
import Foundation
import Losses
import NN

/// One value a sweep run sets: a config key path and its value.
public struct SweepSetting: Sendable, Equatable {
    public var key: String
    public var value: ConfigValue

    public init(key: String, value: ConfigValue) {
        self.key = key
        self.value = value
    }
}

/// One combination of a sweep grid: an ordinary run whose `log_dir` is `DIR/NAME`, so its run
/// directory is `DIR/NAME/version_N` (`watch`, `eval` and resume work on it unchanged).
public struct SweepRun: Sendable {
    /// The directory name, made of the values it sets: `optimizer.lr=0.01,model.hidden=16-8`.
    public var name: String
    /// The values the grid sets, in axis order.
    public var settings: [SweepSetting]
    /// The base config with the settings applied, `log_dir` set to ``directory``, validated.
    public var config: RunConfig
    /// `DIR/NAME`: the run's `log_dir`, where its resolved ``configFile`` is recorded.
    public var directory: String
    /// The loss lint's verdict on the model's last layer and the loss: `ok`, or the problems.
    public var lint: String

    /// `DIR/NAME/config.yaml`: the resolved config the run is made from.
    public var configFile: String { "\(directory)/config.yaml" }

    /// The resolved config as YAML (every default filled in, no `sweep:` section).
    public var configText: String {
        guard case .map(var map) = config.resolved else { return config.resolved.yaml() }
        map["sweep"] = nil
        return ConfigValue.map(map).yaml()
    }
}

/// Where a sweep run stands, from what its directory holds.
public enum SweepRunState: Sendable, Equatable {
    /// Never started (or started without leaving a checkpoint): run it from the start.
    case pending
    /// Stopped or killed with `checkpoints/last.safetensors` saved: continue from it.
    case resumable(checkpoint: String)
    /// Ended (completed, early-stopped, NaN): skipped by a resumed sweep.
    case finished(RunSummary)
}

/// A sweep grid expanded into runs: every combination of the axes' values applied to a base
/// config, each validated like `fit --set` would (so a bad key fails before anything runs).
///
/// ```swift
/// let plan = try SweepPlan(config: "Config/iris.yaml", grid: ["optimizer.lr=0.01,0.001", "model.hidden=[8],[16]"],
///                          logDir: "runs/iris-sweep")
/// print(plan.runs.map(\.name))   // ["optimizer.lr=0.01,model.hidden=8", ...]
/// ```
public struct SweepPlan: Sendable {
    /// The sweep directory: `sweep.csv` and one directory per run.
    public var directory: String
    /// The grid (the file's `sweep:` section merged with the `--grid` entries).
    public var grid: SweepConfig
    public var runs: [SweepRun]

    /// The grid keys, in axis order (the first columns of `sweep.csv`).
    public var keys: [String] { grid.grid.map(\.key) }
    /// `DIR/sweep.csv`.
    public var tablePath: String { "\(directory)/\(SweepTable.fileName)" }

    /// Expands the grid of `config`'s `sweep:` section and `grid` (`KEY=V1,V2,...` entries, which
    /// replace the file's axis of the same key) over the config with `overrides` applied. The
    /// sweep directory is `logDir`, else the config's `log_dir`.
    /// - Throws: ``Config/ConfigError`` for a bad config, grid entry or combination.
    public init(config path: String, grid entries: [String] = [], overrides: [String] = [], logDir: String? = nil)
        throws(ConfigError) {
        let base = try RunConfig.load(path: path, overrides: overrides)
        var axes: [SweepAxis] = []
        for entry in entries { axes.append(try SweepAxis(parsing: entry)) }
        grid = try (base.sweep ?? SweepConfig(grid: [])).merged(with: axes)
        guard !grid.grid.isEmpty else {
            throw .missing(file: path, path: "sweep.grid", expected: "a grid: --grid KEY=V1,V2,... or a sweep: section")
        }
        directory = logDir ?? base.logDir
        var names: [String: [SweepSetting]] = [:]
        runs = []
        for combination in grid.combinations {
            let settings = combination.map { SweepSetting(key: $0.key, value: $0.value) }
            let name = Self.name(settings)
            if let other = names[name] {
                throw .badValue(file: path, line: nil, path: "sweep.grid", value: "\(Self.describe(other)) and \(Self.describe(settings))",
                                expected: "values that make different directory names (both make \(name))")
            }
            names[name] = settings
            let runDirectory = "\(directory)/\(name)"
            let config = try RunConfig.load(path: path, overrides: overrides + settings.map { "\($0.key)=\($0.value.inline)" } + [
                "log_dir=\(ConfigValue.string(runDirectory).inline)", "name=\(ConfigValue.string("\(base.name)/\(name)").inline)"])
            let warnings = LossLint.check(lastLayer: config.model.spec.outputKind, loss: config.loss.name)
            runs.append(SweepRun(name: name, settings: settings, config: config, directory: runDirectory,
                                 lint: warnings.isEmpty ? "ok" : warnings.map(\.problem).joined(separator: "; ")))
        }
    }

    /// The directory name of a combination: `key=value` per setting joined by `,`, values
    /// reduced to letters, digits and `._+-` (list items joined by `-`, anything else `_`);
    /// names longer than ``maxNameLength`` are cut and end in a hash of the whole.
    public static func name(_ settings: [SweepSetting]) -> String {
        let full = settings.map { "\($0.key)=\(fileName($0.value))" }.joined(separator: ",")
        guard full.utf8.count > maxNameLength else { return full }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
        for byte in full.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(full.prefix(maxNameLength - 17)) + "-" + String(hash, radix: 16)
    }

    /// The longest directory name a combination gets (file systems allow 255 bytes).
    public static let maxNameLength = 160

    static func fileName(_ value: ConfigValue) -> String {
        let text: String = switch value {
        case .list(let items): items.map(fileName).joined(separator: "-")
        case .string(let s): s
        default: value.inline
        }
        let safe = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._+-".contains($0)) ? $0 : "_" })
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" + safe : safe
    }

    private static func describe(_ settings: [SweepSetting]) -> String {
        settings.map { "\($0.key)=\($0.value.inline)" }.joined(separator: " ")
    }

    /// Where `run` stands: the newest `version_N` in its directory decides (a summary that ended
    /// other than `stopped` or `error` is finished; else its `last` checkpoint, if any, resumes).
    public static func state(of run: SweepRun) -> SweepRunState {
        guard let newest = RunDirectory.versions(in: run.directory).max() else { return .pending }
        let path = RunDirectory.versionPath(run.directory, newest)
        if let summary = try? RunSummary.read(from: "\(path)/summary.json"), summary.endReason != .stopped,
           summary.endReason != .error {
            return .finished(summary)
        }
        let last = "\(path)/checkpoints/last.safetensors"
        return FileManager.default.fileExists(atPath: last) ? .resumable(checkpoint: last) : .pending
    }
}
