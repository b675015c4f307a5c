import Foundation
import Metrics
import RunEvents

/// Stops the run when the monitored metric has not improved by more than
/// `minDelta` for more than `patience` validations in a row, and says so in
/// messages. Patience counts validations, as in Lightning's `EarlyStopping`, but the
/// run stops after `patience + 1` of them without improvement, where Lightning and
/// Keras stop after `patience` (Trainboard's behaviour since its first version).
public final class EarlyStopping: StatefulHandler {
    public struct State: Codable, Sendable, Equatable {
        public var best: Double?
        /// Completed epochs when the best value was seen.
        public var bestEpoch = 0
        /// Validations since the last improvement.
        public var wait = 0
    }

    public let monitor: Monitor
    public let patience: Int
    public let minDelta: Double
    public var state = State()

    public init(monitor: Monitor = .validationLoss, patience: Int = 3, minDelta: Double = 0) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
    }

    public func fitStarted(_ trainer: Trainer) throws { try monitor.check(for: trainer) }

    public func validated(_ trainer: Trainer, result: EvaluationResult) throws {
        guard let value = result.value(of: monitor.metric) else { return }
        if monitor.improves(value, on: state.best, minDelta: minDelta) {
            state.best = value
            state.bestEpoch = trainer.state.epoch
            state.wait = 0
            return
        }
        state.wait += 1
        trainer.emit(.message(RunMessage(level: .info, text: "early stopping: \(monitor) did not improve for "
            + "\(state.wait)/\(patience) validations (best \(String(format: "%.4f", state.best!)) at epoch \(state.bestEpoch))")))
        if state.wait > patience {
            trainer.emit(.message(RunMessage(level: .warning,
                                             text: "early stopping: no improvement in \(monitor) for \(patience) validations")))
            trainer.stop(.earlyStopped)
        }
    }
}

/// Saves `best.safetensors` whenever the monitored metric improves by more than
/// `minDelta`, `last.safetensors` after every epoch and when a run is stopped
/// mid-epoch (Lightning's `ModelCheckpoint` with `save_last`). Writes through the
/// trainer's `checkpointer`.
public final class ModelCheckpoint: StatefulHandler {
    public struct State: Codable, Sendable, Equatable {
        public var best: Double?
        /// Completed epochs when the best value was seen.
        public var bestEpoch = 0
    }

    public let monitor: Monitor
    public let minDelta: Double
    public let saveLast: Bool
    public var state = State()

    public init(monitor: Monitor = .validationLoss, minDelta: Double = 0, saveLast: Bool = true) {
        self.monitor = monitor
        self.minDelta = minDelta
        self.saveLast = saveLast
    }

    public func validated(_ trainer: Trainer, result: EvaluationResult) throws {
        guard let value = result.value(of: monitor.metric), monitor.improves(value, on: state.best, minDelta: minDelta) else {
            return
        }
        state.best = value
        state.bestEpoch = trainer.state.epoch
        try trainer.saveCheckpoint(.best)
    }

    public func epochEnded(_ trainer: Trainer, validation: EvaluationResult?) throws {
        if saveLast { try trainer.saveCheckpoint(.last) }
    }

    public func fitEnded(_ trainer: Trainer, reason: RunEnded.Reason) throws {
        // An epoch's end already saved `last`; a stop inside an epoch saves it here.
        let midEpoch = trainer.state.batch != 0
        if saveLast, reason == .stopped || (reason == .earlyStopped && midEpoch) { try trainer.saveCheckpoint(.last) }
    }
}
