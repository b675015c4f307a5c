import Autograd
import TensorCore

// Fit y = 3x − 1 by gradient descent, using nothing but TensorCore and Autograd.
let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 4 })
let y = x * 3 - 1
let w = Variable(Tensor.zeros([1, 1]), requiresGrad: true)
let b = Variable(Tensor.zeros([1]), requiresGrad: true)
for _ in 0..<500 {
    let error = Variable(x).matmul(w) + b - Variable(y)
    let loss = (error * error).mean()
    w.zeroGrad(); b.zeroGrad()
    loss.backward()
    w.value -= 0.1 * w.grad!
    b.value -= 0.1 * b.grad!
}
let (slope, intercept) = (w.value.item, b.value.item)
print("fitted y = \(slope)·x + \(intercept)")
guard abs(slope - 3) < 1e-2, abs(intercept + 1) < 1e-2 else { fatalError("example did not converge") }
