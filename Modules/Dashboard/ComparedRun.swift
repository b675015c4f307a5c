import RunEvents

/// One run of a comparison: its events folded into a ``DashboardModel`` (bounded ``Series``
/// per step, so memory stays flat however long the run), its learning rate per step, and what
/// the runs table shows about it.
public struct ComparedRun: Sendable, Equatable {
    /// A stable identity (the run directory's path).
    public let id: String
    /// The name shown in the legend and the table (e.g. the sweep's `NAME`, or `DIR/version_N`).
    public var label: String
    /// The legend mark: a letter, so the run reads without color too.
    public let mark: Character
    /// The style the run's curve and mark are drawn in.
    public let style: Style
    /// The run's events folded, as the single-run dashboard folds them.
    public var model = DashboardModel()
    /// The learning rate of every `batch_end`, by global step.
    public var learningRate = Series()
    /// The run's resolved config flattened to `key.path → value` (empty when unknown; the
    /// `run_started` header then gives a few keys, see ``settings``).
    public var config: [String: String] = [:]
    /// The loss lint's verdict (`ok` or the problems), when known.
    public var lint: String?
    /// Left out of the chart by the user (still listed in the table).
    public var hidden = false

    public init(id: String, label: String, mark: Character, style: Style) {
        self.id = id
        self.label = label
        self.mark = mark
        self.style = style
    }

    /// Folds one parsed line of the run's `events.jsonl`.
    public mutating func apply(_ line: EventCodec.Line) {
        model.apply(line)
        switch line {
        case .event(.batchEnd(let batch)): learningRate.append(x: Double(batch.step), y: batch.lr)
        case .event(.runResumed(let resumed)): learningRate.truncate(after: Double(resumed.step))
        default: break
        }
    }

    /// The settings compared between runs: the resolved config, or without one the keys the
    /// `run_started` header carries (`loss`, `seed`, `batch_size`, `epochs`, `parameters`).
    public var settings: [String: String] {
        guard config.isEmpty, let run = model.run else { return config }
        var keys = ["loss": run.loss, "seed": String(run.seed), "batch_size": String(run.batchSize),
                    "epochs": String(run.epochs), "parameters": String(run.model.parameters)]
        for (key, value) in run.lossOptions { keys["loss.\(key)"] = value }
        return keys
    }

    /// The label for the chart legend, at most `limit` characters: a sweep's `a.b=1,c.d=2`
    /// shortened to `b=1,d=2` (the table has the full keys), longer ones cut with `…`.
    public func legendLabel(limit: Int = 32) -> String {
        let parts = label.split(separator: ",", omittingEmptySubsequences: false).map { part -> Substring in
            guard let equals = part.firstIndex(of: "="), let dot = part[..<equals].lastIndex(of: ".") else { return part }
            return part[part.index(after: dot)...]
        }
        let short = parts.joined(separator: ",")
        return short.count > limit ? String(short.prefix(limit - 1)) + "…" : short
    }

    /// Test accuracy from the run's end summary.
    public var testAccuracy: Double? { model.ended?.summary["test_accuracy"] }

    /// Training samples per second: the summary's figure once ended, else the live rate.
    public var samplesPerSecond: Double? {
        model.ended?.summary["train_samples_per_second"] ?? (model.progress.samplesPerSec > 0 ? model.progress.samplesPerSec : nil)
    }

    /// The chart curve of `metric`: per epoch, but the learning rate per step. (Training loss
    /// is the epoch's mean: the batch losses of several runs overlaid would be unreadable noise.)
    /// The per-epoch curves are smoothed with `smoothing` (``ExponentialAverage``, `O(epochs)`
    /// when drawn); the learning rate, a schedule rather than a measurement, never is.
    public func curve(_ metric: ComparisonMetric, smoothing: Smoothing = .off) -> ChartSeries {
        let points: [ChartPoint]
        switch metric {
        case .learningRate: return ChartSeries(label: String(mark), series: learningRate, style: style)
        case .loss: points = model.trainLoss
        case .accuracy: points = model.trainAccuracy
        case .valLoss: points = model.valLoss
        case .valAccuracy: points = model.valAccuracy
        }
        return ChartSeries(label: String(mark), points: ExponentialAverage.smoothed(points, weight: smoothing.weight), style: style)
    }
}

/// The metric the comparison chart overlays.
public enum ComparisonMetric: Int, CaseIterable, Sendable {
    case loss, accuracy, valLoss, valAccuracy, learningRate

    /// The name shown in the chart title.
    public var title: String {
        switch self {
        case .loss: "train loss"
        case .accuracy: "accuracy"
        case .valLoss: "val loss"
        case .valAccuracy: "val accuracy"
        case .learningRate: "learning rate"
        }
    }

    /// Whether the curve has a value per step (else per epoch).
    public var perStep: Bool { self == .learningRate }

    /// The unit of the x axis.
    public var xLabel: String { perStep ? "step" : "epoch" }

    /// The next metric (wrapping).
    public var next: ComparisonMetric { cycled(forward: true) }
}
