import Foundation
import ArgumentParser
import Autograd
import TensorCore

/// `trainboard demo`: logistic regression on a small synthetic data set,
/// printing the loss as it falls. Exercises TensorCore and Autograd end to end.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train logistic regression on a small synthetic set and print the loss falling.")

    @Option(help: "Gradient steps.") var steps = 200
    @Option(help: "Learning rate.") var lr: Float = 0.5
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        var rng = SeededGenerator(seed: seed)
        // Two Gaussian blobs in 2-D, labelled 0 and 1.
        let n = 256
        let x = Tensor.normal([n, 2], using: &rng) + Tensor.concatenate(
            [Tensor.full([n / 2, 2], -1.5), Tensor.full([n / 2, 2], 1.5)], axis: 0)
        let y = Tensor.concatenate([Tensor.zeros([n / 2, 1]), Tensor.ones([n / 2, 1])], axis: 0)
        let w = Variable(Tensor.zeros([2, 1]), requiresGrad: true)
        let b = Variable(Tensor.zeros([1]), requiresGrad: true)
        let input = Variable(x), target = Variable(y)
        for step in 0...steps {
            let logits = input.matmul(w) + b
            // Binary cross-entropy on logits: −[y·logσ(z) + (1−y)·(logσ(z) − z)].
            let loss = -(target * logits.logSigmoid() + (1 - target) * (logits.logSigmoid() - logits)).mean()
            w.zeroGrad(); b.zeroGrad()
            loss.backward()
            noGrad {
                w.value -= lr * w.grad!
                b.value -= lr * b.grad!
            }
            if step % max(steps / 10, 1) == 0 {
                let accuracy = ((logits.value .> 0) .== y).mean().item
                print("step \(step)".padding(toLength: 10, withPad: " ", startingAt: 0)
                      + "loss \(String(format: "%.4f", loss.value.item))   accuracy \(String(format: "%.3f", accuracy))")
            }
        }
    }
}
