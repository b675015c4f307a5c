import Autograd
import Data
import Foundation
import Losses
import NN
import Optim
import TensorCore
import Testing
@testable import Training

/// The buffer-run training step against the graph it replaces: same numbers, bit for bit.
@Suite("StepPlan")
struct StepPlanTests {
    /// Models with every layer that has a buffer form; input 4 features, output `outputs`.
    static func model(_ kind: Int, outputs: Int, seed: UInt64) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        switch kind {
        case 0: return Sequential([Linear(4, 8, rng: &rng), Activation(.relu), Linear(8, outputs, rng: &rng)])
        case 1: return Sequential([Linear(4, 6, rng: &rng), Activation(.gelu), Linear(6, 5, rng: &rng), Activation(.tanh),
                                   Linear(5, outputs, rng: &rng)])
        case 2: return Sequential([Flatten(), Linear(4, 7, rng: &rng), Activation(.leakyRelu(slope: 0.1)), Dropout(p: 0.3, rng: &rng),
                                   Linear(7, outputs, rng: &rng)])
        default: return Sequential([Linear(4, 6, rng: &rng), Activation(.sigmoid), Linear(6, 6, bias: false, rng: &rng),
                                    Activation(.logSigmoid), Linear(6, outputs, rng: &rng)])
        }
    }

    /// The fixture's 96 samples, 3 classes; binary: class 0 against the rest.
    static func data(binary: Bool) throws -> TensorDataset {
        let set = try TrainerFixture().data
        return binary ? try set.binaryTargets(positiveClasses: [0]) : set
    }

    /// Trains two copies of one model 3 epochs (batch 20: each epoch ends on a
    /// partial batch of 16), one through the plan and one through the graph.
    static func trainBoth(kind: Int, loss: Loss, binary: Bool) throws -> (plan: Trainer, graph: Trainer) {
        let set = try data(binary: binary)
        let config = TrainerOptions(maxEpochs: 3)
        func make() throws -> Trainer {
            let model = model(kind, outputs: binary ? 1 : 3, seed: 5)
            return Trainer(model: model, loss: loss, optimizer: try Adam(parameters: model.parameters, lr: 0.01), options: config,
                           task: binary ? .binary : .multiclass)
        }
        let plan = try make(), graph = try make()
        graph.stepPlan = nil
        #expect(plan.stepPlan != nil)
        var losses: [[Double]] = [[], []]
        for (index, trainer) in [plan, graph].enumerated() {
            trainer.observers = [{ if case .batchEnd(let end) = $0 { losses[index].append(end.loss) } }]
            try trainer.fit(train: DataLoader(set, batchSize: 20, seed: 1, binaryTargetsAsColumn: binary),
                            validation: DataLoader(set, batchSize: 32, shuffle: false, binaryTargetsAsColumn: binary))
        }
        #expect(losses[0].count == 15 && losses[0] == losses[1])
        return (plan, graph)
    }

    /// What the two runs must agree on, exactly (timings aside).
    static func outcome(_ t: Trainer) throws -> [String] {
        let best = t.handler(ModelCheckpoint.self)!.state
        return [t.model.parameters.map(\.value).description, "\(t.state.step) \(best.best ?? .nan) \(best.bestEpoch)"]
    }

    static let classLosses: [(String, [String: LossOption])] = [
        ("cross_entropy", [:]),
        ("cross_entropy", ["weight": .tensor(Tensor([0.5, 2, 1])), "label_smoothing": .number(0.1), "ignore_index": .number(2)]),
        ("cross_entropy", ["reduction": .string("sum")]),
        ("multi_margin", [:]),   // no buffer form: the plan runs this loss in the graph
    ]

    @Test("multiclass: plan and graph end with the same weights, bit for bit", arguments: 0..<4, 0..<4)
    func multiclassMatchesTheGraph(kind: Int, lossIndex: Int) throws {
        let (name, options) = Self.classLosses[lossIndex]
        let loss = try LossRegistry.standard.make(name: name, options: options)
        let (plan, graph) = try Self.trainBoth(kind: kind, loss: loss, binary: false)
        #expect(plan.model.parameters.map(\.value) == graph.model.parameters.map(\.value))
        #expect(try Self.outcome(plan) == Self.outcome(graph))
        #expect(plan.model.parameters.map(\.value) != Self.model(kind, outputs: 3, seed: 5).parameters.map(\.value))
    }

    @Test("binary: bce_with_logits on buffers matches the graph", arguments: 0..<4)
    func binaryMatchesTheGraph(kind: Int) throws {
        for options: [String: LossOption] in [[:], ["pos_weight": .tensor(Tensor([3]))]] {
            let loss = try LossRegistry.standard.make(name: "bce_with_logits", options: options)
            let (plan, graph) = try Self.trainBoth(kind: kind, loss: loss, binary: true)
            #expect(plan.model.parameters.map(\.value) == graph.model.parameters.map(\.value))
            #expect(try Self.outcome(plan) == Self.outcome(graph))
        }
    }

    @Test("a loss's buffer form gives the graph's value and gradient")
    func lossBufferForms() throws {
        var rng = SeededGenerator(seed: 2)
        let logits = Tensor.uniform([6, 4], low: -3, high: 3, using: &rng)
        let classes = LossTarget.classes(IndexTensor(shape: [6], indices: [0, 3, 1, 1, 2, 0]))
        let binaryLogits = Tensor.uniform([6, 1], low: -3, high: 3, using: &rng)
        let labels = LossTarget.values(Tensor(shape: [6, 1], scalars: [1, 0, 0, 1, 1, 0]))
        let cases: [(String, [String: LossOption], Tensor, LossTarget)] = [
            ("cross_entropy", [:], logits, classes),
            ("cross_entropy", ["label_smoothing": .number(0.2), "weight": .tensor(Tensor([1, 2, 3, 4]))], logits, classes),
            ("bce_with_logits", ["reduction": .string("sum")], binaryLogits, labels),
            ("bce_with_logits", ["weight": .tensor(Tensor([2]))], binaryLogits, labels),
        ]
        for (name, options, input, target) in cases {
            let loss = try LossRegistry.standard.make(name: name, options: options)
            let x = Variable(input, requiresGrad: true)
            let graph = try loss(x, target)
            graph.backward()
            var gradient = [Float](repeating: .nan, count: input.count)
            let value = try input.withUnsafeBufferPointer { px in
                try gradient.withUnsafeMutableBufferPointer { try loss.value(px, shape: input.shape, target, gradient: $0.baseAddress!) }
            }
            #expect(value == graph.value.item, "\(name) \(options)")
            #expect(gradient == x.grad!.scalars, "\(name) \(options)")
        }
    }

    @Test("configurations without a buffer form say so (nil), and bad targets still throw")
    func bufferFormsDecline() throws {
        let input = Tensor.zeros([2, 3]), out = UnsafeMutablePointer<Float>.allocate(capacity: 6)
        defer { out.deallocate() }
        func value(_ name: String, _ options: [String: LossOption] = [:], _ target: LossTarget) throws -> Float? {
            let loss = try LossRegistry.standard.make(name: name, options: options)
            return try input.withUnsafeBufferPointer { try loss.value($0, shape: [2, 3], target, gradient: out) }
        }
        let classes = LossTarget.classes(IndexTensor(shape: [2], indices: [0, 2]))
        #expect(try value("cross_entropy", ["reduction": .string("none")], classes) == nil)
        #expect(try value("cross_entropy", [:], .values(Tensor.ones([2, 3]) / 3)) == nil)   // probabilities
        #expect(try value("mse", [:], .values(Tensor.zeros([2, 3]))) == nil)                 // no buffer form at all
        #expect(try value("bce_with_logits", ["pos_weight": .tensor(Tensor([1, 2, 3]))], .values(Tensor.zeros([2, 3]))) == nil)
        #expect(throws: LossError.classOutOfRange(index: 7, classes: 3)) {
            try value("cross_entropy", [:], .classes(IndexTensor(shape: [2], indices: [0, 7])))
        }
    }

    @Test("gradients are overwritten each step, never accumulated")
    func gradientsAreOverwritten() throws {
        let model = Self.model(0, outputs: 3, seed: 9)
        let loss = try LossRegistry.standard.make(name: "cross_entropy")
        let plan = try #require(StepPlan(model: model, loss: { try loss($0, LossTarget($1)) }, bufferLoss: loss))
        let batch = try Self.data(binary: false).batch(of: Array(0..<10)[...])
        _ = try plan.run(batch)
        let once = model.parameters.map { $0.variable.grad! }
        _ = try plan.run(batch)
        #expect(model.parameters.map { $0.variable.grad! } == once)
        // The graph's gradient of the same batch.
        let copy = Self.model(0, outputs: 3, seed: 9)
        try loss(copy(Variable(batch.features)), LossTarget(batch.targets)).backward()
        #expect(copy.parameters.map { $0.variable.grad! } == once)
    }

    @Test("a model with a layer lacking a buffer form trains through the graph")
    func unsupportedLayers() throws {
        var rng = SeededGenerator(seed: 0)
        let model = Sequential([Linear(4, 3, rng: &rng), Softmax(log: true)])
        let loss = try LossRegistry.standard.make(name: "nll")
        #expect(StepPlan(model: model, loss: { try loss($0, LossTarget($1)) }) == nil)
        let trainer = Trainer(model: model, loss: loss, optimizer: try SGD(parameters: model.parameters, lr: 0.1),
                              options: TrainerOptions(maxEpochs: 1), task: .multiclass)
        #expect(trainer.stepPlan == nil)
        try trainer.fit(train: DataLoader(try Self.data(binary: false), batchSize: 32), validation: nil)
        #expect(trainer.state.step == 3)
    }

    @Test("features of the wrong width are a clear error naming the layer")
    func wrongWidth() throws {
        var rng = SeededGenerator(seed: 0)
        let model = Sequential([Linear(5, 3, rng: &rng)])
        let loss = try LossRegistry.standard.make(name: "cross_entropy")
        let plan = try #require(StepPlan(model: model, loss: { try loss($0, LossTarget($1)) }, bufferLoss: loss))
        let batch = try Self.data(binary: false).batch(of: [0, 1])
        #expect(throws: TrainingError.incompatibleData(
            "layer 0 (Linear(in_features=5, out_features=3, bias=True)) cannot take samples shaped [4]")) { try plan.run(batch) }
    }
}
