import Dashboard
import Foundation
import Testing
@testable import Run
import Config
import RunEvents
import Training

/// Issue 16: a resumed run continues its record. `metrics.csv` keeps one header and every
/// epoch, and `events.jsonl` folds to the dashboard of a run that was never interrupted.
@Suite("Resume appends to the run's record")
struct ResumeRecordTests {
    /// The dashboard model `watch` builds from a run directory's `events.jsonl`.
    static func fold(_ directory: String) throws -> DashboardModel {
        let text = try String(contentsOfFile: "\(directory)/events.jsonl", encoding: .utf8)
        var model = DashboardModel()
        for line in text.split(separator: "\n") { model.apply(EventCodec().parse(line)) }
        return model
    }

    /// `model` without what differs between two runs of the same numbers: wall-clock figures
    /// (times, rates, start time), the run directory in checkpoint paths, and the message the
    /// resume itself adds.
    static func normalized(_ model: DashboardModel) -> DashboardModel {
        var model = model
        model.run?.startedAt = ""
        model.progress.elapsed = 0
        model.progress.earlierElapsed = 0
        model.progress.samplesPerSec = 0
        model.ended?.summary["wall_seconds"] = nil
        model.ended?.summary["train_samples_per_second"] = nil
        if let path = model.lastCheckpoint?.path { model.lastCheckpoint?.path = URL(fileURLWithPath: path).lastPathComponent }
        model.messages.removeAll { $0.text.hasPrefix("resumed from ") }
        return model
    }

    /// The `metrics.csv` of `directory`: its header lines and its rows as column → cell.
    static func metrics(_ directory: String) throws -> (headers: Int, rows: [[String: String]]) {
        let lines = try String(contentsOfFile: "\(directory)/metrics.csv", encoding: .utf8).split(separator: "\n")
        let header = MetricsCSV.columns.joined(separator: ",")
        let rows = lines.filter { $0 != header }.map { line in
            Dictionary(uniqueKeysWithValues: zip(MetricsCSV.columns, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        return (lines.filter { $0 == header }.count, rows)
    }

    /// A 2-epoch run, then the same run resumed from its `last` to 4 epochs.
    static func twoThenFour(logDir: String, beforeResume: (String) throws -> Void = { _ in }) throws -> (String, RunOutcome) {
        let first = try RunFixture.iris(["trainer.max_epochs=2"], logDir: logDir).0.execute()
        try beforeResume(first.summary.directory)
        let resumed = try RunFixture.iris(["trainer.max_epochs=4",
                                           "trainer.resume=\(first.summary.directory)/checkpoints/last.safetensors"],
                                          logDir: logDir).0
        return (first.summary.directory, try resumed.execute())
    }

    @Test func resumingInPlaceContinuesMetricsAndEventsFromStepOne() throws {
        let logDir = RunFixture.newLogDir(), otherDir = RunFixture.newLogDir()
        defer { for d in [logDir, otherDir] { try? FileManager.default.removeItem(atPath: d) } }
        let (directory, outcome) = try Self.twoThenFour(logDir: logDir)
        #expect(outcome.summary.directory == directory && RunDirectory.versions(in: logDir) == [0])
        let stepsPerEpoch = outcome.summary.steps / 4

        let (headers, rows) = try Self.metrics(directory)
        #expect(headers == 1)
        #expect(rows.filter { $0["val_loss"] != "" }.map { $0["epoch"]! } == ["1", "2", "3", "4"])
        let steps = rows.map { Int($0["step"]!)! }
        #expect(steps == steps.sorted() && steps.first! <= 5 && steps.last == 4 * stepsPerEpoch)
        let batchSteps = rows.filter { $0["train_loss"] != "" }.map { $0["step"]! }
        #expect(Set(batchSteps).count == batchSteps.count)

        let events = try RunFixture.events(in: directory)
        let resumes = events.compactMap { event -> RunResumed? in if case .runResumed(let r) = event { r } else { nil } }
        #expect(resumes == [RunResumed(checkpoint: "\(directory)/checkpoints/last.safetensors", step: 2 * stepsPerEpoch, epoch: 2)])
        #expect(events.filter { if case .runStarted = $0 { true } else { false } }.count == 2)

        let uninterrupted = try RunFixture.iris(["trainer.max_epochs=4"], logDir: otherDir).0.execute()
        let model = try Self.fold(directory), reference = try Self.fold(uninterrupted.summary.directory)
        // trainer.log_every_n_steps (5 in iris.yaml) thins the batch lines; the last step of each epoch is always there.
        #expect(model.rawLoss.last?.x == Double(4 * stepsPerEpoch) && model.valLoss.map(\.x) == [1, 2, 3, 4])
        #expect(model.messages.map(\.text) == ["resumed from \(directory)/checkpoints/last.safetensors at step \(2 * stepsPerEpoch) (epoch 2)"])
        #expect(Self.normalized(model) == Self.normalized(reference))

        let segments = outcome.summary.segments
        #expect(segments.map(\.fromStep) == [0, 2 * stepsPerEpoch] && segments.map(\.toStep) == [2 * stepsPerEpoch, 4 * stepsPerEpoch])
        #expect(segments.map(\.endReason) == [.completed, .completed])
        #expect(segments[1].resumedFrom == "\(directory)/checkpoints/last.safetensors" && segments[0].resumedFrom == nil)
        #expect(outcome.summary.startedAt == segments[0].startedAt && segments.allSatisfy { $0.endedAt != nil })
        #expect(try RunSummary.read(from: "\(directory)/summary.json") == outcome.summary)

        // The best validation figures span both segments: the first read back at the resume, the
        // second noted as it was emitted; the same as every epoch_end in the file.
        let validations = events.compactMap { event -> EpochEnd? in if case .epochEnd(let e) = event { e } else { nil } }
        #expect(validations.count == 4)
        #expect(outcome.summary.bestValidationLoss == validations.compactMap(\.valLoss).min())
        #expect(outcome.summary.bestValidationAccuracy == validations.compactMap(\.valAccuracy).max())
        let recorded = RunHistory.read(eventsFile: "\(directory)/events.jsonl")
        #expect(recorded.segments.map(\.fromStep) == segments.map(\.fromStep) && recorded.segments.map(\.endReason) == segments.map(\.endReason))
        #expect(recorded.best.loss == outcome.summary.bestValidationLoss && recorded.best.accuracy == outcome.summary.bestValidationAccuracy)
    }

    /// A run killed after its last checkpoint: events and metrics rows past the checkpoint,
    /// an event line cut in the middle. The resume drops what it undoes.
    @Test func resumingAfterACrashDropsWhatCameAfterTheCheckpoint() throws {
        let logDir = RunFixture.newLogDir(), otherDir = RunFixture.newLogDir()
        defer { for d in [logDir, otherDir] { try? FileManager.default.removeItem(atPath: d) } }
        let (directory, outcome) = try Self.twoThenFour(logDir: logDir) { directory in
            let events = "\(directory)/events.jsonl", metrics = "\(directory)/metrics.csv"
            var lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").map(String.init)
            lines.removeAll { $0.contains("\"type\":\"run_ended\"") }   // it never ended
            let codec = EventCodec()
            for step in 15...16 {
                lines.append(try codec.line(for: .batchEnd(BatchEnd(epoch: 3, step: step, batch: step - 14, loss: 9, avgLoss: 9,
                                                                     lr: 0.01, samplesPerSec: 1, elapsed: 1))))
            }
            try Data((lines.joined(separator: "\n") + "\n{\"type\":\"batch_e").utf8).write(to: URL(fileURLWithPath: events))
            let handle = try #require(FileHandle(forWritingAtPath: metrics))
            handle.seekToEndOfFile()
            handle.write(Data("3,15,9,9,0.01,1,,,,,,,1\n3,1".utf8))
            try handle.close()
            try FileManager.default.removeItem(atPath: "\(directory)/summary.json")
        }
        let (headers, rows) = try Self.metrics(directory)
        #expect(headers == 1 && rows.allSatisfy { $0.count == MetricsCSV.columns.count })
        #expect(!rows.contains { $0["train_loss"] == "9" })
        let text = try String(contentsOfFile: "\(directory)/events.jsonl", encoding: .utf8)
        #expect(text.split(separator: "\n").allSatisfy { if case .event = EventCodec().parse($0) { true } else { false } })

        let uninterrupted = try RunFixture.iris(["trainer.max_epochs=4"], logDir: otherDir).0.execute()
        #expect(Self.normalized(try Self.fold(directory)) == Self.normalized(try Self.fold(uninterrupted.summary.directory)))
        let first = try #require(outcome.summary.segments.first)
        #expect(first.endReason == nil && first.toStep == 16 && first.endedAt != nil)   // killed at step 16
        #expect(outcome.summary.segments.count == 2 && outcome.summary.segments[1].fromStep == outcome.summary.steps / 2)
    }

    /// Validation every 3 steps, a stop in the middle of epoch 2, then a crash-like tail: a
    /// validation at step 12 recorded after the checkpoint at step 10. The resume undoes it.
    @Test func aMidEpochResumeDropsValidationsAfterTheCheckpointsStep() throws {
        let logDir = RunFixture.newLogDir(), otherDir = RunFixture.newLogDir()
        defer { for d in [logDir, otherDir] { try? FileManager.default.removeItem(atPath: d) } }
        let control = TrainingControl()
        let (first, _) = try RunFixture.iris(["trainer.max_epochs=3", "trainer.validate_every_steps=3"], control: control,
                                             logDir: logDir)
        first.trainer.observers.append { if case .batchEnd(let b) = $0, b.step == 10 { control.requestStop() } }
        let stopped = try first.execute()
        #expect(stopped.reason == .stopped && stopped.summary.steps == 10)
        let directory = stopped.summary.directory, events = "\(directory)/events.jsonl"
        let undone = try EventCodec().line(for: .epochEnd(EpochEnd(epoch: 2, step: 12, trainLoss: 9, valLoss: 9, valAccuracy: 0)))
        try Data((try String(contentsOfFile: events, encoding: .utf8) + undone + "\n").utf8).write(to: URL(fileURLWithPath: events))

        let resumed = try RunFixture.iris(["trainer.max_epochs=3", "trainer.validate_every_steps=3",
                                           "trainer.resume=\(directory)/checkpoints/last.safetensors"], logDir: logDir).0
        #expect(try resumed.execute().summary.segments.map(\.fromStep) == [0, 10])
        let uninterrupted = try RunFixture.iris(["trainer.max_epochs=3", "trainer.validate_every_steps=3"], logDir: otherDir).0
        let reference = try uninterrupted.execute()
        let model = try Self.fold(directory)
        #expect(!model.valLoss.contains { $0.y == 9 })
        #expect(Self.normalized(model) == Self.normalized(try Self.fold(reference.summary.directory)))
        let validations = try Self.metrics(directory).rows.filter { $0["val_loss"] != "" }.map { Int($0["step"]!)! }
        #expect(validations == Array(stride(from: 3, through: reference.summary.steps, by: 3)) + (reference.summary.steps % 3 == 0 ? [] : [reference.summary.steps]))
    }

    @Test func resumingIntoAnotherLogDirStartsANewDirectoryAndSaysSo() throws {
        let logDir = RunFixture.newLogDir(), otherDir = RunFixture.newLogDir()
        defer { for d in [logDir, otherDir] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try RunFixture.iris(["trainer.max_epochs=2"], logDir: logDir).0.execute()
        let before = RunDirectoryTests.files(in: first.summary.directory)
        let checkpoint = "\(first.summary.directory)/checkpoints/last.safetensors"
        let outcome = try RunFixture.iris(["trainer.max_epochs=3", "trainer.resume=\(checkpoint)"], logDir: otherDir).0.execute()
        #expect(outcome.summary.directory == "\(otherDir)/version_0")
        #expect(RunDirectoryTests.files(in: first.summary.directory) == before)

        let events = try RunFixture.events(in: outcome.summary.directory)
        guard case .runResumed(let resumed)? = events.first, case .message(let note)? = events.dropFirst().first else {
            Issue.record("events.jsonl does not start with run_resumed and the note")
            return
        }
        #expect(resumed.checkpoint == checkpoint && resumed.step == first.summary.steps)
        #expect(note.level == .info && note.text.contains("nothing is copied") && note.text.contains(first.summary.directory))
        let steps = try Self.metrics(outcome.summary.directory).rows.map { Int($0["step"]!)! }
        #expect(steps.allSatisfy { $0 > first.summary.steps })
        // Resuming from another checkpoint than the run's `last` keeps that run's later record: a new version.
        let fromBest = try RunFixture.iris(["trainer.resume=\(first.summary.directory)/checkpoints/best.safetensors",
                                            "trainer.max_epochs=3"], logDir: logDir).0
        #expect(try fromBest.claimDirectory().path == "\(logDir)/version_1")
    }
}
