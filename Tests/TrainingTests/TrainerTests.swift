import Autograd
import Data
import Foundation
import Losses
import Checkpoint
import Metrics
import NN
import Optim
import RunEvents
import TensorCore
import Testing
@testable import Training

/// A small trainer on synthetic 3-class data: 96 samples × 4 features.
struct TrainerFixture {
    let data: TensorDataset
    let directory: URL

    init() throws {
        var rng = SeededGenerator(seed: 11)
        let classes = (0..<96).map { $0 % 3 }
        let centers: [[Float]] = [[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 0]]
        let features = Tensor(shape: [96, 4], scalars: classes.flatMap { c in centers[c].map { $0 + rng.nextNormal() } })
        data = try TensorDataset(features: features, classes: classes, classCount: 3)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
    }

    func trainer(seed: UInt64 = 0, epochs: Int = 4, loss: LossFunction? = nil) throws -> Trainer {
        var rng = SeededGenerator(seed: seed)
        let model = Sequential([Linear(4, 8, rng: &rng), Activation(.relu), Linear(8, 3, rng: &rng)])
        let crossEntropy = try LossRegistry.standard.make(name: "cross_entropy")
        let trainer = Trainer(model: model, loss: loss ?? { try crossEntropy($0, LossTarget($1)) },
                              optimizer: try Adam(parameters: model.parameters, lr: 0.01),
                              options: TrainerOptions(maxEpochs: epochs), task: .multiclass)
        trainer.checkpointer = Checkpointer(directory: directory)
        return trainer
    }

    func loader() throws -> DataLoader<TensorDataset> { try DataLoader(data, batchSize: 16, seed: 3) }
    func weights(_ t: Trainer) -> [[Float]] { t.model.parameters.map(\.value.scalars) }
}

@Suite("Trainer")
struct TrainerTests {
    @Test func sameSeedGivesBitIdenticalRuns() throws {
        let f = try TrainerFixture()
        let a = try f.trainer(), b = try f.trainer()
        try a.fit(train: f.loader(), validation: f.loader())
        try b.fit(train: f.loader(), validation: f.loader())
        #expect(f.weights(a) == f.weights(b))
        #expect(try a.evaluate(f.loader()) == b.evaluate(f.loader()))
        let c = try f.trainer(seed: 1)
        try c.fit(train: f.loader(), validation: nil)
        #expect(f.weights(a) != f.weights(c))
    }

    @Test func trainingLearnsTheSyntheticTask() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 20)
        try t.fit(train: f.loader(), validation: nil)
        #expect(try t.evaluate(f.loader()).accuracy > 0.9)
    }

    @Test func resumeAtAnEpochBoundaryEqualsUninterrupted() throws {
        let f = try TrainerFixture()
        let straight = try f.trainer(epochs: 4)
        try straight.fit(train: f.loader(), validation: nil)

        let first = try f.trainer(epochs: 2)
        try first.fit(train: f.loader(), validation: nil)
        let second = try f.trainer(seed: 99, epochs: 4)   // different init: everything must come from the checkpoint
        try second.resume(from: f.directory.appendingPathComponent("last.safetensors").path)
        #expect(second.state.epoch == 2)
        try second.fit(train: f.loader(), validation: nil)
        #expect(f.weights(second) == f.weights(straight))
        #expect(second.state.step == straight.state.step)
    }

    @Test func resumeInsideAnEpochEqualsUninterrupted() throws {
        let f = try TrainerFixture()
        let straight = try f.trainer(epochs: 3)
        try straight.fit(train: f.loader(), validation: nil)

        let stopped = try f.trainer(epochs: 3)
        stopped.observers.append { event in
            if case .batchEnd(let b) = event, b.step == 8 { stopped.control.requestStop() }
        }
        #expect(try stopped.fit(train: f.loader(), validation: nil) == .stopped)
        #expect(stopped.state.step == 8)
        #expect(stopped.state.batch == 2)   // 6 batches per epoch: stopped after batch 2 of epoch 2

        let resumed = try f.trainer(seed: 5, epochs: 3)
        try resumed.resume(from: f.directory.appendingPathComponent("last.safetensors").path)
        try resumed.fit(train: f.loader(), validation: nil)
        #expect(f.weights(resumed) == f.weights(straight))
    }

    @Test func nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() throws {
        let f = try TrainerFixture()
        let crossEntropy = try LossRegistry.standard.make(name: "cross_entropy")
        var calls = 0
        let t = try f.trainer(epochs: 5, loss: { output, targets in
            calls += 1
            let loss = try crossEntropy(output, LossTarget(targets))
            return calls == 15 ? loss * Float.nan : loss   // step 15: inside epoch 3
        })
        var messages: [String] = []
        t.observers.append { if case .message(let m) = $0 { messages.append(m.text) } }
        #expect(try t.fit(train: f.loader(), validation: nil) == .nan)
        #expect(t.state.epoch == 2)
        #expect(messages.contains { $0.contains("loss is nan") && $0.contains("epoch 3") })
        #expect(t.model.parameters.allSatisfy { $0.value.scalars.allSatisfy(\.isFinite) })
        let saved = try SafetensorsFile.read(from: f.directory.appendingPathComponent("last.safetensors"))
        #expect(saved.metadata["trainboard.state"]?.contains("\"epoch\":2") == true)
        #expect(saved.tensors.values.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
    }

    @Test func stopRequestFinishesTheStepAndSaves() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 50)
        var ended: RunEnded.Reason?
        t.observers.append { event in
            if case .batchEnd(let b) = event, b.step == 3 { t.control.requestStop() }
            if case .runEnded(let end) = event { ended = end.reason }
        }
        #expect(try t.fit(train: f.loader(), validation: nil) == .stopped)
        #expect(ended == .stopped)
        #expect(t.state.step == 3)
        #expect(FileManager.default.fileExists(atPath: f.directory.appendingPathComponent("last.safetensors").path))
    }

    @Test func earlyStoppingStopsAndNamesMissingMonitors() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 200)
        let stopping = EarlyStopping(monitor: .validationLoss, patience: 2, minDelta: 10)
        t.handlers.append(stopping)
        #expect(try t.fit(train: f.loader(), validation: f.loader()) == .earlyStopped)
        #expect(t.state.epoch == 4)   // best at 1; epochs 2, 3, 4 without a 10-point improvement
        #expect(stopping.state.wait == 3 && stopping.state.bestEpoch == 1)

        let u = try f.trainer()
        u.handlers.append(EarlyStopping(monitor: Monitor(.f1)))
        let available = ["val_loss", "val_accuracy", "val_macro_f1", "val_top5_accuracy"]
        #expect(throws: TrainingError.unknownMonitor("val_f1", available: available)) {
            try u.fit(train: f.loader(), validation: f.loader())
        }
        #expect(throws: TrainingError.unknownMonitor("val_loss", available: [])) {
            try f.trainer().withHandler(EarlyStopping()).fit(train: f.loader(), validation: nil)
        }
    }

    @Test func checkpointTensorsUseStateDictNames() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 1)
        try t.fit(train: f.loader(), validation: nil)
        let saved = try SafetensorsFile.read(from: f.directory.appendingPathComponent("last.safetensors"))
        #expect(saved.tensors.keys.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight"])
        #expect(saved.tensors["0.weight"]?.shape == [8, 4])
        #expect(saved.metadata["format"] == "pt")
    }
}

@Suite("Trainer control")
struct TrainerControlTests {
    @Test func saveWhilePausedHappensBeforeTheNextStep() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 50)
        var savedAt: [String] = []
        t.observers.append { event in
            if case .batchEnd(let b) = event, b.step == 2 {
                t.control.togglePause()
                t.control.requestSave()
                let control = t.control
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { control.requestStop() }
            }
            if case .checkpointSaved(let saved) = event, saved.kind == .manual { savedAt.append(saved.path) }
        }
        #expect(try t.fit(train: f.loader(), validation: nil) == .stopped)
        #expect(savedAt.count == 1)
        #expect(savedAt.first?.hasSuffix("step-2.safetensors") == true)
        #expect(t.state.step == 2)
    }
}

@Suite("Trainer validation schedule")
struct ValidationScheduleTests {
    @Test func validatesEveryNStepsAndAfterTheLastStep() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 2)
        t.handlers[0] = ValidationSchedule(every: .steps(5))
        var steps: [Int?] = []
        t.observers.append { if case .epochEnd(let e) = $0 { steps.append(e.step) } }
        try t.fit(train: f.loader(), validation: f.loader())
        #expect(steps == [5, 10, 12])   // 6 batches per epoch, 12 steps; the last step is validated too
    }
}

@Suite("Training accuracy")
struct TrainingAccuracyTests {
    @Test func correctPredictionsForClassesAndBinaryTargets() {
        let logits = Tensor(shape: [3, 2], scalars: [2, 1, 0, 3, 5, -1])
        #expect(Trainer.correctPredictions(logits, .classes(IndexTensor([0, 1, 1])), probabilities: false) == 2)
        let binary = Tensor(shape: [3, 1], scalars: [-2, 0.5, 3])
        #expect(Trainer.correctPredictions(binary, .values(Tensor(shape: [3, 1], scalars: [0, 0, 1])), probabilities: false) == 2)
        let probabilities = Tensor(shape: [2, 1], scalars: [0.4, 0.6])
        #expect(Trainer.correctPredictions(probabilities, .values(Tensor(shape: [2, 1], scalars: [0, 1])), probabilities: true) == 2)
    }

    @Test func validationEventsCarryTheRunningTrainingAccuracy() throws {
        let f = try TrainerFixture()
        let t = try f.trainer(epochs: 10)
        var accuracies: [Double?] = []
        t.observers.append { if case .epochEnd(let e) = $0 { accuracies.append(e.trainAccuracy) } }
        try t.fit(train: f.loader(), validation: f.loader())
        #expect(accuracies.count == 10)
        #expect(accuracies.allSatisfy { $0 != nil && $0! >= 0 && $0! <= 1 })
        #expect(accuracies.last!! > accuracies.first!!)
    }
}

extension Trainer {
    /// The trainer with `handler` appended (for one-line test setups).
    func withHandler(_ handler: any TrainerHandler) -> Trainer {
        handlers.append(handler)
        return self
    }
}
