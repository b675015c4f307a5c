import Checkpoint
import Foundation
import RunEvents
import Synchronization

/// One run of a sweep as `sweep.csv` shows it: the grid values it sets and the headline
/// figures of its `summary.json` (or, for a run that failed without one, its error).
public struct SweepRow: Sendable, Equatable {
    /// The combination's directory name under the sweep directory (``SweepRun/name``).
    public var run: String
    /// The values the grid sets, in axis order, as YAML (`0.01`, `[16, 8]`, `sigmoid`).
    public var values: [String]
    /// The run directory (`DIR/NAME/version_N`), or nil when none was made.
    public var directory: String?
    public var testAccuracy: Double?
    public var testLoss: Double?
    public var bestValidationLoss: Double?
    public var bestValidationAccuracy: Double?
    public var epochs: Int?
    public var wallSeconds: Double?
    public var samplesPerSecond: Double?
    /// How the run ended (`error` when it failed before writing a summary).
    public var endReason: RunEnded.Reason
    /// The loss lint's verdict on the combination: `ok`, or its warnings' problems joined by `; `.
    public var lint: String
    /// What went wrong, for a run that ended with an error.
    public var error: String?

    /// The row of `run`: figures from `summary` (nil: the run made none), `error` kept only when
    /// the run failed (a NaN stop is a result, not an error), `directory` where it ran.
    public init(run: SweepRun, summary: RunSummary?, error: String?, directory: String? = nil) {
        self.run = run.name
        values = run.settings.map(\.value.inline)
        self.directory = summary?.directory ?? directory
        testAccuracy = summary?.testAccuracy
        testLoss = summary?.testLoss
        bestValidationLoss = summary?.bestValidationLoss
        bestValidationAccuracy = summary?.bestValidationAccuracy
        epochs = summary?.epochs
        wallSeconds = summary?.wallSeconds
        samplesPerSecond = summary?.trainSamplesPerSecond
        endReason = summary?.endReason ?? .error
        lint = run.lint
        self.error = summary == nil || endReason == .error ? (error ?? "the run ended without a summary") : nil
    }

    /// The columns after the grid's keys.
    public static let columns = ["run", "test_accuracy", "test_loss", "best_val_loss", "best_val_accuracy", "epochs",
                                 "wall_seconds", "samples_per_second", "end_reason", "lint", "directory", "error"]

    /// The cells after the grid values, in ``columns`` order; numbers as Swift prints them
    /// (they read back to the same `Double`), empty when unknown.
    public var cells: [String] {
        func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        return [run, number(testAccuracy), number(testLoss), number(bestValidationLoss), number(bestValidationAccuracy),
                epochs.map(String.init) ?? "", number(wallSeconds), number(samplesPerSecond), endReason.rawValue, lint,
                directory ?? "", error ?? ""]
    }
}

/// `DIR/sweep.csv`: a header of the grid's keys and ``SweepRow/columns``, then one row per
/// run, appended as runs finish (one `write` each, so a reader never sees half a row).
/// Cells holding commas, quotes or line breaks are quoted as RFC 4180 says.
public final class SweepTable: Sendable {
    /// The file's name in the sweep directory.
    public static let fileName = "sweep.csv"

    public let path: String
    private let handle: Mutex<FileHandle>

    /// Starts the file afresh (atomically) with the header and `rows` (the runs already
    /// finished, on a resumed sweep), then keeps it open for ``append(_:)``.
    public init(path: String, keys: [String], rows: [SweepRow]) throws {
        let text = ([keys + SweepRow.columns] + rows.map { $0.values + $0.cells }).map(Self.line).joined()
        do { try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: path)) } catch {
            throw RunError.file("\(path): cannot write the sweep table (\(error.localizedDescription))")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw RunError.file("\(path): cannot open for writing") }
        handle.seekToEndOfFile()
        self.path = path
        self.handle = Mutex(handle)
    }

    deinit { handle.withLock { try? $0.close() } }

    /// Appends one row (from any thread).
    public func append(_ row: SweepRow) {
        let line = Data(Self.line(row.values + row.cells).utf8)
        handle.withLock { $0.write(line) }
    }

    /// One CSV line of `cells`, ending in a newline.
    static func line(_ cells: [String]) -> String {
        cells.map { cell in
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: ",") + "\n"
    }

    /// The rows of a `sweep.csv` as column name → cell (quoted cells unquoted), for readers
    /// such as a comparison view or a test.
    public static func read(from path: String) throws -> [[String: String]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunError.file("\(path): cannot read the sweep table")
        }
        let records = parse(text)
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }

    /// RFC 4180 records of `text` (quoted cells may hold commas, quotes and line breaks).
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], cell = "", quoted = false
        var characters = text.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { cell.append("\"") } else {
                            quoted = false
                            if next == "," { record.append(cell); cell = "" }
                            else if next == "\n" { record.append(cell); records.append(record); record = []; cell = "" }
                        }
                    } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" && cell.isEmpty {
                quoted = true
            } else if c == "," {
                record.append(cell); cell = ""
            } else if c == "\n" {
                record.append(cell); records.append(record); record = []; cell = ""
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        return records
    }
}
