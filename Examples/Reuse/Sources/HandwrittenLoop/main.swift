import Autograd
import Foundation
import Losses
import NN
import Optim
import TensorCore

// A hand-written training loop, PyTorch style, with no Trainer and no Data module: three Gaussian
// blobs, an MLP from NN, cross-entropy from the loss registry, SGD with a StepLR schedule from Optim.
var rng = SeededGenerator(seed: 0)
let centers: [(Float, Float)] = [(-2, -1), (2, -1), (0, 2)]
var points: [Float] = [], labels: [Int] = []
for i in 0..<300 {
    let (cx, cy) = centers[i % 3]
    points += [cx + 0.7 * rng.nextNormal(), cy + 0.7 * rng.nextNormal()]
    labels.append(i % 3)
}
let x = Tensor(shape: [300, 2], scalars: points)

let model = Sequential([Linear(2, 16, rng: &rng), Activation(.relu), Linear(16, 3, rng: &rng)])
let loss = try LossRegistry.standard.make(name: "cross_entropy")
let optimizer = try SGD(parameters: model.parameters, lr: 0.1, momentum: 0.9)
var scheduler = StepLR(baseLR: optimizer.learningRate, stepSize: 5, gamma: 0.5)
let batchSize = 30

for epoch in 1...15 {
    var order = Array(0..<300)
    order.shuffle(using: &rng)
    var total: Float = 0
    for start in stride(from: 0, to: 300, by: batchSize) {
        let rows = Array(order[start..<start + batchSize])
        let output = model(Variable(x.selectingRows(rows)))
        let value = try loss(output, .classes(IndexTensor(rows.map { labels[$0] })))
        optimizer.zeroGrad()
        value.backward()
        optimizer.step()
        total += value.value.item * Float(rows.count)
    }
    print(String(format: "epoch %2d: loss %.4f, lr %.4f", epoch, total / 300, optimizer.learningRate))
    scheduler.step(optimizer)
}

let predicted = model.predict(x).argmax(axis: 1).indices
let accuracy = Double(zip(predicted, labels).count { $0 == $1 }) / Double(labels.count)
print("hand-written loop on three blobs: accuracy \(accuracy)")
precondition(accuracy > 0.9, "did not learn")
