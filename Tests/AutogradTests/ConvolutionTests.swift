import Foundation
import Testing
import TensorCore
@testable import Autograd

/// `conv2d` and `maxPool2d` against PyTorch (float64 figures from `F.conv2d` /
/// `F.max_pool2d` on the same inputs) and against finite differences.
@Suite("Convolution and pooling")
struct ConvolutionTests {
    /// `sin(scale · (i + 1))` for i = 0, 1, … in row-major order: inputs both sides can build.
    static func seq(_ shape: [Int], _ scale: Double) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { Float(sin(scale * Double($0 + 1))) })
    }
    static func close(_ a: Float, _ b: Double, _ tolerance: Double = 1e-4) -> Bool { abs(Double(a) - b) <= tolerance * max(1, abs(b)) }
    static func dot(_ a: Tensor, _ b: Tensor) -> Float { zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 } }

    /// PyTorch: output sum, Σ y², y.flatten()[7], Σ x.grad·seq(0.11), Σ w.grad·seq(0.13), b.grad
    /// for the loss Σ y·seq(0.37).
    @Test("conv2d matches PyTorch, values and gradients", arguments: [
        (1, 1, [2, 3, 5, 5], [0.36022908762503647, 2651.9055264026774, 3.9077139176882083, 1.7202200626079047, 12.300032815677639],
         [0.459855311124, -0.934393543356, 1.380461128496]),
        (2, 0, [2, 3, 2, 2], [5.855310556832588, 641.3810454665777, -3.9243099385327445, -0.4447711770630791, 5.860625512581781],
         [0.015101951349, 4.415269183396, 0.785577307262]),
    ])
    func conv2dMatchesPyTorch(stride: Int, padding: Int, shape: [Int], figures: [Double], biasGrad: [Double]) {
        let x = Variable(Self.seq([2, 2, 5, 5], 0.7), requiresGrad: true), w = Variable(Self.seq([3, 2, 3, 3], 1.3), requiresGrad: true)
        let b = Variable(Self.seq([3], 2.1), requiresGrad: true)
        let y = Variable.conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
        #expect(y.shape == shape)
        (y * Variable(Self.seq(shape, 0.37))).sum().backward()
        let measured = [y.value.scalars.reduce(0, +), Self.dot(y.value, y.value), y.value.scalars[7],
                        Self.dot(x.grad!, Self.seq([2, 2, 5, 5], 0.11)), Self.dot(w.grad!, Self.seq([3, 2, 3, 3], 0.13))]
        #expect(zip(measured, figures).allSatisfy { Self.close($0, $1) }, "\(measured) vs \(figures)")
        #expect(zip(b.grad!.scalars, biasGrad).allSatisfy { Self.close($0, $1) })
    }

    @Test("max_pool2d matches PyTorch")
    func maxPoolMatchesPyTorch() {
        let x = Variable(Self.seq([2, 3, 5, 5], 0.9), requiresGrad: true)
        let y = x.maxPool2d(kernel: 2)
        #expect(y.shape == [2, 3, 2, 2])
        (y * Variable(Self.seq([2, 3, 2, 2], 0.41))).sum().backward()
        #expect(Self.close(y.value.scalars.reduce(0, +), 17.17764878156874))
        #expect(Self.close(Self.dot(x.grad!, Self.seq([2, 3, 5, 5], 0.11)), -0.5493756152585711))
    }

    @Test("conv2d and max_pool2d gradients match finite differences")
    func gradients() {
        let x = GradientTests.sample([2, 2, 6, 6], seed: 21), w = GradientTests.sample([3, 2, 3, 3], seed: 22)
        let b = GradientTests.sample([3], seed: 23)
        for (stride, padding) in [(1, 0), (1, 1), (2, 1)] {
            // Linear in each input, so a wide step has no truncation error and less rounding noise.
            let report = gradcheck([x, w, b], eps: 1e-2) { Variable.conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding) }
            #expect(report.passed, "\(report)")
        }
        // Distinct values keep every window's maximum clear of ties.
        let distinct = Tensor(shape: [1, 2, 4, 4], scalars: (0..<32).map { Float(($0 * 7) % 32) * 0.25 - 4 })
        let pool = gradcheck([distinct]) { $0[0].maxPool2d(kernel: 2) }
        #expect(pool.passed, "\(pool)")
    }
}
