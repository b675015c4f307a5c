import Foundation
import Metrics
import NN
import RunEvents

/// What the `run_started` event tells about a run beyond what the trainer knows
/// (the run's name, its config file, the loss and its options, the seed, class names).
public struct RunDescription: Sendable, Equatable {
    public var name: String
    public var config: String
    public var loss: String
    public var lossOptions: [String: String]
    public var seed: UInt64
    public var classNames: [String]?

    public init(name: String = "run", config: String = "", loss: String = "custom", lossOptions: [String: String] = [:],
                seed: UInt64 = 0, classNames: [String]? = nil) {
        self.name = name
        self.config = config
        self.loss = loss
        self.lossOptions = lossOptions
        self.seed = seed
        self.classNames = classNames
    }

    /// The `run_started` event for a fit of `model` starting now.
    func event(task: TaskKind, model: Sequential, epochs: Int, stepsPerEpoch: Int, batchSize: Int, worldSize: Int?) -> RunStarted {
        RunStarted(run: name, config: config, task: task, loss: loss, lossOptions: lossOptions,
                   model: ModelSummary(layers: model.layers.map(\.summary), parameters: model.parameterCount),
                   seed: seed, classNames: classNames, epochs: epochs, stepsPerEpoch: stepsPerEpoch, batchSize: batchSize,
                   worldSize: worldSize, startedAt: ISO8601DateFormatter().string(from: Date()))
    }
}

extension EpochEnd {
    /// Points kept of each curve of an event (see ``BinaryCurve/reduced(to:)``).
    public static let curvePointLimit = 64
    /// Significant digits of the curves' coordinates on the wire.
    public static let curveDigits = 4

    /// The `epoch_end` event of a validation pass: binary runs carry precision, recall,
    /// F1, AUROC, the threshold, the ROC and precision–recall curves (at most
    /// ``curvePointLimit`` points each) and the average precision; multiclass runs the
    /// per-class recall, macro F1 and top-5.
    public init(epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double?, result: EvaluationResult, task: TaskKind) {
        let binary = task == .binary
        self.init(epoch: epoch, step: step, trainLoss: trainLoss, trainAccuracy: trainAccuracy, valLoss: result.loss,
                  valAccuracy: result.accuracy, confusion: result.confusion, perClassRecall: binary ? nil : result.perClassRecall,
                  precision: result.value(of: .precision), recall: result.value(of: .recall), f1: result.value(of: .f1),
                  auroc: result.value(of: .auroc), macroF1: result.value(of: .macroF1),
                  top5Accuracy: result.value(of: .top5Accuracy), threshold: binary ? 0.5 : nil,
                  roc: binary ? Self.wire(result.roc) : nil, pr: binary ? Self.wire(result.precisionRecall) : nil,
                  averagePrecision: binary ? result.averagePrecision : nil)
    }

    /// `curve` as the event carries it: reduced and rounded.
    static func wire(_ curve: BinaryCurve?) -> [CurvePoint]? {
        curve?.reduced(to: curvePointLimit).points.map { CurvePoint(x: $0.x, y: $0.y).rounded(significantDigits: curveDigits) }
    }
}
