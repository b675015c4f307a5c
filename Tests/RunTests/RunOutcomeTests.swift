import Foundation
import Synchronization
import Testing
@testable import Run
import Checkpoint
import Config
import RunEvents
import Training

/// Paths of the repo's shipped configs, and a fresh log directory per run.
enum RunFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func config(_ name: String) -> String { root.appendingPathComponent("Config/\(name)").path }

    /// A run of `Config/iris.yaml` (150 rows, seconds in a debug build) logging under a new
    /// temporary directory (or `logDir`); returns the run and the log directory. Its first
    /// run writes into `LOG_DIR/version_0` (``first(_:)``).
    static func iris(_ overrides: [String] = [], control: TrainingControl = TrainingControl(),
                     logDir: String? = nil) throws -> (TrainingRun, String) {
        let directory = logDir ?? newLogDir()
        let config = try RunConfig.load(path: config("iris.yaml"), overrides: ["log_dir=\(directory)"] + overrides)
        return (try TrainingRun(config: config, control: control), directory)
    }

    /// A fresh temporary path for a log directory.
    static func newLogDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)").path
    }

    /// The run directory of the first run under `logDir`.
    static func first(_ logDir: String) -> String { "\(logDir)/version_0" }

    /// The events a run recorded in `events.jsonl`, decoded.
    static func events(in directory: String) throws -> [RunEvent] {
        let text = try String(contentsOfFile: "\(directory)/events.jsonl", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            guard case .event(let event) = EventCodec().parse(line) else { fatalError("undecodable line: \(line)") }
            return event
        }
    }
}

/// What `trainboard fit` used to assemble by hand: the run files, the summary and how runs end.
@Suite("Run outcome and files")
struct RunOutcomeTests {
    @Test func aCompletedRunWritesEveryFile() throws {
        let (run, logDir) = try RunFixture.iris(["trainer.max_epochs=3"])
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let directory = RunFixture.first(logDir)
        let sink = Mutex<[RunEvent]>([])
        let outcome = try run.execute { event in sink.withLock { $0.append(event) } }
        let sunk = sink.withLock { $0 }
        #expect(outcome.reason == .completed)
        #expect(outcome.summary.epochs == 3 && outcome.summary.steps == 3 * run.trainLoader.batchCount)
        #expect(try RunSummary.read(from: "\(directory)/summary.json") == outcome.summary)
        #expect(outcome.summary.testAccuracy.map { $0 > 0.5 } == true)
        #expect(outcome.summary.lastCheckpoint?.hasSuffix("checkpoints/last.safetensors") == true)
        #expect(outcome.summary.bestValidation != nil)
        #expect(outcome.summary.directory == directory && outcome.summary.version == 0)
        #expect(outcome.summary.config == RunFixture.config("iris.yaml"))
        #expect(outcome.summary.segments.count == 1 && outcome.summary.segments[0].toStep == outcome.summary.steps)
        #expect(outcome.summary.startedAt == outcome.summary.segments[0].startedAt && !outcome.summary.endedAt.isEmpty)

        let events = try RunFixture.events(in: directory)
        // The sink sees every event in file order; the file holds every log_every_n_steps-th step
        // (5 in iris.yaml) and the last one before any other event.
        let kept = sunk.filter { event in
            guard case .batchEnd(let batch) = event else { return true }
            return batch.step % 5 == 0 || batch.step % run.trainLoader.batchCount == 0
        }
        #expect(events == kept && sunk.count > kept.count)
        guard case .runStarted(let started)? = events.first, case .runEnded(let ended)? = events.last else {
            Issue.record("events.jsonl does not start with run_started and end with run_ended")
            return
        }
        #expect(started.run == "iris/version_0" && started.task == .multiclass && started.classNames?.count == 3)
        #expect(ended.reason == .completed && ended.summary["test_accuracy"] == outcome.summary.testAccuracy)
        #expect(events.filter { if case .runEnded = $0 { true } else { false } }.count == 1)
        #expect(events.filter { if case .epochEnd = $0 { true } else { false } }.count == 3)

        let csv = try String(contentsOfFile: "\(directory)/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == Substring(MetricsCSV.columns.joined(separator: ",")))
        #expect(csv.filter { $0.hasPrefix("3,") && !$0.split(separator: ",", omittingEmptySubsequences: false)[7].isEmpty }.count == 1)
        for name in ["last", "best"] {
            #expect(FileManager.default.fileExists(atPath: "\(directory)/checkpoints/\(name).safetensors"))
        }
    }

    @Test func earlyStoppingEndsTheRunWithItsReason() throws {
        let (run, directory) = try RunFixture.iris(["trainer.max_epochs=50", "trainer.early_stopping.patience=0",
                                                    "trainer.early_stopping.min_delta=100"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try run.execute()
        #expect(outcome.reason == .earlyStopped)
        #expect(outcome.summary.epochs == 2)   // best at 1, no 100-point improvement at 2
        #expect(try RunSummary.read(from: "\(RunFixture.first(directory))/summary.json").endReason == .earlyStopped)
    }

    @Test func aStopRequestEndsAfterOneStepAndSavesLast() throws {
        let control = TrainingControl()
        let (run, directory) = try RunFixture.iris(control: control)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        run.trainer.observers.append { if case .batchEnd = $0 { control.requestStop() } }
        let outcome = try run.execute()
        #expect(outcome.reason == .stopped && outcome.summary.steps == 1)
        #expect(outcome.summary.lastCheckpoint?.hasSuffix("last.safetensors") == true)
        let saved = try SafetensorsFile.read(from: URL(fileURLWithPath: outcome.summary.lastCheckpoint!))
        #expect(saved.metadata["trainboard.state"]?.contains("\"step\":1") == true)
    }

    @Test func aFailureIsRecordedThenThrown() throws {
        let (run, directory) = try RunFixture.iris(["trainer.early_stopping.monitor=val_f1"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TrainingError.self) { try run.execute() }
        let events = try RunFixture.events(in: RunFixture.first(directory))
        guard case .runEnded(let ended)? = events.last, case .message(let message)? = events.dropLast().last else {
            Issue.record("no error message and run_ended at the end of events.jsonl")
            return
        }
        #expect(ended.reason == .error)
        #expect(message.level == .error && message.text.contains("val_f1"))
        #expect(!FileManager.default.fileExists(atPath: "\(RunFixture.first(directory))/summary.json"))
    }

    @Test func resumingContinuesTheStepCountAndTheBest() throws {
        let (first, directory) = try RunFixture.iris(["trainer.max_epochs=2"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let firstOutcome = try first.execute()
        let (second, other) = try RunFixture.iris(["trainer.max_epochs=4",
                                                   "trainer.resume=\(RunFixture.first(directory))/checkpoints/last.safetensors"])
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(second.trainer.state.step == firstOutcome.summary.steps)
        #expect(second.checkpointing.state.best == firstOutcome.summary.bestValidation)
        let outcome = try second.execute()
        #expect(outcome.summary.epochs == 4 && outcome.summary.steps == 2 * firstOutcome.summary.steps)
    }
}
