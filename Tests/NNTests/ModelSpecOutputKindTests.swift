import Losses
import TensorCore
import Testing
import NN

/// `ModelSpec.outputKind` (what the sweep's loss lint reads from a config) agrees with the
/// built model's `outputKind` (what a run's lint reads).
@Suite("Model spec output kind")
struct ModelSpecOutputKindTests {
    @Test func theSpecsKindIsTheBuiltModelsKind() throws {
        let specs: [(ModelSpec, [Int], LastLayerKind)] = [
            (.mlp(hidden: [4]), [6], .linear),
            (.mlp(hidden: [4], output: .activation(.sigmoid)), [6], .sigmoid),
            (.mlp(hidden: [4], output: .activation(.logSigmoid)), [6], .logSigmoid),
            (.mlp(hidden: [4], output: .softmax), [6], .softmax),
            (.mlp(hidden: [4], output: .logSoftmax), [6], .logSoftmax),
            (.layers([.linear(outFeatures: 3), .dropout(p: 0.5)]), [6], .other),
            (.layers([.conv2d(outChannels: 2, kernelSize: 3), .flatten]), [1, 5, 5], .linear),
            (.layers([.conv2d(outChannels: 2, kernelSize: 3), .maxPool2d(kernelSize: 2)]), [1, 5, 5], .other),
            (.layers([.conv2d(outChannels: 2, kernelSize: 3)]), [1, 5, 5], .linear),
            (.layers([]), [6], .linear),
        ]
        for (spec, shape, kind) in specs {
            var rng = SeededGenerator(seed: 0)
            let built = try spec.build(sampleShape: shape, outputs: 3, rng: &rng)
            #expect(spec.outputKind == kind && built.outputKind == kind, "\(spec)")
        }
    }
}
