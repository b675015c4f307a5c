import Autograd
import Data
import Foundation
import Losses
import NN
import Optim
import TensorCore
import Training

/// Iris, the PyTorch Lightning way: the module owns its model, loss and optimizer;
/// the trainer's options are a Swift value.
final class IrisClassifier: TrainingModule {
    let model: Sequential
    let loss = try! LossRegistry.standard.make(name: "cross_entropy")

    init() {
        var rng = SeededGenerator(seed: 0)
        model = Sequential([Linear(4, 16, rng: &rng), Activation(.relu), Linear(16, 3, rng: &rng)])
    }

    func trainingStep(_ batch: Batch) throws -> Variable {
        try loss(model(Variable(batch.features)), LossTarget(batch.targets))
    }

    func configureOptimizers() throws -> any Optimizer {
        try Adam(parameters: model.parameters, lr: 0.01)
    }
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../").standardized
let csv = try CSVDataset.load(contentsOf: root.appendingPathComponent("Config/data/iris.csv").path,
                              options: CSVOptions(label: "species"))
let (train, test) = try csv.dataset.split(validationFraction: 0.2, seed: 0)
let scaler = Normalization.standardization(fittedOn: train)
let trainer = try Trainer(module: IrisClassifier(), options: TrainerOptions(maxEpochs: 60), task: .multiclass)
try trainer.fit(train: DataLoader(try train.normalized(by: scaler), batchSize: 16), validation: nil)
let result = try trainer.evaluate(DataLoader(try test.normalized(by: scaler), batchSize: 64, shuffle: false))
print("Lightning-style iris: test accuracy \(result.accuracy)")
precondition(result.accuracy > 0.9, "did not learn")
