import Autograd
import Losses
import TensorCore

// Cross-entropy by name from the registry, with PyTorch's options, and its gradient.
let registry = LossRegistry.standard
let loss = try registry.make(name: "cross_entropy", options: ["label_smoothing": .number(0.1)])
let logits = Variable(Tensor(shape: [2, 3], scalars: [2, 0.5, -1, 0.1, 0.2, 3]), requiresGrad: true)
let value = try loss(logits, .classes(IndexTensor([0, 2])))
value.backward()
print("cross_entropy(label_smoothing=0.1) = \(value.value.item)")
print("gradient \(logits.grad!.scalars)")
// PyTorch: F.cross_entropy(x, tensor([0, 2]), label_smoothing=0.1) = 0.34545642.
guard abs(value.value.item - 0.34545642) < 1e-5 else { fatalError("unexpected loss value") }
do {
    _ = try registry.make(name: "cross_entrpy")
} catch {
    print("as expected: \(error)")
}
