import Checkpoint
import Data
import Foundation
import Losses
import NN
import Optim
import RunEvents
import TensorCore
import Training

// Breast cancer, the Ignite way: a plain model, a loss and an optimizer handed to the Trainer, with
// handlers for a cosine schedule, early stopping and best/last checkpoints, and an observer printing
// each validation. At the end the best checkpoint is reloaded into a fresh model and scored on test.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../").standardized
let csv = try CSVDataset.load(contentsOf: root.appendingPathComponent("Config/data/breast_cancer.csv").path,
                              options: CSVOptions(label: "benign", task: .binary))
let (rest, test) = try csv.dataset.split(validationFraction: 0.2, seed: 0)
let (train, validation) = try rest.split(validationFraction: 0.1, seed: 0)
let scaler = Normalization.standardization(fittedOn: train)
func loader(_ set: TensorDataset, shuffle: Bool = false) throws -> DataLoader<TensorDataset> {
    try DataLoader(try set.normalized(by: scaler), batchSize: 32, shuffle: shuffle, binaryTargetsAsColumn: true)
}
func makeModel(seed: UInt64) -> Sequential {
    var rng = SeededGenerator(seed: seed)
    return Sequential([Linear(30, 32, rng: &rng), Activation(.relu), Linear(32, 1, rng: &rng)])
}

let model = makeModel(seed: 0)
let loss = try LossRegistry.standard.make(name: "bce_with_logits")
let trainer = Trainer(model: model, loss: loss, optimizer: try Adam(parameters: model.parameters, lr: 0.01),
                      options: TrainerOptions(maxEpochs: 30), task: .binary)
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainboard-ignite-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }
trainer.checkpointer = Checkpointer(directory: directory)
let checkpoints = ModelCheckpoint(monitor: .validationLoss)
trainer.handlers = [ValidationSchedule(every: .epochs(1)), StopOnNonFiniteLoss(), LRScheduling(.cosine()),
                    EarlyStopping(monitor: .validationLoss, patience: 3), checkpoints]   // the whole list, defaults replaced
trainer.observers.append { event in
    guard case let .epochEnd(e) = event else { return }
    print(String(format: "epoch %2d: train loss %.4f, val loss %.4f, val accuracy %.3f, val AUROC %.3f, lr %.5f", e.epoch,
                 e.trainLoss, e.valLoss ?? .nan, e.valAccuracy ?? .nan, e.auroc ?? .nan, Double(trainer.optimizer.learningRate)))
}
let reason = try trainer.fit(train: loader(train, shuffle: true), validation: loader(validation))
print("ended (\(reason)) after \(trainer.state.epoch) epochs, best val loss \(checkpoints.state.best!) at epoch "
    + "\(checkpoints.state.bestEpoch); last weights: test accuracy \(try trainer.evaluate(loader(test)).accuracy)")

let best = trainer.checkpointer!.url(for: .best, step: 0)
precondition(FileManager.default.fileExists(atPath: best.path), "no best checkpoint at \(best.path)")
let fresh = makeModel(seed: 1)
try Checkpointer.loadWeights(from: best.path, into: fresh)
let reloaded = try Trainer(model: fresh, loss: loss, optimizer: try Adam(parameters: fresh.parameters), task: .binary)
    .evaluate(loader(test))
print("Ignite-style breast cancer: best checkpoint reloaded, test accuracy \(reloaded.accuracy)")
precondition(reloaded.accuracy > 0.93, "the best checkpoint did not learn")
