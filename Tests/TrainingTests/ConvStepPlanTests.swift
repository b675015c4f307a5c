import Autograd
import Data
import Losses
import Metrics
import NN
import Optim
import TensorCore
import Testing
@testable import Training

/// A CNN's step on buffers (`Conv2d` and `MaxPool2d` buffered forms) against the
/// graph: the same kernels, so the same weights bit for bit, partial batches included.
@Suite("StepPlan with convolutions")
struct ConvStepPlanTests {
    /// 36 images `[1, 8, 8]` in 3 classes (a bright band per class).
    static func images() throws -> TensorDataset {
        var rng = SeededGenerator(seed: 4)
        let classes = (0..<36).map { $0 % 3 }
        let pixels = classes.flatMap { c in (0..<64).map { p in Float(p / 8 / 3 == c ? 1 : 0) + 0.2 * rng.nextNormal() } }
        return try TensorDataset(features: Tensor(shape: [36, 1, 8, 8], scalars: pixels), classes: classes, classCount: 3)
    }

    /// conv(1→4, k3, p1) → ReLU → pool 2 → conv(4→6, k3, s1) → ReLU → pool 2 (stride 1) → flatten → linear.
    static func model(seed: UInt64) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        return Sequential([Conv2d(1, 4, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2),
                           Conv2d(4, 6, kernelSize: 3, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2, stride: 1),
                           Flatten(), Linear(6, 3, rng: &rng)])
    }

    @Test("plan and graph train a CNN to the same weights, bit for bit", arguments: ["cross_entropy", "multi_margin"])
    func cnnMatchesTheGraph(lossName: String) throws {
        let loss = try LossRegistry.standard.make(name: lossName)
        var trained: [[Tensor]] = []
        for usePlan in [true, false] {
            let model = Self.model(seed: 8)
            let trainer = Trainer(model: model, loss: loss, optimizer: try Adam(parameters: model.parameters, lr: 0.01),
                                  options: TrainerOptions(maxEpochs: 3), task: .multiclass)
            #expect(trainer.stepPlan != nil)
            if !usePlan { trainer.stepPlan = nil }
            try trainer.fit(train: DataLoader(try Self.images(), batchSize: 16, seed: 1), validation: nil)   // 16, 16, 4
            trained.append(model.parameters.map(\.value))
        }
        #expect(trained[0] == trained[1])
    }

    @Test("a CNN step overwrites the gradients the graph computes")
    func gradientsMatchTheGraph() throws {
        let loss = try LossRegistry.standard.make(name: "cross_entropy")
        let batch = try Self.images().batch(of: Array(0..<10)[...])
        let model = Self.model(seed: 2)
        let plan = try #require(StepPlan(model: model, loss: { try loss($0, LossTarget($1)) }, bufferLoss: loss))
        _ = try plan.run(batch)
        _ = try plan.run(batch)
        let copy = Self.model(seed: 2)
        try loss(copy(Variable(batch.features)), LossTarget(batch.targets)).backward()
        #expect(model.parameters.map { $0.variable.grad! } == copy.parameters.map { $0.variable.grad! })
    }

    @Test("evaluation on the plan's buffers gives the graph's loss and metrics, bit for bit")
    func evaluationMatchesTheGraph() throws {
        let loss = try LossRegistry.standard.make(name: "cross_entropy")
        var results: [EvaluationResult] = []
        for usePlan in [true, false] {
            let model = Self.model(seed: 3)
            let trainer = Trainer(model: model, loss: loss, optimizer: try Adam(parameters: model.parameters), task: .multiclass)
            if !usePlan { trainer.stepPlan = nil }
            results.append(try trainer.evaluate(DataLoader(try Self.images(), batchSize: 16, shuffle: false)))   // 16, 16, 4
            #expect(model.isTraining)
        }
        #expect(results[0] == results[1])
        #expect(results[0].samples == 36 && results[0].loss.isFinite)
    }
}

@Suite("StepPlan fusions")
struct StepPlanFusionTests {
    @Test("ReLU after a convolution runs in its forward and in the pooling's backward; Flatten is a view")
    func cnnFusions() throws {
        let model = ConvStepPlanTests.model(seed: 1)
        let fusions = Fusion.plan(model.layers.map { $0 as! any BufferedLayer })
        // conv, relu, pool, conv, relu, pool, flatten, linear
        #expect(fusions.map(\.outputActivation) == [.relu, nil, nil, .relu, nil, nil, nil, nil])
        #expect(fusions.map(\.inputActivation) == [nil, nil, .relu, nil, nil, .relu, nil, nil])
        #expect(fusions.map(\.forwardIsView) == [false, true, false, false, true, false, true, false])
        #expect(fusions.map(\.backwardIsView) == [false, true, false, false, true, false, true, false])
    }

    @Test("activations a neighbour cannot take run as layers")
    func unfused() {
        var rng = SeededGenerator(seed: 1)
        let layers: [any BufferedLayer] = [Flatten(), Linear(4, 4, rng: &rng), Activation(.relu), Activation(.tanh),
                                           Conv2d(1, 2, kernelSize: 1, rng: &rng), Activation(.sigmoid), MaxPool2d(kernelSize: 1)]
        let fusions = Fusion.plan(layers)
        #expect(fusions.allSatisfy { $0.outputActivation == nil && $0.inputActivation == nil })
        #expect(fusions.map(\.forwardIsView) == [false, false, false, false, false, false, false])
    }
}
