import Autograd
import Data
import Foundation
import Losses
import TensorCore
import Training

// Breast cancer, the Ignite way: a plain model, a loss and an optimizer handed to the Trainer,
// with an event handler printing each validation.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../").standardized
let csv = try CSVDataset.load(contentsOf: root.appendingPathComponent("Config/data/breast_cancer.csv").path,
                              options: CSVOptions(label: "benign", task: .binary))
let (rest, test) = try csv.dataset.split(validationFraction: 0.2, seed: 0)
let (train, validation) = try rest.split(validationFraction: 0.1, seed: 0)
let scaler = Normalization.standardization(fittedOn: train)
func loader(_ set: TensorDataset, shuffle: Bool = false) throws -> DataLoader<TensorDataset> {
    try DataLoader(try set.normalized(by: scaler), batchSize: 32, shuffle: shuffle, binaryTargetsAsColumn: true)
}

var rng = SeededGenerator(seed: 0)
let model = Sequential([Linear(30, 32, rng: &rng), Activation(.relu), Linear(32, 1, rng: &rng)])
let loss = try LossRegistry.standard.make(name: "bce_with_logits")
let config = try RunConfig(try ConfigValue.parse(yaml: "trainer:\n  max_epochs: 30\n  validate_every: 10\n", file: "inline"),
                           file: "inline")
let trainer = Trainer(model: model, loss: { try loss($0, LossTarget($1)) },
                      optimizer: try Adam(parameters: model.parameters), config: config.trainer, task: .binary)
trainer.observers.append { event in
    if case let .validationEnded(epoch, _, trainLoss, _, result) = event {
        print("epoch \(epoch): train loss \(trainLoss), val accuracy \(result.accuracy), val AUROC \(result.metrics["auroc"] ?? .nan)")
    }
}
try trainer.fit(train: loader(train, shuffle: true), validation: loader(validation))
let result = try trainer.evaluate(loader(test))
print("Ignite-style breast cancer: test accuracy \(result.accuracy)")
guard result.accuracy > 0.93 else { fatalError("did not learn") }
