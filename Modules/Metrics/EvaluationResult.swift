/// The figures of one pass over a validation or test set.
public struct EvaluationResult: Sendable, Equatable {
    /// Mean loss per sample (batch losses weighted by batch size).
    public var loss: Double
    /// Fraction classified correctly (threshold 0.5 on the probability for binary tasks).
    public var accuracy: Double
    /// Further metrics by name: `precision`, `recall`, `f1`, `auroc` (binary);
    /// `macro_f1`, `top5_accuracy` (multiclass).
    public var metrics: [String: Double]
    /// Rows are true classes, columns predicted (multiclass; 2×2 for binary).
    public var confusion: [[Int]]
    /// Recall of each class (multiclass).
    public var perClassRecall: [Double]
    public var samples: Int
    /// Binary: the ROC and precision–recall curves over every distinct score (nil when undefined).
    public var roc: BinaryCurve?
    public var precisionRecall: BinaryCurve?
    /// Binary: the average precision, the step area under ``precisionRecall``.
    public var averagePrecision: Double?

    public init(loss: Double, accuracy: Double, metrics: [String: Double] = [:], confusion: [[Int]] = [],
                perClassRecall: [Double] = [], samples: Int, roc: BinaryCurve? = nil,
                precisionRecall: BinaryCurve? = nil, averagePrecision: Double? = nil) {
        self.roc = roc
        self.precisionRecall = precisionRecall
        self.averagePrecision = averagePrecision
        self.loss = loss
        self.accuracy = accuracy
        self.metrics = metrics
        self.confusion = confusion
        self.perClassRecall = perClassRecall
        self.samples = samples
    }

    /// A metric's value, if this pass computed it.
    public func value(of metric: Metric) -> Double? {
        switch metric {
        case .loss: loss
        case .accuracy: accuracy
        default: metrics[metric.rawValue]
        }
    }

    /// The names `value(of:)` answers to.
    public var names: [String] { ["loss", "accuracy"] + metrics.keys.sorted() }
}

/// A figure of an evaluation pass, by the name files and configs use (`val_` + name
/// in monitors and `metrics.csv`).
public enum Metric: String, CaseIterable, Sendable, Codable {
    case loss, accuracy
    /// Binary tasks.
    case precision, recall, f1, auroc
    /// Multiclass tasks.
    case macroF1 = "macro_f1", top5Accuracy = "top5_accuracy"

    /// Whether a larger value is better (all but the loss).
    public var higherIsBetter: Bool { self != .loss }
}
