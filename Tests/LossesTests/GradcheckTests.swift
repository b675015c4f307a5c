import Autograd
import Testing
import TensorCore
@testable import Losses

/// Finite-difference checks of every loss's fused backward rule, for each
/// reduction and with weights, on small inputs (the rules are hand-written,
/// so each gets checked against the forward it claims to differentiate).
@Suite struct GradcheckTests {
    static let reductions: [LossReduction] = [.none, .mean, .sum]

    /// Random tensors of one seed, so every test sees fixed points.
    struct Inputs {
        var rng = SeededGenerator(seed: 11)
        mutating func uniform(_ shape: [Int], _ low: Float = -2, _ high: Float = 2) -> Tensor {
            Tensor.uniform(shape, low: low, high: high, using: &rng)
        }
        mutating func binary(_ shape: [Int]) -> Tensor { uniform(shape, 0, 1).map { $0 > 0.5 ? 1 : 0 } }
        mutating func signs(_ shape: [Int]) -> Tensor { uniform(shape, -1, 1).map { $0 > 0 ? 1 : -1 } }
        mutating func classes(_ shape: [Int], _ count: Int) -> IndexTensor {
            IndexTensor(shape: shape, indices: (0..<Shape.count(shape)).map { _ in rng.nextIndex(below: count) })
        }
    }

    /// Checks `loss` at `input` for every reduction.
    func check(_ input: Tensor, reductions: [LossReduction] = reductions,
               _ loss: (Variable, LossReduction) throws(LossError) -> Variable) {
        for reduction in reductions {
            let report = gradcheck([input]) { v in try! loss(v[0], reduction) }
            #expect(report.passed, "\(reduction): \(report)")
        }
    }

    @Test func binaryLosses() {
        var r = Inputs()
        let p = r.uniform([3, 4], 0.1, 0.9), y = r.uniform([3, 4], 0, 1), w = r.uniform([4], 0.2, 1.5)
        check(p) { x, red throws(LossError) in try bceLoss(x, y, weight: w, reduction: red) }
        let logits = r.uniform([3, 4], -3, 3), pw = r.uniform([4], 0.5, 3), rowW = r.uniform([3, 1], 0.2, 1)
        check(logits) { x, red throws(LossError) in try bceWithLogitsLoss(x, y, reduction: red) }
        check(logits) { x, red throws(LossError) in try bceWithLogitsLoss(x, y, weight: rowW, posWeight: pw, reduction: red) }
        let labels = r.binary([3, 4])
        check(logits) { x, red throws(LossError) in try sigmoidFocalLoss(x, labels, reduction: red) }
        check(logits) { x, red throws(LossError) in try sigmoidFocalLoss(x, labels, alpha: -1, gamma: 1.5, reduction: red) }
    }

    @Test func classLosses() {
        var r = Inputs()
        let x = r.uniform([4, 5]), y = r.classes([4], 5), w = r.uniform([5], 0.2, 2)
        let ignored = IndexTensor([1, -100, 4, 0])
        check(x) { v, red throws(LossError) in try crossEntropyLoss(v, .classes(y), reduction: red) }
        check(x) { v, red throws(LossError) in
            try crossEntropyLoss(v, .classes(ignored), weight: w, labelSmoothing: 0.2, reduction: red)
        }
        let probabilities = r.uniform([4, 5], 0, 1).softmax(axis: 1)
        check(x) { v, red throws(LossError) in
            try crossEntropyLoss(v, .values(probabilities), weight: w, labelSmoothing: 0.1, reduction: red)
        }
        let spatial = r.uniform([2, 3, 2, 2]), spatialTarget = r.classes([2, 2, 2], 3)
        check(spatial) { v, red throws(LossError) in
            try crossEntropyLoss(v, .classes(spatialTarget), weight: Tensor([0.5, 1, 2]), reduction: red)
        }
        check(r.uniform([5])) { v, red throws(LossError) in try crossEntropyLoss(v, .classes(IndexTensor(shape: [], indices: [3])), reduction: red) }
        check(x) { v, red throws(LossError) in try nllLoss(v, .classes(ignored), weight: w, reduction: red) }
    }

    @Test func regressionLosses() {
        var r = Inputs()
        let x = r.uniform([3, 4]), y = r.uniform([3, 4]), row = r.uniform([4])
        check(x) { v, red throws(LossError) in try mseLoss(v, y, reduction: red) }
        check(x) { v, red throws(LossError) in try mseLoss(v, row, reduction: red) }
        check(x) { v, red throws(LossError) in try l1Loss(v, y, reduction: red) }
        check(x) { v, red throws(LossError) in try smoothL1Loss(v, y, beta: 0.7, reduction: red) }
        check(x) { v, red throws(LossError) in try huberLoss(v, y, delta: 0.6, reduction: red) }
        // The input broadcast up to the target: the gradient is summed back.
        check(r.uniform([4])) { v, red throws(LossError) in try mseLoss(v, y, reduction: red) }
    }

    @Test func marginLosses() {
        var r = Inputs()
        let x = r.uniform([3, 4]), s = r.signs([3, 4]), labels = r.binary([3, 4])
        check(x) { v, red throws(LossError) in try softMarginLoss(v, s, reduction: red) }
        check(x) { v, red throws(LossError) in
            try multilabelSoftMarginLoss(v, labels, weight: Tensor([0.5, 1, 1.5, 2]), reduction: red)
        }
        check(x) { v, red throws(LossError) in try hingeEmbeddingLoss(v, s, margin: 0.9, reduction: red) }
        let y = r.classes([3], 4)
        for p in [1, 2] {
            check(x * 0.3) { v, red throws(LossError) in
                try multiMarginLoss(v, .classes(y), p: p, margin: 0.8, weight: Tensor([1, 0.5, 2, 1]), reduction: red)
            }
        }
    }

    @Test func divergences() {
        var r = Inputs()
        let logq = r.uniform([3, 4]).logSoftmax(axis: 1), p = r.uniform([3, 4]).softmax(axis: 1)
        check(logq, reductions: Self.reductions + [.batchmean]) { v, red throws(LossError) in try klDivLoss(v, p, reduction: red) }
        check(logq) { v, red throws(LossError) in try klDivLoss(v, p.log(), logTarget: true, reduction: red) }
        let counts = r.uniform([3, 4], 0, 4).map { $0.rounded() }
        check(r.uniform([3, 4], -1, 1)) { v, red throws(LossError) in try poissonNLLLoss(v, counts, full: true, reduction: red) }
        check(r.uniform([3, 4], 0.5, 3)) { v, red throws(LossError) in
            try poissonNLLLoss(v, counts, logInput: false, reduction: red)
        }
    }

    @Test func nonUnitSeedScalesTheSavedDerivative() throws {
        let x = Variable(Tensor(shape: [2, 3], scalars: [1, 2, 3, 3, 2, 1]), requiresGrad: true)
        let loss = try crossEntropyLoss(x, .classes(IndexTensor([0, 2])))
        loss.backward(seed: Tensor(3))
        let reference = Variable(x.value, requiresGrad: true)
        try (crossEntropyLoss(reference, .classes(IndexTensor([0, 2]))) * 3).backward()
        #expect(x.grad!.isClose(to: reference.grad!))
    }
}
