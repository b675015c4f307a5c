import Foundation
import Checkpoint
import RunEvents

/// Writes a run's `metrics.csv`: one row per logged step and one per
/// validation, with empty cells where a metric was not computed.
public final class MetricsCSV {
    public static let columns = ["epoch", "step", "train_loss", "train_loss_avg", "lr", "samples_per_second", "train_accuracy",
                                 "val_loss", "val_accuracy", "val_f1", "val_auroc", "val_macro_f1", "elapsed"]
    private let handle: FileHandle
    private let every: Int

    /// Creates `path` with its header, or with `append` continues an existing file (rows go after
    /// its last line; a missing file is created); batch rows are written every `everySteps` steps.
    public init(path: String, everySteps: Int, append: Bool = false) throws {
        let header = Data((Self.columns.joined(separator: ",") + "\n").utf8)
        let exists = append && FileManager.default.fileExists(atPath: path)
        guard exists || FileManager.default.createFile(atPath: path, contents: header),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RunError.file("\(path): cannot open for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
        self.every = everySteps
    }

    deinit { try? handle.close() }

    /// Writes the row an event makes: a `batch_end` every `everySteps` steps, every `epoch_end`.
    public func record(_ event: RunEvent) {
        switch event {
        case .batchEnd(let b) where b.step % every == 0:
            write(["epoch": "\(b.epoch)", "step": "\(b.step)", "train_loss": fmt(b.loss), "train_loss_avg": fmt(b.avgLoss),
                   "lr": fmt(b.lr), "samples_per_second": fmt(b.samplesPerSec), "elapsed": fmt(b.elapsed)])
        case .epochEnd(let e):
            write(["epoch": "\(e.epoch)", "step": e.step.map(String.init) ?? "", "train_loss_avg": fmt(e.trainLoss),
                   "train_accuracy": e.trainAccuracy.map(fmt) ?? "", "val_loss": e.valLoss.map(fmt) ?? "",
                   "val_accuracy": e.valAccuracy.map(fmt) ?? "", "val_f1": e.f1.map(fmt) ?? "",
                   "val_auroc": e.auroc.map(fmt) ?? "", "val_macro_f1": e.macroF1.map(fmt) ?? ""])
        default: break
        }
    }

    private func fmt(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "\(x)" }

    private func write(_ cells: [String: String]) {
        let line = Self.columns.map { cells[$0] ?? "" }.joined(separator: ",") + "\n"
        handle.write(Data(line.utf8))
    }
}

/// `summary.json`: the figures a finished run is judged by, and where and when it ran.
public struct RunSummary: Codable, Sendable, Equatable {
    public var run: String
    /// The run directory (`LOG_DIR/version_N`) and its N.
    public var directory: String
    public var version: Int?
    /// The config file the run was made from.
    public var config: String
    /// When the run started (its first segment) and when this segment ended (ISO 8601).
    public var startedAt: String
    public var endedAt: String
    /// Each stretch of the run in one process: one, or one more per resume.
    public var segments: [RunSegment]
    public var endReason: RunEnded.Reason
    public var epochs: Int
    public var steps: Int
    public var testAccuracy: Double?
    public var testLoss: Double?
    public var testMetrics: [String: Double]
    public var bestValidation: Double?
    public var bestEpoch: Int
    /// The lowest validation loss and the highest validation accuracy of any validation in
    /// the run (all segments); nil without validation (or in a summary written before they were).
    public var bestValidationLoss: Double?
    public var bestValidationAccuracy: Double?
    public var trainSamplesPerSecond: Double
    public var wallSeconds: Double
    public var lastCheckpoint: String?
    /// Processes that trained the run together (`mpirun -np N`); nil in files written before it was recorded.
    public var worldSize: Int?
    /// Seconds spent in training steps (validation excluded), and of them in the
    /// ranks' gradient all-reduce (nil in one process); nil in files written before.
    public var trainSeconds: Double?
    public var allreduceSeconds: Double?

    public init(run: String, endReason: RunEnded.Reason, epochs: Int, steps: Int, testAccuracy: Double?, testLoss: Double?,
                testMetrics: [String: Double], bestValidation: Double?, bestEpoch: Int, trainSamplesPerSecond: Double,
                wallSeconds: Double, lastCheckpoint: String?, directory: String = "", version: Int? = nil,
                config: String = "", startedAt: String = "", endedAt: String = "", segments: [RunSegment] = [],
                worldSize: Int? = 1, bestValidationLoss: Double? = nil, bestValidationAccuracy: Double? = nil) {
        self.run = run
        self.worldSize = worldSize
        self.directory = directory
        self.version = version
        self.config = config
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.segments = segments
        self.endReason = endReason
        self.epochs = epochs
        self.steps = steps
        self.testAccuracy = testAccuracy
        self.testLoss = testLoss
        self.testMetrics = testMetrics
        self.bestValidation = bestValidation
        self.bestEpoch = bestEpoch
        self.bestValidationLoss = bestValidationLoss
        self.bestValidationAccuracy = bestValidationAccuracy
        self.trainSamplesPerSecond = trainSamplesPerSecond
        self.wallSeconds = wallSeconds
        self.lastCheckpoint = lastCheckpoint
    }

    enum CodingKeys: String, CodingKey {
        case run, epochs, steps, directory, version, config, segments
        case startedAt = "started_at", endedAt = "ended_at"
        case endReason = "end_reason", testAccuracy = "test_accuracy", testLoss = "test_loss", testMetrics = "test_metrics"
        case bestValidation = "best_validation", bestEpoch = "best_epoch"
        case bestValidationLoss = "best_val_loss", bestValidationAccuracy = "best_val_accuracy"
        case trainSamplesPerSecond = "train_samples_per_second", wallSeconds = "wall_seconds", lastCheckpoint = "last_checkpoint"
        case worldSize = "world_size", trainSeconds = "train_seconds", allreduceSeconds = "allreduce_seconds"
    }

    /// Writes the summary atomically as pretty JSON.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: URL(fileURLWithPath: path))
    }

    /// Reads a `summary.json`.
    public static func read(from path: String) throws -> RunSummary {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(RunSummary.self, from: data)
    }
}
