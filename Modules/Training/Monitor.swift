import Metrics
import RunEvents

/// A validation metric to watch and which way is better: `val_loss` (min),
/// `val_accuracy` (max), … (Lightning's `monitor` and `mode`).
public struct Monitor: Sendable, Equatable, CustomStringConvertible {
    public enum Mode: String, Sendable, Codable { case min, max }

    public var metric: Metric
    public var mode: Mode

    /// `mode` defaults to `min` for the loss and `max` for the rest.
    public init(_ metric: Metric, mode: Mode? = nil) {
        self.metric = metric
        self.mode = mode ?? (metric.higherIsBetter ? .max : .min)
    }

    public static let validationLoss = Monitor(.loss)
    public static let validationAccuracy = Monitor(.accuracy)

    /// The monitor a config names, `val_<metric>` (`val_loss`, `val_f1`, …); nil for another name.
    public init?(name: String, mode: Mode? = nil) {
        guard name.hasPrefix("val_"), let metric = Metric(rawValue: String(name.dropFirst(4))) else { return nil }
        self.init(metric, mode: mode)
    }

    /// `val_<metric>`, as configs and messages name it.
    public var description: String { "val_\(metric.rawValue)" }

    /// The monitors a run of `task` can use.
    public static func available(for task: TaskKind) -> [Metric] {
        [.loss, .accuracy] + (task == .binary ? [.precision, .recall, .f1, .auroc] : [.macroF1, .top5Accuracy])
    }

    /// Whether `value` beats `best` by more than `minDelta` (no best yet: yes).
    func improves(_ value: Double, on best: Double?, minDelta: Double) -> Bool {
        guard let best else { return true }
        return mode == .min ? value < best - minDelta : value > best + minDelta
    }

    /// Throws unless `trainer` can compute this monitor: a metric of its task, with a validation set.
    func check(for trainer: Trainer) throws {
        let available = Self.available(for: trainer.task)
        guard available.contains(metric) else {
            throw TrainingError.unknownMonitor(description, available: available.map { "val_\($0.rawValue)" })
        }
        guard trainer.hasValidation else { throw TrainingError.unknownMonitor(description, available: []) }
    }
}
