import Autograd
import Data
import Foundation
import Losses
import TensorCore
import Testing
@testable import Config
import NN
import Optim
import Training
import RunEvents

/// `conv2d` and `max_pool2d` in a config's layer list: shapes tracked from the
/// data's `[C, H, W]` planes, PyTorch `state_dict` names, clear errors.
@Suite("Convolutional models from configs")
struct ConvModelTests {
    static func model(_ layers: String, sampleShape: [Int]) throws -> Sequential {
        let config = try RunConfig(try ConfigValue.parse(yaml: "model:\n  layers: \(layers)\n", file: "c.yaml"), file: "c.yaml")
        var rng = SeededGenerator(seed: 0)
        do { return try config.model.spec.build(sampleShape: sampleShape, outputs: 3, rng: &rng) } catch {
            throw ConfigError(error, file: "c.yaml")
        }
    }

    static func message(_ layers: String, sampleShape: [Int]) -> String {
        do { _ = try model(layers, sampleShape: sampleShape); return "no error" } catch { return "\(error)" }
    }

    @Test("a small CNN: names and shapes as PyTorch's state_dict, and it trains")
    func smallCNN() throws {
        let cnn = try Self.model("[{conv2d: {out_channels: 4, kernel_size: 3, padding: 1}}, relu, {max_pool2d: 2}, flatten, {linear: 3}]",
                                 sampleShape: [1, 8, 8])
        #expect(cnn.parameters.map(\.name) == ["0.weight", "0.bias", "4.weight", "4.bias"])
        #expect(cnn.parameters.map(\.value.shape) == [[4, 1, 3, 3], [4], [3, 64], [3]])
        #expect(cnn.summary.contains("Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"))
        #expect(cnn.summary.contains("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"))
        // Runs on buffers (a StepPlan), and learns a separable toy task.
        var rng = SeededGenerator(seed: 1)
        let classes = (0..<48).map { $0 % 3 }
        let images = Tensor(shape: [48, 1, 8, 8], scalars: classes.flatMap { c in
            (0..<64).map { p in (p / 8 < 3 ? (c == 0 ? 1 : 0) : p / 8 < 6 ? (c == 1 ? 1 : 0) : (c == 2 ? 1 : 0)) + 0.1 * rng.nextNormal() }
        })
        let set = try TensorDataset(features: images, classes: classes, classCount: 3)
        let loss = try LossRegistry.standard.make(name: "cross_entropy")
        let trainer = Trainer(model: cnn, loss: loss, optimizer: try Adam(parameters: cnn.parameters, lr: 0.02),
                              options: TrainerOptions(maxEpochs: 15), task: .multiclass)
        #expect(trainer.stepPlan != nil)
        try trainer.fit(train: DataLoader(set, batchSize: 16, seed: 2), validation: nil)
        #expect(try trainer.evaluate(DataLoader(set, batchSize: 48, shuffle: false)).accuracy > 0.9)
    }

    @Test("shape mismatches and bad layer options are config errors naming the layer")
    func errors() {
        #expect(Self.message("[{conv2d: {out_channels: 4, kernel_size: 3}}]", sampleShape: [64])
                == "c.yaml: 'model.layers[0]' cannot be conv2d after features shaped [64]: expected [C, H, W] planes (data.flatten: false)")
        #expect(Self.message("[{conv2d: {out_channels: 4, kernel_size: 3}}, {linear: 3}]", sampleShape: [1, 8, 8])
                == "c.yaml: 'model.layers[1]' cannot be linear after features shaped [4, 6, 6]: "
                + "expected a flatten layer first: linear takes one row per sample")
        #expect(Self.message("[{max_pool2d: 9}]", sampleShape: [1, 8, 8])
                == "c.yaml: 'model.layers[0]' cannot be max_pool2d after features shaped [1, 8, 8]: expected [C, H, W] planes the window fits")
        #expect(Self.message("[{conv2d: {out_channels: 4, kernel: 3}}]", sampleShape: [1, 8, 8]).contains("kernel_size"))
        #expect(Self.message("[{conv2d: {out_channels: 4}}]", sampleShape: [1, 8, 8]).contains("out_channels: C, kernel_size: k"))
    }
}
