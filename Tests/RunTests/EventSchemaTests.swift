import Config
import Foundation
import Testing
@testable import Run

/// The schema `docs/events.md` documents, read from the document itself: per event type,
/// its fields, which are required (no `?`, not only for one task), and where counters start.
private struct DocumentedSchema {
    var fields: [String: Set<String>] = [:]
    var required: [String: Set<String>] = [:]
    /// Where epochs, global steps and batch indices count from.
    var countFrom: Int?

    init(markdown: String) {
        // `\|` is a pipe inside a cell, not a cell border.
        for line in markdown.split(separator: "\n").map({ $0.replacingOccurrences(of: "\\|", with: "¦") }) {
            if line.contains("batch indices count from") {
                countFrom = line.contains("from **1**") ? 1 : line.contains("from **0**") ? 0 : nil
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1].hasPrefix("`"), let type = Self.names(in: cells[1]).first else { continue }
            // Parenthesised text describes a field's value (nested keys, units), not fields.
            var depth = 0, top = ""
            for ch in cells[2] {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 } else if depth == 0 { top.append(ch) }
            }
            let conditional = top.range(of: "multiclass:").map { top[$0.lowerBound...] } ?? ""
            let always = String(top.dropLast(conditional.count))
            var all = Set(Self.names(in: top)), required = Set<String>()
            for name in Self.names(in: always) where !always.contains("`\(name)`?") { required.insert(name) }
            all.insert("type")
            fields[type] = all
            self.required[type] = required
        }
    }

    /// The snake_case names written in backticks in `text`.
    static func names(in text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 && $0.element.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && !$0.element.isEmpty }
            .map { String($0.element) }
    }
}

/// A real run's `events.jsonl` read against `docs/events.md` (issue 19: the document said
/// batch indices count from 1, the trainer wrote 0 for each epoch's first batch).
@Suite("events.jsonl against docs/events.md")
struct EventSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `events.jsonl` files under `directory`, at any depth.
    private func eventFiles(under directory: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: directory)
        var found: [String] = []
        while let name = walker?.nextObject() as? String {
            if name.hasSuffix("events.jsonl") { found.append("\(directory)/\(name)") }
        }
        return found
    }

    @Test func anIrisRunWritesTheDocumentedEvents() throws {
        let schema = DocumentedSchema(markdown: try String(contentsOf: Self.root.appendingPathComponent("docs/events.md"), encoding: .utf8))
        #expect(schema.countFrom == 1)
        #expect(schema.required["batch_end"]?.isSuperset(of: ["epoch", "step", "batch", "loss"]) == true)
        let logDir = FileManager.default.temporaryDirectory.appendingPathComponent("events-schema-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let config = try RunConfig.load(path: Self.root.appendingPathComponent("Config/iris.yaml").path,
                                        overrides: ["log_dir=\(logDir)", "trainer.max_epochs=2",
                                                    "trainer.log_every_n_steps=1"])
        _ = try TrainingRun(config: config).execute()
        let files = eventFiles(under: logDir)
        try #require(files.count == 1, "events.jsonl files: \(files)")
        let lines = try String(contentsOfFile: files[0], encoding: .utf8).split(separator: "\n")
        var stepsPerEpoch = 0, lastStep = 0, lastBatch = (epoch: 0, batch: 0), types: [String] = []
        for (n, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(n + 1)")
            let type = try #require(object["type"] as? String, "line \(n + 1)")
            types.append(type)
            let documented = try #require(schema.fields[type], "line \(n + 1): type '\(type)' is not in docs/events.md")
            let present = Set(object.filter { !($0.value is NSNull) }.keys)
            #expect(present.isSubset(of: documented), "line \(n + 1) (\(type)): undocumented \(present.subtracting(documented).sorted())")
            #expect(schema.required[type, default: []].isSubset(of: present),
                    "line \(n + 1) (\(type)): missing \(schema.required[type, default: []].subtracting(present).sorted())")
            switch type {
            case "run_started":
                stepsPerEpoch = object["steps_per_epoch"] as? Int ?? 0
            case "batch_end":
                let epoch = try #require(object["epoch"] as? Int), step = try #require(object["step"] as? Int)
                let batch = try #require(object["batch"] as? Int)
                let first = schema.countFrom ?? 1
                // Counted from the documented start: the first batch of every epoch, then one more each step.
                let expectedBatch = epoch == lastBatch.epoch ? lastBatch.batch + 1 : first
                #expect(batch == expectedBatch, "line \(n + 1): epoch \(epoch) step \(step) has batch \(batch), expected \(expectedBatch)")
                #expect(step == lastStep + 1 && epoch >= 1 && step >= 1, "line \(n + 1)")
                #expect(batch - first < stepsPerEpoch, "line \(n + 1): batch \(batch) of \(stepsPerEpoch)")
                (lastStep, lastBatch) = (step, (epoch, batch))
            default: break
            }
        }
        #expect(types.first == "run_started" && types.last == "run_ended")
        #expect(lastBatch.epoch == 2 && lastBatch.batch == stepsPerEpoch - 1 + (schema.countFrom ?? 1))
    }
}
