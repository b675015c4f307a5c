import Metrics
import Optim

/// Moves the optimizer's learning rate by a schedule (Lightning's scheduler
/// stepping): one-cycle after every step, the others after every epoch;
/// reduce-on-plateau reads the monitored metric of the validation at the epoch's end.
/// A resumed run continues the closed-form schedules where they were.
public final class LRScheduling: TrainerHandler {
    public private(set) var schedule: LRSchedule?
    public let options: SchedulerOptions
    /// The metric reduce-on-plateau reads.
    public let monitor: Monitor

    public init(_ options: SchedulerOptions, monitor: Monitor = .validationLoss) {
        self.options = options
        self.monitor = monitor
    }

    public func fitStarted(_ trainer: Trainer) throws {
        if schedule == nil {
            let steps = trainer.stepsPerEpoch
            schedule = LRSchedule(options, baseLR: trainer.optimizer.learningRate, epochs: trainer.options.maxEpochs,
                                  stepsPerEpoch: steps)
        }
        schedule!.start(trainer.optimizer, resumingAt: trainer.state.epoch, step: trainer.state.step)
    }

    public func stepEnded(_ trainer: Trainer, loss: Double) throws {
        if loss.isFinite { schedule?.batchEnded(optimizer: trainer.optimizer) }
    }

    public func epochEnded(_ trainer: Trainer, validation: EvaluationResult?) throws {
        schedule?.epochEnded(metric: validation?.value(of: monitor.metric), optimizer: trainer.optimizer)
    }
}
