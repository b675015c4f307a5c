import Autograd
import Testing
import TensorCore
@testable import Losses

/// Bad user input gives a typed one-line error, never a trap.
@Suite struct LossErrorTests {
    func message(_ body: () throws(LossError) -> Variable) -> String {
        do throws(LossError) { _ = try body(); return "" } catch { return error.description }
    }
    let x = Variable(Tensor(shape: [2, 3], scalars: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), requiresGrad: true)

    @Test func probabilitiesOutsideTheUnitInterval() {
        let m = message { () throws(LossError) in try bceLoss(Variable(Tensor([1.5, 0.2])), Tensor([1, 0])) }
        #expect(m.contains("between 0 and 1") && m.contains("1.5"))
        #expect(message { () throws(LossError) in try bceLoss(x, x.value + 2) }.contains("between 0 and 1"))
    }

    @Test func shapeMismatchNamesBothShapes() {
        let m = message { () throws(LossError) in try bceLoss(x, Tensor.zeros([3, 2])) }
        #expect(m.contains("[2, 3]") && m.contains("[3, 2]"))
        #expect(message { () throws(LossError) in try mseLoss(x, Tensor.zeros([2])) }.contains("[2]"))
        #expect(message { () throws(LossError) in try crossEntropyLoss(x, .classes(IndexTensor([0]))) }.contains("[1]"))
        #expect(message { () throws(LossError) in try crossEntropyLoss(x, .values(Tensor.zeros([2, 4]))) }.contains("[2, 4]"))
        #expect(message { () throws(LossError) in try crossEntropyLoss(Variable(Tensor(1)), .classes(IndexTensor([0]))) }.contains("(N, C)"))
    }

    @Test func classIndexOutOfRangeNamesIndexAndClassCount() {
        let m = message { () throws(LossError) in try crossEntropyLoss(x, .classes(IndexTensor([0, 3]))) }
        #expect(m.contains("3") && m.contains("3 classes"))
        #expect(message { () throws(LossError) in try nllLoss(x, .classes(IndexTensor([-1, 0]))) }.contains("-1"))
        #expect(message { () throws(LossError) in try multiMarginLoss(x, .classes(IndexTensor([0, 7]))) }.contains("7"))
        // ignore_index itself is fine, also when non-negative.
        #expect(message { () throws(LossError) in try crossEntropyLoss(x, .classes(IndexTensor([0, 2])), ignoreIndex: 2) } == "")
    }

    @Test func wrongTargetKind() {
        #expect(message { () throws(LossError) in try nllLoss(x, .values(Tensor([0, 1]))) }.contains("class indices"))
        #expect(message { () throws(LossError) in try multiMarginLoss(x, .values(Tensor([0, 1]))) }.contains("class indices"))
        let registry = LossRegistry.standard
        let labels = LossTarget.classes(IndexTensor(shape: [2, 3], indices: [0, 1, 1, 0, 1, 0]))
        for name in ["bce", "bce_with_logits", "huber", "kl_div", "sigmoid_focal"] {
            #expect(message { () throws(LossError) in try registry.make(name: name)(x, labels) }.contains("float values"))
        }
        // Where PyTorch type-promotes integer targets, so do we.
        for name in ["mse", "l1", "smooth_l1", "poisson_nll", "soft_margin", "multilabel_soft_margin", "hinge_embedding"] {
            #expect(message { () throws(LossError) in try registry.make(name: name)(x, labels) } == "")
        }
    }

    @Test func weightsAreChecked() {
        let negative = message { () throws(LossError) in try crossEntropyLoss(x, .classes(IndexTensor([0, 1])), weight: Tensor([1, -1, 1])) }
        #expect(negative.contains("non-negative") && negative.contains("-1"))
        #expect(message { () throws(LossError) in try bceWithLogitsLoss(x, x.value, posWeight: Tensor([-2])) }.contains("pos_weight"))
        let length = message { () throws(LossError) in try crossEntropyLoss(x, .classes(IndexTensor([0, 1])), weight: Tensor([1, 1])) }
        #expect(length.contains("3 classes"))
        #expect(message { () throws(LossError) in try bceLoss(x, x.value, weight: Tensor([1, 1])) }.contains("[2]"))
    }

    @Test func badValuesInTheFunctionalForm() {
        #expect(message { () throws(LossError) in try mseLoss(x, x.value, reduction: .batchmean) }.contains("batchmean"))
        #expect(message { () throws(LossError) in try huberLoss(x, x.value, delta: 0) }.contains("delta"))
        #expect(message { () throws(LossError) in try smoothL1Loss(x, x.value, beta: -1) }.contains("beta"))
        #expect(message { () throws(LossError) in try multiMarginLoss(x, .classes(IndexTensor([0, 1])), p: 3) }.contains("1 or 2"))
        let probabilities = x.value.softmax(axis: 1)
        #expect(message { () throws(LossError) in try crossEntropyLoss(x, .values(probabilities), ignoreIndex: 1) }.contains("ignore_index"))
    }

    @Test func allIgnoredMeanIsNaNWithZeroGradient() throws {
        let v = Variable(x.value, requiresGrad: true)
        let loss = try crossEntropyLoss(v, .classes(IndexTensor([-100, -100])), labelSmoothing: 0.1)
        loss.backward()
        #expect(loss.value.item.isNaN)
        #expect(v.grad == Tensor.zeros([2, 3]))
    }

    @Test func emptyBatchesDoNotTrap() throws {
        let empty = Variable(Tensor.zeros([0, 3]), requiresGrad: true)
        #expect(try crossEntropyLoss(empty, .classes(IndexTensor(shape: [0], indices: [])), reduction: .sum).value.item == 0)
        #expect(try mseLoss(empty, Tensor.zeros([0, 3]), reduction: .sum).value.item == 0)
    }
}
