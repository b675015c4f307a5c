import Data
import Foundation
import Losses
import NN
import Optim
import TensorCore
import Testing
@testable import Training

/// `accumulate_grad_batches`: K batches of B train as one batch of K·B, through the
/// step plan and through the graph, with partial last batches weighed by their rows.
@Suite("gradient accumulation")
struct AccumulationTests {
    /// Trains 3 epochs of the fixture (96 samples) with `batch` and `accumulate`; returns the weights and steps.
    static func train(batch: Int, accumulate: Int, plan: Bool) throws -> (weights: [Float], steps: Int, losses: [Double]) {
        var rng = SeededGenerator(seed: 3)
        let model = Sequential([Linear(4, 8, rng: &rng), Activation(.tanh), Linear(8, 3, rng: &rng)])
        let trainer = Trainer(model: model, loss: try LossRegistry.standard.make(name: "cross_entropy"),
                              optimizer: try Adam(parameters: model.parameters, lr: 0.01),
                              options: TrainerOptions(maxEpochs: 3, accumulateGradBatches: accumulate), task: .multiclass)
        if !plan { trainer.stepPlan = nil }
        var losses: [Double] = []
        trainer.observers = [{ if case .batchEnd(let end) = $0 { losses.append(end.loss) } }]
        try trainer.fit(train: DataLoader(try TrainerFixture().data, batchSize: batch, seed: 5), validation: nil)
        return (model.parameters.flatMap(\.value.scalars), trainer.state.step, losses)
    }

    @Test("K batches of B accumulated equal one batch of K·B", arguments: [(8, 2, true), (8, 2, false), (20, 2, true), (12, 4, false)])
    func equalsTheLargerBatch(batch: Int, accumulate: Int, plan: Bool) throws {
        let small = try Self.train(batch: batch, accumulate: accumulate, plan: plan)
        let large = try Self.train(batch: batch * accumulate, accumulate: 1, plan: plan)
        #expect(small.steps == large.steps)
        #expect(small.losses.count == large.losses.count)
        #expect(zip(small.losses, large.losses).allSatisfy { abs($0 - $1) <= 1e-5 })
        let worst = zip(small.weights, large.weights).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5, "largest weight difference \(worst)")
    }

    @Test("without accumulation nothing changes: one step per batch")
    func oneIsPlain() throws {
        let run = try Self.train(batch: 20, accumulate: 1, plan: true)
        #expect(run.steps == 15)
    }
}
