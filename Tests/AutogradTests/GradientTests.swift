import Testing
import TensorCore
@testable import Autograd

/// Finite-difference checks of every differentiable op's backward rule.
/// Inputs keep clear of kinks (0 for abs/relu, clamp bounds, ties) by more than
/// the finite-difference step.
@Suite("Gradients match finite differences")
struct GradientTests {
    static func sample(_ shape: [Int], seed: UInt64, low: Float = -2, high: Float = 2) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        // Keep |x| ≥ 0.1 so kinks at 0 are never straddled.
        return Tensor.uniform(shape, low: low, high: high, using: &rng).map { abs($0) < 0.1 ? $0 + 0.3 : $0 }
    }
    let a = sample([3, 4], seed: 1)
    let b = sample([3, 4], seed: 2)
    let row = sample([4], seed: 3)
    let col = sample([3, 1], seed: 4)
    let positive = sample([3, 4], seed: 5, low: 0.5, high: 3)

    func check(_ inputs: [Tensor], _ f: @escaping ([Variable]) -> Variable,
               sourceLocation: SourceLocation = #_sourceLocation) {
        let report = gradcheck(inputs, f)
        #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
    }

    @Test func binaryArithmeticWithBroadcasting() {
        check([a, b]) { $0[0] + $0[1] }
        check([a, row]) { $0[0] - $0[1] }
        check([col, row]) { $0[0] * $0[1] }            // both sides broadcast
        check([a, positive]) { $0[0] / $0[1] }
        check([Tensor(2.5), a]) { $0[0] * $0[1] }      // scalar operand
        check([Self.sample([2, 1, 4], seed: 9), Self.sample([3, 1], seed: 10)]) { $0[0] * $0[1] }  // leading 1s
    }

    @Test func scalarArithmetic() {
        check([a]) { -$0[0] }
        check([a]) { $0[0] + 3 }
        check([a]) { $0[0] - 3 }
        check([a]) { $0[0] * 3 }
        check([a]) { $0[0] / 3 }
        check([a]) { 3 - $0[0] }
        check([positive]) { 3 / $0[0] }
        check([positive]) { $0[0].pow(2.5) }
        check([a, b]) { Variable.maximum($0[0], $0[1]) }
    }

    @Test func matmulInEveryTransposeCombination() {
        let m = Self.sample([3, 5], seed: 11), n = Self.sample([5, 2], seed: 12)
        check([m, n]) { $0[0].matmul($0[1]) }
        check([m.transposed(), n]) { try! Variable.matmul($0[0], $0[1], transposeA: true) }
        check([m, n.transposed()]) { try! Variable.matmul($0[0], $0[1], transposeB: true) }
        check([m.transposed(), n.transposed()]) { try! Variable.matmul($0[0], $0[1], transposeA: true, transposeB: true) }
    }

    @Test func elementwiseFunctions() {
        check([a]) { $0[0].exp() }
        check([positive]) { $0[0].log() }
        check([positive]) { $0[0].log1p() }
        check([positive]) { $0[0].sqrt() }
        check([a]) { $0[0].abs() }
        check([a]) { $0[0].sigmoid() }
        check([a]) { $0[0].tanh() }
        check([a]) { $0[0].relu() }
        check([a]) { $0[0].leakyRelu(slope: 0.2) }
        check([a]) { $0[0].softplus() }
        check([a]) { $0[0].logSigmoid() }
        check([a]) { $0[0].gelu() }
        check([a]) { $0[0].clamped(min: -1.05, max: 0.95) }
        check([a, b]) { Variable.where(Tensor([1, 0, 1, 0]), $0[0], $0[1]) }
    }

    @Test func reductions() {
        check([a]) { $0[0].sum() }
        check([a]) { $0[0].mean() }
        check([a]) { $0[0].sum(axes: [0]) }
        check([a]) { $0[0].sum(axes: [1], keepDims: true) }
        check([a]) { $0[0].mean(axes: [-1]) }
        check([Self.sample([2, 3, 4], seed: 13)]) { $0[0].mean(axes: [0, 2]) }
        check([a]) { $0[0].max(axis: 1) }
        check([a]) { $0[0].max(axis: 0, keepDims: true) }
        check([a]) { $0[0].logSumExp(axis: 1) }
        check([a]) { $0[0].logSumExp(axis: 0, keepDims: true) }
        check([a]) { $0[0].logSoftmax(axis: 1) }
        check([Self.sample([2, 3, 4], seed: 14)]) { $0[0].logSoftmax(axis: 1) }
        check([a]) { $0[0].softmax(axis: 0) }
    }

    @Test func shapeOps() {
        let cube = Self.sample([2, 3, 4], seed: 15)
        check([a]) { try! $0[0].reshaped([2, 6]) }
        check([cube]) { $0[0].flattened() }
        check([cube]) { $0[0].permuted([2, 0, 1]) }
        check([a]) { $0[0].transposed() }
        check([a]) { $0[0].rows(1..<3) }
        check([a, b]) { Variable.concatenate([$0[0], $0[1]], axis: 1) }
        check([a, row.reshaped(to: [1, 4])]) { Variable.concatenate([$0[0], $0[1]], axis: 0) }
        let picks = IndexTensor(shape: [3, 2], indices: [0, 3, 2, 2, 1, 0])   // repeats accumulate
        check([a]) { try! $0[0].gathering(axis: 1, indices: picks) }
    }

    @Test func composedExpression() {
        // A small MLP-shaped expression: logSoftmax(relu(x·W + b)·V).
        let x = Self.sample([4, 3], seed: 20), w = Self.sample([3, 5], seed: 21)
        let bias = Self.sample([5], seed: 22), v = Self.sample([5, 2], seed: 23)
        check([x, w, bias, v]) { p in (p[0].matmul(p[1]) + p[2]).tanh().matmul(p[3]).logSoftmax(axis: 1) }
    }

    @Test func fusedLinear() {
        // x·Wᵀ + b with W [out, in], with and without bias, and feeding a second layer
        // (so the input gradient g·W is exercised too), against the unfused ops.
        let x = Self.sample([4, 3], seed: 30), w = Self.sample([5, 3], seed: 31)
        let bias = Self.sample([5], seed: 32), w2 = Self.sample([2, 5], seed: 33)
        check([x, w, bias]) { p in Variable.linear(p[0], weight: p[1], bias: p[2]) }
        check([x, w]) { p in Variable.linear(p[0], weight: p[1], bias: nil) }
        check([x, w, bias, w2]) { p in
            Variable.linear(Variable.linear(p[0], weight: p[1], bias: p[2]).tanh(), weight: p[3], bias: nil)
        }
        let fused = Variable.linear(Variable(x), weight: Variable(w), bias: Variable(bias)).value
        let unfused = (Variable(x).matmul(Variable(w).transposed()) + Variable(bias)).value
        for (f, u) in zip(fused.scalars, unfused.scalars) { #expect(abs(f - u) <= 1e-5 * max(1, abs(u))) }
    }

    @Test func gradcheckCatchesAWrongRule() {
        // A deliberately wrong rule (missing the factor 2 of d(x²)/dx) must fail.
        let report = gradcheck([a]) { p in
            Variable(p[0].value * p[0].value, inputs: [p[0]], rules: [{ $0 * p[0].value }])
        }
        #expect(!report.passed)
    }
}
