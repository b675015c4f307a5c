import Autograd
import Data
import NN
import Optim
import RunEvents

/// A model that knows how to train itself, in PyTorch Lightning's shape:
/// the trainer calls `trainingStep` for each batch, `validationStep` for each
/// validation batch, and `configureOptimizers` once.
///
/// ```swift
/// final class Classifier: TrainingModule {
///     let model: Sequential
///     func trainingStep(_ batch: Batch) throws -> Variable { try loss(model(Variable(batch.features)), batch) }
///     func configureOptimizers() throws -> any Optimizer { try Adam(parameters: model.parameters) }
/// }
/// let trainer = try Trainer(module: Classifier(), options: TrainerOptions(maxEpochs: 10), task: .multiclass)
/// ```
public protocol TrainingModule: AnyObject {
    /// The network whose parameters are trained, saved and evaluated.
    var model: Sequential { get }
    /// The loss of one training batch (a scalar).
    func trainingStep(_ batch: Batch) throws -> Variable
    /// The model output and loss of one validation batch; defaults to the
    /// model's output and `trainingStep`'s loss.
    func validationStep(_ batch: Batch) throws -> (output: Variable, loss: Variable)
    /// The optimizer for the model's parameters.
    func configureOptimizers() throws -> any Optimizer
}

extension TrainingModule {
    public func validationStep(_ batch: Batch) throws -> (output: Variable, loss: Variable) {
        (model(Variable(batch.features)), try trainingStep(batch))
    }
}

extension Trainer {
    /// A trainer for a `TrainingModule` (Lightning's shape).
    public convenience init(module: any TrainingModule, options: TrainerOptions = TrainerOptions(), task: TaskKind,
                            control: TrainingControl = TrainingControl()) throws {
        self.init(model: module.model, optimizer: try module.configureOptimizers(), options: options, task: task,
                  control: control, trainingStep: { TrainingStepResult(loss: try module.trainingStep($0)) },
                  validationStep: module.validationStep)
    }
}
