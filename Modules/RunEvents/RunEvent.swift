import Foundation

/// One line of a run's `events.jsonl`: the wire format between a trainer and the dashboard.
///
/// Every line is one JSON object whose `"type"` field names the event; all other field
/// names are snake_case. Epochs, global steps and batch indices count from 1. Non-finite
/// numbers are written as the strings `"nan"`, `"inf"` and `"-inf"`.
///
/// | `type` | fields |
/// | --- | --- |
/// | `run_started` | `run`, `config`, `task` (`binary`/`multiclass`), `loss`, `loss_options` (string map), `model` (`layers`: [String], `parameters`: Int), `seed`, `class_names`?, `epochs`, `steps_per_epoch`, `batch_size` (global, over all ranks), `world_size`? (ranks of a data-parallel job; absent: 1), `started_at` (ISO 8601) |
/// | `batch_end` | `epoch`, `step` (global), `batch` (index in the epoch), `loss` (raw batch loss), `avg_loss` (running average of the epoch), `lr`, `grad_norm`?, `samples_per_sec` (of the whole job), `allreduce_ms`? (the step's gradient all-reduce, data-parallel jobs only), `elapsed` (seconds since start) |
/// | `epoch_end` | `epoch`, `step`?, `train_loss`, `train_accuracy`?, `val_loss`?, `val_accuracy`?, multiclass: `confusion` ([[Int]], rows = true class), `per_class_recall`; binary: `precision`, `recall`, `f1`, `auroc`, `threshold`, `roc`? ([[fpr, tpr]]), `pr`? ([[recall, precision]]), `average_precision`?; multiclass: `macro_f1`, `top5_accuracy`; `elapsed`? |
/// | `checkpoint_saved` | `path`, `kind` (`last`/`best`/`manual`), `epoch` |
/// | `message` | `level` (`info`/`warning`/`error`), `text` |
/// | `paused` | `paused` (Bool): the trainer reports that it paused or resumed |
/// | `run_resumed` | `checkpoint` (path), `step`, `epoch`: the run continues from this checkpoint; what the file holds after its step was undone |
/// | `run_ended` | `reason` (`completed`/`stopped`/`early_stopped`/`nan`/`error`), `summary` (map of numbers: `test_accuracy`, `test_loss`, `wall_seconds`, …) |
///
/// Unknown `type`s decode to ``unknown(type:)`` so that newer trainers stay readable; a line
/// that is not a JSON object with a string `type` fails to decode (see ``EventCodec``).
/// The same table is in `docs/events.md`.
public enum RunEvent: Sendable, Equatable {
    case runStarted(RunStarted)
    case batchEnd(BatchEnd)
    case epochEnd(EpochEnd)
    case checkpointSaved(CheckpointSaved)
    case message(RunMessage)
    case paused(Bool)
    /// Written before `run_started` when a run continues from a checkpoint.
    case runResumed(RunResumed)
    case runEnded(RunEnded)
    /// An event type this version does not know; skipped when folded.
    case unknown(type: String)

    /// The `"type"` discriminator written for this event.
    public var typeName: String {
        switch self {
        case .runStarted: "run_started"
        case .batchEnd: "batch_end"
        case .epochEnd: "epoch_end"
        case .checkpointSaved: "checkpoint_saved"
        case .message: "message"
        case .paused: "paused"
        case .runResumed: "run_resumed"
        case .runEnded: "run_ended"
        case .unknown(let type): type
        }
    }
}

extension RunEvent: Codable {
    private enum TypeKey: String, CodingKey { case type, paused }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "run_started": self = .runStarted(try RunStarted(from: decoder))
        case "batch_end": self = .batchEnd(try BatchEnd(from: decoder))
        case "epoch_end", "validation": self = .epochEnd(try EpochEnd(from: decoder))
        case "checkpoint_saved": self = .checkpointSaved(try CheckpointSaved(from: decoder))
        case "message": self = .message(try RunMessage(from: decoder))
        case "paused": self = .paused(try container.decode(Bool.self, forKey: .paused))
        case "run_resumed": self = .runResumed(try RunResumed(from: decoder))
        case "run_ended": self = .runEnded(try RunEnded(from: decoder))
        default: self = .unknown(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(typeName, forKey: .type)
        switch self {
        case .runStarted(let payload): try payload.encode(to: encoder)
        case .batchEnd(let payload): try payload.encode(to: encoder)
        case .epochEnd(let payload): try payload.encode(to: encoder)
        case .checkpointSaved(let payload): try payload.encode(to: encoder)
        case .message(let payload): try payload.encode(to: encoder)
        case .paused(let flag): try container.encode(flag, forKey: .paused)
        case .runResumed(let payload): try payload.encode(to: encoder)
        case .runEnded(let payload): try payload.encode(to: encoder)
        case .unknown: break
        }
    }
}

/// The learning task of a run; decides what the task panel shows.
public enum TaskKind: String, Codable, Sendable, Equatable, CaseIterable {
    case binary, multiclass
}

/// A short description of the model: one string per layer and the trainable parameter count.
public struct ModelSummary: Codable, Sendable, Equatable {
    public var layers: [String]
    public var parameters: Int

    public init(layers: [String], parameters: Int) {
        self.layers = layers
        self.parameters = parameters
    }
}

/// `run_started`: what is being trained, and how long it will take.
public struct RunStarted: Codable, Sendable, Equatable {
    public var run: String
    public var config: String
    public var task: TaskKind
    public var loss: String
    public var lossOptions: [String: String]
    public var model: ModelSummary
    public var seed: UInt64
    public var classNames: [String]?
    public var epochs: Int
    public var stepsPerEpoch: Int
    public var batchSize: Int
    /// Ranks of a data-parallel job (`mpirun -np N`); nil in files of one process.
    public var worldSize: Int?
    public var startedAt: String

    private enum CodingKeys: String, CodingKey {
        case run, config, task, loss, model, seed, epochs
        case lossOptions = "loss_options", classNames = "class_names", stepsPerEpoch = "steps_per_epoch"
        case batchSize = "batch_size", startedAt = "started_at", worldSize = "world_size"
    }

    public init(run: String, config: String, task: TaskKind, loss: String, lossOptions: [String: String] = [:],
                model: ModelSummary, seed: UInt64, classNames: [String]? = nil, epochs: Int,
                stepsPerEpoch: Int, batchSize: Int, worldSize: Int? = nil, startedAt: String) {
        self.run = run
        self.config = config
        self.task = task
        self.loss = loss
        self.lossOptions = lossOptions
        self.model = model
        self.seed = seed
        self.classNames = classNames
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.batchSize = batchSize
        self.worldSize = worldSize
        self.startedAt = startedAt
    }
}

/// `batch_end`: one optimisation step finished.
public struct BatchEnd: Codable, Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var batch: Int
    public var loss: Double
    public var avgLoss: Double
    public var lr: Double
    public var gradNorm: Double?
    public var samplesPerSec: Double
    /// Milliseconds the step's gradient all-reduce took; nil outside data-parallel jobs.
    public var allreduceMs: Double?
    public var elapsed: Double

    private enum CodingKeys: String, CodingKey {
        case epoch, step, batch, loss, lr, elapsed
        case avgLoss = "avg_loss", gradNorm = "grad_norm", samplesPerSec = "samples_per_sec", allreduceMs = "allreduce_ms"
    }

    public init(epoch: Int, step: Int, batch: Int, loss: Double, avgLoss: Double, lr: Double,
                gradNorm: Double? = nil, samplesPerSec: Double, allreduceMs: Double? = nil, elapsed: Double) {
        self.epoch = epoch
        self.step = step
        self.batch = batch
        self.loss = loss
        self.avgLoss = avgLoss
        self.lr = lr
        self.gradNorm = gradNorm
        self.samplesPerSec = samplesPerSec
        self.allreduceMs = allreduceMs
        self.elapsed = elapsed
    }
}

/// `epoch_end` (also read as `validation`): the epoch's training figures and validation metrics.
public struct EpochEnd: Codable, Sendable, Equatable {
    public var epoch: Int
    /// The global step the validation ran after (absent in files of older versions).
    public var step: Int?
    public var trainLoss: Double
    public var trainAccuracy: Double?
    public var valLoss: Double?
    public var valAccuracy: Double?
    /// Multiclass: rows are true classes, columns predicted classes.
    public var confusion: [[Int]]?
    public var perClassRecall: [Double]?
    /// Binary metrics at ``threshold``.
    public var precision: Double?
    public var recall: Double?
    public var f1: Double?
    public var auroc: Double?
    /// Multiclass: the mean of the per-class F1 scores, and the top-5 accuracy.
    public var macroF1: Double?
    public var top5Accuracy: Double?
    public var threshold: Double?
    public var elapsed: Double?
    /// Binary: the ROC curve of the validation, `[fpr, tpr]` pairs from `[0, 0]` to `[1, 1]`
    /// (at most 64 points, reduced from the exact curve; absent in files of older versions).
    public var roc: [CurvePoint]?
    /// Binary: the precision–recall curve, `[recall, precision]` pairs by increasing recall.
    public var pr: [CurvePoint]?
    /// Binary: the average precision (step area under the exact precision–recall curve).
    public var averagePrecision: Double?

    private enum CodingKeys: String, CodingKey {
        case epoch, step, confusion, precision, recall, f1, auroc, threshold, elapsed, roc, pr
        case trainLoss = "train_loss", trainAccuracy = "train_accuracy", valLoss = "val_loss"
        case valAccuracy = "val_accuracy", perClassRecall = "per_class_recall"
        case macroF1 = "macro_f1", top5Accuracy = "top5_accuracy", averagePrecision = "average_precision"
    }

    public init(epoch: Int, step: Int? = nil, trainLoss: Double, trainAccuracy: Double? = nil, valLoss: Double? = nil,
                valAccuracy: Double? = nil, confusion: [[Int]]? = nil, perClassRecall: [Double]? = nil,
                precision: Double? = nil, recall: Double? = nil, f1: Double? = nil, auroc: Double? = nil,
                macroF1: Double? = nil, top5Accuracy: Double? = nil, threshold: Double? = nil, elapsed: Double? = nil,
                roc: [CurvePoint]? = nil, pr: [CurvePoint]? = nil, averagePrecision: Double? = nil) {
        self.epoch = epoch
        self.roc = roc
        self.pr = pr
        self.averagePrecision = averagePrecision
        self.step = step
        self.macroF1 = macroF1
        self.top5Accuracy = top5Accuracy
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.confusion = confusion
        self.perClassRecall = perClassRecall
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.auroc = auroc
        self.threshold = threshold
        self.elapsed = elapsed
    }
}

/// A point of a curve in an `epoch_end` event, written as the two-element array `[x, y]`.
public struct CurvePoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point with both coordinates rounded to `digits` significant digits (short event lines).
    public func rounded(significantDigits digits: Int) -> CurvePoint {
        func round(_ value: Double) -> Double {
            guard value.isFinite, value != 0 else { return value }
            let scale = pow(10, Double(digits) - (log10(abs(value))).rounded(.down) - 1)
            return (value * scale).rounded() / scale
        }
        return CurvePoint(x: round(x), y: round(y))
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decode(Double.self)
        y = try container.decode(Double.self)
        guard container.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a curve point is [x, y], got more than two numbers")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
    }
}

/// `checkpoint_saved`: a checkpoint file was written.
public struct CheckpointSaved: Codable, Sendable, Equatable {
    /// Why the checkpoint was written.
    public enum Kind: String, Codable, Sendable { case last, best, manual }
    public var path: String
    public var kind: Kind
    public var epoch: Int

    public init(path: String, kind: Kind, epoch: Int) {
        self.path = path
        self.kind = kind
        self.epoch = epoch
    }
}

/// `message`: free text for the messages panel (loss-lint warnings, early stopping, NaN alarm).
public struct RunMessage: Codable, Sendable, Equatable {
    /// Severity; `error` is drawn in the `.bad` role.
    public enum Level: String, Codable, Sendable { case info, warning, error }
    public var level: Level
    public var text: String

    public init(level: Level, text: String) {
        self.level = level
        self.text = text
    }
}

/// `run_resumed`: the run continues from a checkpoint (`trainer.resume`). Written before the
/// resumed segment's `run_started`; events recorded earlier in the same file after `step`
/// (a crash after the checkpoint, or the end of the previous segment) were undone by the
/// resume, so readers drop what they folded from them.
public struct RunResumed: Codable, Sendable, Equatable {
    /// The checkpoint file the run continues from.
    public var checkpoint: String
    /// The global step stored in the checkpoint: the next step is `step + 1`.
    public var step: Int
    /// Epochs completed at the checkpoint.
    public var epoch: Int

    public init(checkpoint: String, step: Int, epoch: Int) {
        self.checkpoint = checkpoint
        self.step = step
        self.epoch = epoch
    }
}

/// `run_ended`: why the run stopped and its final figures.
public struct RunEnded: Codable, Sendable, Equatable {
    /// How the run ended.
    public enum Reason: String, Codable, Sendable { case completed, stopped, earlyStopped = "early_stopped", nan, error }
    public var reason: Reason
    public var summary: [String: Double]

    public init(reason: Reason, summary: [String: Double] = [:]) {
        self.reason = reason
        self.summary = summary
    }
}
