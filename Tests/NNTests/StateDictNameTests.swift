import Testing
import TensorCore
@testable import NN

/// The shipped models' parameters carry PyTorch's `state_dict` names and shapes for the
/// equivalent `nn.Sequential`: what makes checkpoints load both ways (the interop fixtures
/// of `Tests/CheckpointTests/PyTorchInteropTests.swift` are these models, narrower).
@Suite("state_dict names")
struct StateDictNameTests {
    static func names(_ model: Sequential) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value.shape) })
    }

    @Test("Config/fashion-mnist-mlp.yaml: nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)")
    func referenceMLP() throws {
        var rng = SeededGenerator(seed: 0)
        let model = try ModelSpec.mlp(hidden: [256, 128], activation: .relu).build(sampleShape: [784], outputs: 10, rng: &rng)
        #expect(model.parameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        #expect(Self.names(model) == ["0.weight": [256, 784], "0.bias": [256], "2.weight": [128, 256], "2.bias": [128],
                                      "4.weight": [10, 128], "4.bias": [10]])
        #expect(model.parameters.reduce(0) { $0 + $1.value.count } == 235_146)
    }

    @Test("Config/fashion-mnist-cnn.yaml: conv, relu, pool, conv, relu, pool, flatten, linear, relu, linear")
    func referenceCNN() throws {
        var rng = SeededGenerator(seed: 0)
        let spec = ModelSpec.layers([
            .conv2d(outChannels: 16, kernelSize: 3, padding: 1), .activation(.relu), .maxPool2d(kernelSize: 2),
            .conv2d(outChannels: 32, kernelSize: 3, padding: 1), .activation(.relu), .maxPool2d(kernelSize: 2),
            .flatten, .linear(outFeatures: 128), .activation(.relu), .linear(outFeatures: 10),
        ])
        let model = try spec.build(sampleShape: [1, 28, 28], outputs: 10, rng: &rng)
        #expect(Self.names(model) == ["0.weight": [16, 1, 3, 3], "0.bias": [16], "3.weight": [32, 16, 3, 3], "3.bias": [32],
                                      "7.weight": [128, 1568], "7.bias": [128], "9.weight": [10, 128], "9.bias": [10]])
    }
}
