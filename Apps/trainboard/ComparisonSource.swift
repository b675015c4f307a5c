import Config
import Data
import Dashboard
import Foundation
import RunEvents

/// Finds the runs under the directories given to `compare` (or `watch` with several) and
/// folds their events into a ``ComparisonModel``; runs that appear later are picked up.
///
/// A directory is a run directory (it holds `events.jsonl`), a log dir (its `version_N`
/// folders are runs), or a sweep directory (`sweep.csv` and one folder per run, whose newest
/// `version_N` is the run). Use from one thread.
final class ComparisonSource {
    let directories: [String]
    /// Loss-lint verdicts by run directory or its parent (a sweep's `DIR/NAME`).
    var lint: [String: String] = [:]
    private var followers: [(id: String, follower: EventFileFollower)] = []
    private var configRead: Set<String> = []
    private var lastScan: DispatchTime?

    /// How often the directories are listed again for new runs.
    static let scanSeconds = 1.0
    /// How long one ``poll(_:)`` folds files that are far ahead before returning.
    static let catchUpSeconds = 0.2

    init(directories: [String]) {
        self.directories = directories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// One line naming the first directory that does not exist, if any.
    var missingDirectory: String? {
        directories.first { !FileManager.default.fileExists(atPath: $0) }.map { "no such run, log or sweep directory: \($0)" }
    }

    /// The runs under `directory`: (run directory, label) pairs.
    static func runs(in directory: String) -> [(path: String, label: String)] {
        let files = FileManager.default
        let base = URL(fileURLWithPath: directory).lastPathComponent
        if files.fileExists(atPath: "\(directory)/events.jsonl") {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().lastPathComponent
            return [(directory, base.hasPrefix("version_") ? "\(parent)/\(base)" : base)]
        }
        let children = ((try? files.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var found: [(String, String)] = []
        for child in children where !child.hasPrefix(".") {
            let path = "\(directory)/\(child)"
            if files.fileExists(atPath: "\(path)/events.jsonl") {
                found.append((path, "\(base)/\(child)"))
                continue
            }
            let versions = ((try? files.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasPrefix("version_") && files.fileExists(atPath: "\(path)/\($0)/events.jsonl") }
                .sorted { Int($0.dropFirst(8)) ?? -1 < Int($1.dropFirst(8)) ?? -1 }
            if files.fileExists(atPath: "\(path)/config.yaml"), let newest = versions.last {
                found.append(("\(path)/\(newest)", child))   // a sweep's run: its newest version
            } else {
                found += versions.map { ("\(path)/\($0)", "\(child)/\($0)") }
            }
        }
        return found
    }

    /// Adds runs not seen yet (at most every ``scanSeconds``) and folds what every run's file
    /// gained, for at most ``catchUpSeconds``. Returns whether some file holds more already.
    @discardableResult
    func poll(_ model: inout ComparisonModel) throws -> Bool {
        let now = DispatchTime.now()
        if lastScan.map({ now.uptimeNanoseconds - $0.uptimeNanoseconds > UInt64(Self.scanSeconds * 1e9) }) ?? true {
            lastScan = now
            scan(&model)
        }
        let deadline = now.uptimeNanoseconds + UInt64(Self.catchUpSeconds * 1e9)
        var behind = false
        for (id, follower) in followers {
            var more = true
            while more, DispatchTime.now().uptimeNanoseconds < deadline {
                more = try follower.poll { line in model.updateRun(id) { $0.apply(line) } }
            }
            behind = behind || more
            if !configRead.contains(id) { readConfig(id, &model) }
        }
        return behind
    }

    /// Reads every run to its current end.
    func readAll(_ model: inout ComparisonModel) throws {
        while try poll(&model) {}
    }

    private func scan(_ model: inout ComparisonModel) {
        for directory in directories {
            for (path, label) in Self.runs(in: directory) where !followers.contains(where: { $0.id == path }) {
                followers.append((path, EventFileFollower(url: URL(fileURLWithPath: path).appendingPathComponent("events.jsonl"))))
                model.addRun(id: path, label: label)
            }
            // A sweep's table, in the directory or above a run directory of it.
            for up in ["", "/..", "/../.."] {
                readLint(sweepTable: URL(fileURLWithPath: "\(directory)\(up)/sweep.csv").standardizedFileURL.path)
            }
        }
        for (id, _) in followers {
            let parent = URL(fileURLWithPath: id).deletingLastPathComponent().path
            if let verdict = lint[id] ?? lint[parent] { model.updateRun(id) { $0.lint = verdict } }
        }
    }

    /// The `lint` column of a sweep's table, by run directory.
    private func readLint(sweepTable path: String) {
        guard FileManager.default.fileExists(atPath: path), let table = try? CSVReader.readTable(contentsOf: path),
              let lintColumn = table.header.firstIndex(of: "lint"), let directoryColumn = table.header.firstIndex(of: "directory") else { return }
        for record in table.records where record.fields.count > max(lintColumn, directoryColumn) {
            let directory = URL(fileURLWithPath: record.fields[directoryColumn]).standardizedFileURL.path
            lint[directory] = record.fields[lintColumn]
        }
    }

    /// Once the run's header names its config: the file flattened into `key.path → value`
    /// (`name` and `log_dir` left out: they differ between any two runs). A config that
    /// cannot be read leaves the header's keys to compare.
    private func readConfig(_ id: String, _ model: inout ComparisonModel) {
        guard let run = model.runs.first(where: { $0.id == id }), let header = run.model.run else { return }
        configRead.insert(id)
        guard let text = try? String(contentsOfFile: header.config, encoding: .utf8),
              let value = try? ConfigValue.parse(yaml: text, file: header.config) else { return }
        var flat: [String: String] = [:]
        func flatten(_ value: ConfigValue, _ prefix: String) {
            if case .map(let map) = value {
                for key in map.keys { flatten(map[key]!, prefix.isEmpty ? key : "\(prefix).\(key)") }
            } else if !["name", "log_dir"].contains(prefix) {
                flat[prefix] = value.inline
            }
        }
        flatten(value, "")
        model.updateRun(id) { $0.config = flat }
    }
}
