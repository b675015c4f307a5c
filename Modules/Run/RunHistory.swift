import Checkpoint
import Foundation
import RunEvents

/// One stretch of a run in one process: the whole run, or the part before or after a resume.
/// `summary.json` lists them in order.
public struct RunSegment: Codable, Sendable, Equatable {
    /// When the segment started (ISO 8601).
    public var startedAt: String
    /// When it ended (ISO 8601). For a segment that did not end (the process was killed), the
    /// time of its last recorded step, and ``endReason`` is nil.
    public var endedAt: String?
    /// The checkpoint the segment resumed from; nil for the run's first segment.
    public var resumedFrom: String?
    /// The global step it started after (0 for a fresh run; the checkpoint's step after a resume).
    public var fromStep: Int
    /// The last global step it recorded.
    public var toStep: Int
    /// How it ended; nil when it did not (killed).
    public var endReason: RunEnded.Reason?

    public init(startedAt: String, endedAt: String?, resumedFrom: String?, fromStep: Int, toStep: Int,
                endReason: RunEnded.Reason?) {
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.resumedFrom = resumedFrom
        self.fromStep = fromStep
        self.toStep = toStep
        self.endReason = endReason
    }

    enum CodingKeys: String, CodingKey {
        case startedAt = "started_at", endedAt = "ended_at", resumedFrom = "resumed_from", fromStep = "from_step"
        case toStep = "to_step", endReason = "end_reason"
    }
}

/// The lowest finite validation loss and the highest validation accuracy of the `epoch_end`
/// events noted, nil where no validation reported one: from a record read back
/// (``RunHistory/read(eventsFile:)``) and from the events a run emits, so a run never reads
/// its own events back.
public struct BestValidation: Sendable, Equatable {
    public private(set) var loss: Double?
    public private(set) var accuracy: Double?

    public init() {}

    /// Takes `event` into account (only `epoch_end` counts).
    public mutating func note(_ event: RunEvent) {
        guard case .epochEnd(let epoch) = event else { return }
        if let v = epoch.valLoss, v.isFinite { loss = min(loss ?? v, v) }
        if let a = epoch.valAccuracy, a.isFinite { accuracy = max(accuracy ?? a, a) }
    }
}

/// Reading a run's existing record and preparing it to be continued by a resumed run.
public enum RunHistory {
    /// What a resumed run needs of the record it continues, read in one pass over `events.jsonl`:
    /// its segments (each `run_started` begins one, a `run_resumed` before it names its
    /// checkpoint, its `batch_end`s give the last step, `run_ended` the reason and, with
    /// `wall_seconds`, the end time) and the best validation figures of every `epoch_end`.
    public static func read(eventsFile path: String) -> (segments: [RunSegment], best: BestValidation) {
        var segments: [RunSegment] = []
        var best = BestValidation()
        var pending: RunResumed?
        var elapsed = 0.0
        func end(at seconds: Double) {
            guard let last = segments.indices.last, let start = date(segments[last].startedAt) else { return }
            segments[last].endedAt = timestamp(start.addingTimeInterval(seconds))
        }
        forEachEvent(inEventsFile: path) { event in
            best.note(event)
            switch event {
            case .runResumed(let resumed):
                pending = resumed
            case .runStarted(let started):
                if segments.last.map({ $0.endReason == nil }) == true { end(at: elapsed) }
                segments.append(RunSegment(startedAt: started.startedAt, endedAt: nil, resumedFrom: pending?.checkpoint,
                                           fromStep: pending?.step ?? 0, toStep: pending?.step ?? 0, endReason: nil))
                pending = nil
                elapsed = 0
            case .batchEnd(let batch) where !segments.isEmpty:
                segments[segments.count - 1].toStep = batch.step
                elapsed = max(elapsed, batch.elapsed)
            case .runEnded(let ended) where !segments.isEmpty:
                segments[segments.count - 1].endReason = ended.reason
                end(at: ended.summary["wall_seconds"] ?? elapsed)
            default:
                break
            }
        }
        if segments.last.map({ $0.endReason == nil }) == true { end(at: elapsed) }
        return (segments, best)
    }

    /// Every event of the complete lines of `events.jsonl`, in order, read 256 KB at a time
    /// (a long run's file is never held whole, and a run's memory does not jump when it ends);
    /// none when it cannot be read.
    static func forEachEvent(inEventsFile path: String, _ body: (RunEvent) -> Void) {
        let follower = EventFileFollower(url: URL(fileURLWithPath: path))
        while (try? follower.poll(maxBytes: 1 << 18, { line in if case .event(let event) = line { body(event) } })) == true {}
    }

    /// Drops an incomplete last line of `events.jsonl` (a writer killed mid-line), so that the
    /// resumed run's first line starts on a line of its own. Rewritten atomically.
    public static func trimIncompleteLine(ofEventsFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let last = data.last, last != UInt8(ascii: "\n") else {
            return
        }
        let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { data[...$0] } ?? Data()
        try AtomicFile.write(Data(keep), to: URL(fileURLWithPath: path))
    }

    /// Rewrites `metrics.csv` (atomically) to the rows a run resumed at `resumed` continues:
    /// rows after the checkpoint's step (or, without a step, its epoch) were undone by the
    /// resume and go; a damaged last row (a writer killed mid-line) goes too. Rows are mapped
    /// to the current columns by name, so the file keeps one header.
    public static func rewindMetrics(at path: String, to resumed: RunResumed) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() } else if !lines.isEmpty { lines.removeLast() }   // incomplete row
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return }
        let columns = MetricsCSV.columns
        var output = columns.joined(separator: ",") + "\n"
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == header.count else { continue }
            let row = Dictionary(zip(header, cells), uniquingKeysWith: { first, _ in first })
            let kept = Int(row["step"] ?? "").map { $0 <= resumed.step } ?? (Int(row["epoch"] ?? "").map { $0 <= resumed.epoch } ?? false)
            if kept { output += columns.map { row[$0] ?? "" }.joined(separator: ",") + "\n" }
        }
        try AtomicFile.write(Data(output.utf8), to: URL(fileURLWithPath: path))
    }

    /// An ISO 8601 time, as `run_started` writes it.
    public static func timestamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
}
