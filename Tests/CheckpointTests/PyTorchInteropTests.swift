import Foundation
import Testing
import TensorCore
@testable import Checkpoint
import NN

/// PyTorch → Trainboard, on every `make test` and without torch: `state_dict`s that
/// PyTorch saved with `safetensors.torch.save_file` (committed in `Tests/Fixtures/interop`,
/// written by `bench/make_interop_fixtures.py`) load strictly into the `Sequential` the
/// shipped configs' layer kinds build, and give the logits PyTorch computed.
@Suite("PyTorch interop")
struct PyTorchInteropTests {
    /// `Tests/Fixtures/interop/NAME`.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/interop/\(name)")
    }

    /// The models of the fixtures: Config/fashion-mnist-mlp.yaml's and fashion-mnist-cnn.yaml's
    /// layer kinds with smaller widths (the script's `nn.Sequential`s).
    static let models: [(name: String, spec: ModelSpec, sampleShape: [Int])] = [
        ("mlp", .mlp(hidden: [16, 8], activation: .relu), [784]),
        ("cnn", .layers([.conv2d(outChannels: 4, kernelSize: 3, padding: 1), .activation(.relu), .maxPool2d(kernelSize: 2),
                         .conv2d(outChannels: 8, kernelSize: 3, padding: 1), .activation(.relu), .maxPool2d(kernelSize: 2),
                         .flatten, .linear(outFeatures: 16), .activation(.relu), .linear(outFeatures: 10)]), [1, 28, 28]),
    ]

    @Test("a PyTorch state_dict loads strictly and gives PyTorch's logits", arguments: [0, 1])
    func pytorchCheckpointGivesPyTorchLogits(_ index: Int) throws {
        let (name, spec, sampleShape) = Self.models[index]
        var rng = SeededGenerator(seed: 1)
        let model = try spec.build(sampleShape: sampleShape, outputs: 10, rng: &rng)
        model.isTraining = false
        let weights = try SafetensorsFile.read(from: Self.fixture("\(name).safetensors"))
        #expect(weights.metadata["generator"] == "bench/make_interop_fixtures.py")
        // Strict: every name, shape and dtype of the model and nothing else (as load_state_dict).
        #expect(Set(weights.names) == Set(model.parameters.map(\.name)))
        try Checkpointer.loadWeights(weights, into: model)
        for parameter in model.parameters { #expect(parameter.value == weights[parameter.name]) }

        let io = try SafetensorsFile.read(from: Self.fixture("\(name)-io.safetensors"))
        let input = try #require(io["input"]), expected = try #require(io["logits"])
        #expect(input.shape == [4] + sampleShape && expected.shape == [4, 10])
        let logits = model.predict(input)
        #expect(logits.shape == expected.shape)
        let worst = zip(logits.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "\(name): largest logit difference from PyTorch \(worst)")
        // The fixture is not trivial: logits differ between samples and classes.
        #expect(Set(expected.scalars).count == expected.scalars.count)
    }

    @Test("a state_dict of another architecture is refused, naming what differs")
    func mismatchedStateDictIsRefused() throws {
        var rng = SeededGenerator(seed: 1)
        let wider = try ModelSpec.mlp(hidden: [32, 8], activation: .relu).build(sampleShape: [784], outputs: 10, rng: &rng)
        let weights = try SafetensorsFile.read(from: Self.fixture("mlp.safetensors"))
        let error = try #require(throws: SafetensorsError.self) { try Checkpointer.loadWeights(weights, into: wider) }
        #expect(error.description.contains("0.weight: expected [32, 784], found [16, 784]"))
        let cnnWeights = try SafetensorsFile.read(from: Self.fixture("cnn.safetensors"))
        let mlp = try ModelSpec.mlp(hidden: [16, 8], activation: .relu).build(sampleShape: [784], outputs: 10, rng: &rng)
        #expect(throws: SafetensorsError.self) { try Checkpointer.loadWeights(cnnWeights, into: mlp) }
    }
}
