import Foundation
import RunEvents
@testable import Dashboard

/// Models and events for the tests: the recorded fixture runs in `Tests/Fixtures/events/`
/// (written by `scripts/fake-run.py`) and small hand-made runs.
enum TestRuns {
    /// `Tests/Fixtures/events/NAME.jsonl`, found from this source file's path.
    static func fixtureURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/events/\(name).jsonl")
    }

    /// A fixture run folded into a model.
    static func fixtureModel(_ name: String) throws -> DashboardModel {
        let text = try String(contentsOf: fixtureURL(name), encoding: .utf8)
        var model = DashboardModel()
        let codec = EventCodec()
        for line in text.split(separator: "\n") { model.apply(codec.parse(line)) }
        return model
    }

    static let classNames = ["cat", "dog", "bird"]

    static func started(task: TaskKind = .multiclass, epochs: Int = 5, stepsPerEpoch: Int = 10) -> RunStarted {
        RunStarted(run: "mnist-mlp", config: "Config/mnist.yaml", task: task, loss: "cross_entropy",
                   lossOptions: ["label_smoothing": "0.1"],
                   model: ModelSummary(layers: ["Linear(784→128)", "ReLU", "Linear(128→3)"], parameters: 100_867),
                   seed: 42, classNames: task == .multiclass ? classNames : nil, epochs: epochs,
                   stepsPerEpoch: stepsPerEpoch, batchSize: 32, startedAt: "2025-01-01T00:00:00Z")
    }

    /// A multiclass run 3 epochs into 5, 10 steps each, with known figures.
    static func multiclass(epochsDone: Int = 3) -> DashboardModel {
        var model = DashboardModel()
        for event in events(task: .multiclass, epochsDone: epochsDone) { model.apply(event) }
        return model
    }

    /// A binary run with the same shape.
    static func binary(epochsDone: Int = 3) -> DashboardModel {
        var model = DashboardModel()
        for event in events(task: .binary, epochsDone: epochsDone) { model.apply(event) }
        return model
    }

    /// Validation losses per epoch: epoch 2 is the best.
    static let valLosses = [0.9, 0.5, 0.6, 0.55, 0.52]
    static let valAccuracies = [0.61, 0.80, 0.83, 0.84, 0.85]

    static func events(task: TaskKind, epochsDone: Int) -> [RunEvent] {
        var events: [RunEvent] = [.runStarted(started(task: task))]
        for epoch in 1...epochsDone {
            for batch in 1...10 {
                let step = (epoch - 1) * 10 + batch
                let loss = 2.0 / Double(step) + (batch % 2 == 0 ? 0.05 : 0)
                events.append(.batchEnd(BatchEnd(epoch: epoch, step: step, batch: batch, loss: loss, avgLoss: loss * 1.1,
                                                 lr: 0.001, gradNorm: 1.5, samplesPerSec: 640, elapsed: Double(step) * 0.5)))
            }
            var end = EpochEnd(epoch: epoch, trainLoss: 0.4, trainAccuracy: valAccuracies[epoch - 1] + 0.02,
                               valLoss: valLosses[epoch - 1], valAccuracy: valAccuracies[epoch - 1])
            if task == .multiclass {
                end.confusion = [[17, 2, 1], [3, 15, 2], [0, 4, 16 + epoch]]
                end.perClassRecall = [0.85, 0.75, 0.8]
            } else {
                end.precision = 0.91
                end.recall = 0.874
                end.f1 = 0.892
                end.auroc = 0.951
                end.threshold = 0.5
            }
            events.append(.epochEnd(end))
        }
        events.append(.checkpointSaved(CheckpointSaved(path: "runs/mnist/best.ckpt", kind: .best, epoch: 2)))
        events.append(.message(RunMessage(level: .warning, text: "loss lint: softmax before cross_entropy")))
        return events
    }
}
