import ArgumentParser
import Autograd
import Foundation
import Losses
import NN
import Optim
import TensorCore
import Training

/// `trainboard bench kernels`: microbenchmarks of the hot kernels of one
/// training step of the reference MLP, each best-of and median over repeats.
struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Time the hot kernels: GEMM shapes, Linear(+ReLU), softmax-CE, BCE-with-logits, Adam.")

    @Option(help: "Batch size of the shapes.") var batch = 128
    @Option(help: "Seconds to spend on each kernel.") var seconds = 0.3
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        var rng = SeededGenerator(seed: 0)
        let b = batch
        var rows: [KernelTiming] = []
        let gemms = StepGemms(batch: b, layers: [(784, 256), (256, 128), (128, 10)])
        for timing in gemms.isolated(seconds: seconds * Double(gemms.gemms.count)) {
            rows.append(KernelTiming(name: "gemm \(timing.gemm.name)", best: timing.best, median: timing.median))
        }
        let x = Variable(.uniform([b, 784], using: &rng))
        let linear = Linear(784, 256, rng: &rng)
        let hidden = Variable(.uniform([b, 256], low: -1, high: 1, using: &rng), requiresGrad: true)
        let bias = Variable(.uniform([256], using: &rng), requiresGrad: true)
        rows.append(KernelTiming.measure("linear 784→256 fwd", seconds) { _ = linear(x) })
        rows.append(KernelTiming.measure("linear 784→256 + relu fwd+bwd", seconds) {
            let y = linear(x).relu()
            y.backward()
            linear.weight.zeroGrad(); linear.bias?.zeroGrad()
        })
        rows.append(KernelTiming.measure("bias add [\(b),256] fwd", seconds) { _ = hidden + bias })
        rows.append(KernelTiming.measure("bias add + relu [\(b),256] fwd+bwd", seconds) {
            (hidden + bias).relu().backward()
            hidden.zeroGrad(); bias.zeroGrad()
        })
        rows.append(KernelTiming.measure("relu [\(b),256] fwd+bwd", seconds) {
            hidden.relu().backward()
            hidden.zeroGrad()
        })
        let logits = Variable(.uniform([b, 10], low: -3, high: 3, using: &rng), requiresGrad: true)
        let classes = LossTarget.classes(IndexTensor((0..<b).map { $0 % 10 }))
        rows.append(KernelTiming.measure("softmax-CE [\(b),10] fwd+bwd", seconds) {
            try! crossEntropyLoss(logits, classes).backward()
            logits.zeroGrad()
        })
        let binary = Tensor(shape: [b, 10], scalars: (0..<(b * 10)).map { Float($0 % 3 == 0 ? 1 : 0) })
        rows.append(KernelTiming.measure("BCE-with-logits [\(b),10] fwd+bwd", seconds) {
            try! bceWithLogitsLoss(logits, binary).backward()
            logits.zeroGrad()
        })
        let model = ModelBuilderShim.mlp(rng: &rng)
        let adam = try Adam(parameters: model.parameters)
        for p in model.parameters { p.variable.grad = .uniform(p.value.shape, low: -1e-3, high: 1e-3, using: &rng) }
        let count = model.parameters.reduce(0) { $0 + $1.value.count }
        rows.append(KernelTiming.measure("adam step (\(count) params)", seconds) { adam.step() })

        if json {
            print("[" + rows.map { "{\"kernel\": \"\($0.name)\", \"best_us\": \(fmt($0.best * 1e6, 2)), \"median_us\": \(fmt($0.median * 1e6, 2))}" }
                .joined(separator: ", ") + "]")
        } else {
            print("kernel (batch \(b), BLAS threads \(BLAS.threads))".padding(toLength: 44, withPad: " ", startingAt: 0) + "   best µs  median µs")
            for row in rows {
                print(row.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                    + fmt(row.best * 1e6, 1).leftPad(10) + fmt(row.median * 1e6, 1).leftPad(11))
            }
        }
    }
}

/// The reference MLP's layers, for kernels that need its parameters.
enum ModelBuilderShim {
    static func mlp(rng: inout SeededGenerator) -> Sequential {
        Sequential([Linear(784, 256, rng: &rng), Activation(.relu), Linear(256, 128, rng: &rng),
                    Activation(.relu), Linear(128, 10, rng: &rng)])
    }
}

/// One kernel's timing in seconds.
struct KernelTiming {
    var name: String
    var best: Double
    var median: Double

    /// Runs `body` repeatedly for about `seconds` after one warm-up call.
    static func measure(_ name: String, _ seconds: Double, _ body: () -> Void) -> KernelTiming {
        body()
        var samples: [Double] = []
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        } while Date() < deadline
        samples.sort()
        return KernelTiming(name: name, best: samples[0], median: samples[samples.count / 2])
    }
}
