import Foundation
import RunEvents
import Synchronization

/// Records a run: every event to a sink (the live dashboard's store or the plain printer) and
/// to `events.jsonl` (one JSON line each; `batch_end` only every `logEverySteps` steps, and the
/// latest one before any other event, so the file's curve reaches every epoch's end), batch and validation figures
/// to `metrics.csv`, and at the end `summary.json`. (Checkpoints are written by the
/// trainer's `Checkpointer` into `checkpoints/` beside them; the recorder notes the last.)
/// The trainer's own `run_ended` is held back: the run sends the final one once the test
/// figures are known.
///
/// Lines are appended, one `write` each, so a run killed at any point leaves files that
/// `watch` reads (at worst an incomplete last line, which readers hold back). Files that are
/// rewritten go through `AtomicFile`: `summary.json`, and on resume the trimmed
/// `events.jsonl` and `metrics.csv`.
///
/// Events can come from the training thread and from the run around it, so
/// `send` serializes them; the sink sees them in file order.
public final class RunRecorder: Sendable {
    private struct Files {
        var events: FileHandle
        var metrics: MetricsCSV
        var lastCheckpoint: String?
        /// The latest `batch_end` line not written (between every Nth step), written before the
        /// next event of another type.
        var heldBatch: String?
    }

    /// `trainer.log_every_n_steps`: which steps' `batch_end` lines reach `events.jsonl`.
    private let logEverySteps: Int

    private let directory: String
    private let files: Mutex<Files>
    private let sink: @Sendable (RunEvent) -> Void
    private let codec = EventCodec()

    /// Starts `directory/events.jsonl` and `directory/metrics.csv` (creating the directory), or,
    /// for a run resumed at `continuing` in its own directory, continues them: the events file
    /// loses only an incomplete last line, `metrics.csv` the rows after the checkpoint (both
    /// rewritten atomically), and new lines are appended.
    public init(directory: String, logEverySteps: Int, continuing resumed: RunResumed? = nil,
                sink: @escaping @Sendable (RunEvent) -> Void = { _ in }) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/events.jsonl", metricsPath = "\(directory)/metrics.csv"
        let append = resumed != nil && FileManager.default.fileExists(atPath: path)
        if append, let resumed {
            try RunHistory.trimIncompleteLine(ofEventsFile: path)
            try RunHistory.rewindMetrics(at: metricsPath, to: resumed)
        }
        guard append || FileManager.default.createFile(atPath: path, contents: nil),
              let events = FileHandle(forWritingAtPath: path) else {
            throw RunError.file("\(path): cannot create the events file")
        }
        events.seekToEndOfFile()
        let metrics = try MetricsCSV(path: metricsPath, everySteps: logEverySteps, append: append)
        files = Mutex(Files(events: events, metrics: metrics))
        self.directory = directory
        self.logEverySteps = max(1, logEverySteps)
        self.sink = sink
    }

    deinit { files.withLock { try? $0.events.close() } }

    /// The path of the last checkpoint written, if any.
    public var lastCheckpoint: String? { files.withLock { $0.lastCheckpoint } }

    /// The trainer's observer: records every event but `run_ended`.
    public func record(_ event: RunEvent) {
        if case .runEnded = event { return }
        send(event)
    }

    /// Writes `summary.json` (atomically).
    public func write(_ summary: RunSummary) throws {
        try summary.write(to: "\(directory)/summary.json")
    }

    /// Records `event` and hands it to the sink (every event). `events.jsonl` gets every Nth
    /// step's `batch_end` (N = `logEverySteps`), the latest one also before any other event.
    public func send(_ event: RunEvent) {
        files.withLock { files in
            if let line = try? codec.line(for: event) {
                if case .batchEnd(let batch) = event, batch.step % logEverySteps != 0 {
                    files.heldBatch = line
                } else {
                    var text = line + "\n"
                    if case .batchEnd = event {} else if let held = files.heldBatch { text = held + "\n" + text }
                    files.heldBatch = nil
                    files.events.write(Data(text.utf8))
                }
            }
            files.metrics.record(event)
            if case .checkpointSaved(let saved) = event { files.lastCheckpoint = saved.path }
            sink(event)
        }
    }
}
