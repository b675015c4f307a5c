import Foundation
import TensorCore
import Testing
@testable import Metrics

/// Accumulations over parts of the samples, merged, equal one accumulation over
/// all of them (what a data-parallel evaluation relies on), also after a JSON round trip.
@Suite("merging accumulations")
struct MergeTests {
    static let logits: [Float] = [2, -1, 0.5, 0.1, -3, 1.5, 0.2, -0.4, 3, -2, 0.7, 1.1]
    static let labels: [Float] = [1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1]

    @Test("binary: counts, AUROC and curves of merged parts equal the whole", arguments: [0, 1, 5, 12])
    func binary(split: Int) throws {
        var whole = BinaryMetrics(), first = BinaryMetrics(), second = BinaryMetrics()
        whole.update(logits: Tensor(Self.logits), targets: Tensor(Self.labels))
        if split > 0 { first.update(logits: Tensor(Array(Self.logits[..<split])), targets: Tensor(Array(Self.labels[..<split]))) }
        if split < 12 { second.update(logits: Tensor(Array(Self.logits[split...])), targets: Tensor(Array(Self.labels[split...]))) }
        let decoded = try JSONDecoder().decode(BinaryMetrics.self, from: JSONEncoder().encode(second))
        first.merge(decoded)
        #expect(first.count == 12 && first.truePositives == whole.truePositives && first.falseNegatives == whole.falseNegatives)
        #expect(first.auroc == whole.auroc && first.accuracy == whole.accuracy && first.f1 == whole.f1)
        #expect(first.rocCurve == whole.rocCurve && first.precisionRecallCurve == whole.precisionRecallCurve)
        #expect(first.rocCurve != nil && first.averagePrecision == whole.averagePrecision)
    }

    @Test("multiclass: confusion matrix and top-k of merged parts equal the whole")
    func multiclass() throws {
        let scores = Tensor(shape: [4, 3], scalars: [3, 1, 2, 0, 2, 1, 1, 1, 5, 2, 3, 1])
        let targets = IndexTensor([0, 2, 2, 0])
        var whole = MulticlassMetrics(classes: 3, topK: 2), first = MulticlassMetrics(classes: 3, topK: 2)
        var second = MulticlassMetrics(classes: 3, topK: 2)
        whole.update(logits: scores, targets: targets)
        first.update(logits: Tensor(shape: [1, 3], scalars: [3, 1, 2]), targets: IndexTensor([0]))
        second.update(logits: Tensor(shape: [3, 3], scalars: [0, 2, 1, 1, 1, 5, 2, 3, 1]), targets: IndexTensor([2, 2, 0]))
        first.merge(try JSONDecoder().decode(MulticlassMetrics.self, from: JSONEncoder().encode(second)))
        #expect(first.confusionMatrix == whole.confusionMatrix)
        #expect(first.count == 4 && first.topKAccuracy == whole.topKAccuracy && first.macroF1 == whole.macroF1)
    }

    @Test("running average: merged sums and counts")
    func average() {
        var a = RunningAverage(), b = RunningAverage()
        a.update(2, count: 3)
        b.update(4, count: 1)
        a.merge(b)
        #expect(a.count == 4 && a.mean == 2.5)
    }
}
