import Checkpoint
import Foundation
import Metrics
import RunEvents

/// A point in the loop where the trainer may validate.
public enum LoopPoint: Sendable, Equatable {
    /// After a training step.
    case step
    /// After the epoch's last step; `isLast` when no epoch follows.
    case epochEnd(isLast: Bool)
}

/// A policy the trainer asks at fixed points of the loop (Lightning's `Callback`,
/// Ignite's event handlers): when to validate, when to stop, when to save, how to
/// move the learning rate. Every method has a default that does nothing, so a
/// handler implements only the points it cares about.
///
/// A handler with state that must survive a resume names a `stateKey` and
/// implements `stateJSON`/`restoreState` (``StatefulHandler`` does both for a
/// `Codable` state); the trainer stores it in every checkpoint.
public protocol TrainerHandler: AnyObject {
    /// Once, before the first step (check options against the trainer; start schedules).
    func fitStarted(_ trainer: Trainer) throws
    /// Whether to run validation at `point`; the trainer validates when any handler says so.
    func wantsValidation(_ trainer: Trainer, at point: LoopPoint) -> Bool
    /// After each training step, with its loss (before the step is counted: a handler
    /// that calls `trainer.stop` here ends the run without counting it).
    func stepEnded(_ trainer: Trainer, loss: Double) throws
    /// After each validation pass.
    func validated(_ trainer: Trainer, result: EvaluationResult) throws
    /// After each epoch, with the validation result when one ran at its end.
    func epochEnded(_ trainer: Trainer, validation: EvaluationResult?) throws
    /// Once, when the loop ends for `reason`.
    func fitEnded(_ trainer: Trainer, reason: RunEnded.Reason) throws
    /// The key this handler's state is saved under in checkpoints; nil: no state.
    var stateKey: String? { get }
    /// The state to save, as JSON.
    func stateJSON() throws -> String?
    /// Restores a state saved by `stateJSON`; `file` names the checkpoint in errors.
    func restoreState(json: String, file: String) throws
}

extension TrainerHandler {
    public func fitStarted(_ trainer: Trainer) throws {}
    public func wantsValidation(_ trainer: Trainer, at point: LoopPoint) -> Bool { false }
    public func stepEnded(_ trainer: Trainer, loss: Double) throws {}
    public func validated(_ trainer: Trainer, result: EvaluationResult) throws {}
    public func epochEnded(_ trainer: Trainer, validation: EvaluationResult?) throws {}
    public func fitEnded(_ trainer: Trainer, reason: RunEnded.Reason) throws {}
    public var stateKey: String? { nil }
    public func stateJSON() throws -> String? { nil }
    public func restoreState(json: String, file: String) throws {}
}

/// A handler whose saved state is one `Codable` value.
public protocol StatefulHandler: TrainerHandler {
    associatedtype State: Codable
    var state: State { get set }
}

extension StatefulHandler {
    public var stateKey: String? { String(describing: Self.self) }

    public func stateJSON() throws -> String? {
        String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    }

    public func restoreState(json: String, file: String) throws {
        state = try Checkpointer.decodeMetadata(State.self, json, key: "trainboard.handlers.\(stateKey!)", file: file)
    }
}

/// Validation every N epochs (and after the last), or every N steps (and after the
/// last step, when it did not fall on N) — Lightning's `check_val_every_n_epoch`
/// and `val_check_interval`.
public final class ValidationSchedule: TrainerHandler {
    public enum Interval: Sendable, Equatable {
        case epochs(Int)
        case steps(Int)
    }

    public let interval: Interval

    public init(every interval: Interval = .epochs(1)) {
        precondition({ switch interval { case .epochs(let n), .steps(let n): n > 0 } }(), "a validation interval must be positive")
        self.interval = interval
    }

    public func wantsValidation(_ trainer: Trainer, at point: LoopPoint) -> Bool {
        switch (interval, point) {
        case (.steps(let n), .step): trainer.state.step % n == 0
        case (.steps(let n), .epochEnd(let isLast)): isLast && trainer.state.step % n != 0
        case (.epochs, .step): false
        case (.epochs(let n), .epochEnd(let isLast)): trainer.state.epoch % n == 0 || isLast
        }
    }
}

/// Ends the run when a step's loss is NaN or infinite (that step is not applied),
/// with an error message; the last good checkpoint is kept.
public final class StopOnNonFiniteLoss: TrainerHandler {
    public init() {}

    public func stepEnded(_ trainer: Trainer, loss: Double) throws {
        guard !loss.isFinite else { return }
        trainer.emit(.message(RunMessage(level: .error, text: "loss is \(loss) at epoch \(trainer.state.epoch + 1), "
            + "step \(trainer.state.step + 1): training stopped; the last good checkpoint is kept")))
        trainer.stop(.nan)
    }
}
