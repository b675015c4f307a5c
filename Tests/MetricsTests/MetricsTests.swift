import Testing
import TensorCore
@testable import Metrics

private func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-6) -> Bool { abs(a - b) <= tolerance }

@Suite struct BinaryMetricsTests {
    /// p = [0.1, 0.4, 0.35, 0.8 | 0.7, 0.2, 0.9, 0.5], y = [0, 0, 1, 1 | 1, 0, 1, 1] in two batches.
    /// Predicted (p > 0.5): TP 3 (0.8, 0.7, 0.9), FN 2 (0.35, 0.5), FP 0, TN 3.
    /// AUROC: 14 of 15 positive/negative pairs ordered correctly (sklearn: 0.9333…).
    @Test func countsAndScoresOverBatches() {
        var metrics = BinaryMetrics()
        metrics.update(probabilities: Tensor([0.1, 0.4, 0.35, 0.8]), targets: Tensor([0, 0, 1, 1]))
        metrics.update(probabilities: Tensor(shape: [4, 1], scalars: [0.7, 0.2, 0.9, 0.5]), targets: Tensor([1, 0, 1, 1]))
        #expect(metrics.count == 8)
        #expect((metrics.truePositives, metrics.falsePositives, metrics.trueNegatives, metrics.falseNegatives) == (3, 0, 3, 2))
        #expect(close(metrics.accuracy, 0.75))
        #expect(close(metrics.precision, 1))
        #expect(close(metrics.recall, 0.6))
        #expect(close(metrics.f1, 0.75))
        #expect(close(metrics.auroc ?? -1, 14.0 / 15))
    }

    /// Tied scores count half: scores [0.2, 0.6, 0.6, 0.9], y [0, 0, 1, 1] → (1 + 0.5 + 2)/4.
    @Test func aurocAveragesTies() {
        var metrics = BinaryMetrics()
        metrics.update(probabilities: Tensor([0.2, 0.6, 0.6, 0.9]), targets: Tensor([0, 0, 1, 1]))
        #expect(close(metrics.auroc ?? -1, 0.875))
        var constant = BinaryMetrics()
        constant.update(probabilities: Tensor([0.5, 0.5, 0.5, 0.5]), targets: Tensor([0, 1, 0, 1]))
        #expect(close(constant.auroc ?? -1, 0.5))
    }

    @Test func logitsThresholdAtZeroAndUndefinedCases() {
        var metrics = BinaryMetrics()
        metrics.update(logits: Tensor([-2, 0, 3]), targets: Tensor([1, 1, 1]))
        #expect((metrics.truePositives, metrics.falseNegatives) == (1, 2))  // σ(0) = 0.5 is not > 0.5
        #expect(metrics.auroc == nil)  // one class only
        #expect(metrics.precision == 1)
        var none = BinaryMetrics(threshold: 0.9)
        none.update(probabilities: Tensor([0.8, 0.3]), targets: Tensor([0, 0]))
        #expect(none.precision == 0 && none.recall == 0 && none.f1 == 0 && none.accuracy == 1)
        #expect(BinaryMetrics().accuracy == 0)
        none.reset()
        #expect(none.count == 0 && none.threshold == 0.9)
    }
}

@Suite struct MulticlassMetricsTests {
    /// Six samples, four classes (class 3 never occurs): predictions by argmax
    /// 0, 1, 2, 1, 0 (tie → first), 2 against targets 0, 2, 1, 1, 1, 2.
    private func metrics() -> MulticlassMetrics {
        var metrics = MulticlassMetrics(classes: 4, topK: 2)
        metrics.update(logits: Tensor(rows: [[2, 1, 0, -10], [0.5, 2, 0.1, -10], [0, 0, 1, -10]]),
                       targets: IndexTensor([0, 2, 1]))
        metrics.update(logits: Tensor(rows: [[1, 3, 2, -10], [3, 3, 0, -10], [0, 1, 5, -10]]),
                       targets: IndexTensor([1, 1, 2]))
        return metrics
    }

    @Test func confusionMatrixRowsAreTrueClasses() {
        #expect(metrics().confusionMatrix == [[1, 0, 0, 0], [1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]])
    }

    @Test func accuracyAndTopK() {
        let m = metrics()
        #expect(close(m.accuracy, 0.5))
        // Top-2 misses: row 1 (target ranked 3rd), row 2 (tied with class 0, which sorts first).
        #expect(close(m.topKAccuracy, 4.0 / 6))
        var top1 = MulticlassMetrics(classes: 3, topK: 1)
        top1.update(logits: Tensor(rows: [[3, 3, 0], [0, 0, 1]]), targets: IndexTensor([1, 2]))
        #expect(top1.topKAccuracy == top1.accuracy && close(top1.accuracy, 0.5))
    }

    /// Per class: recall 1, 1/3, 1/2, 0; precision 1/2 each (class 3: 0);
    /// F1 2/3, 2/5, 1/2, 0. sklearn's macro F1 skips class 3 (absent): 0.52222.
    @Test func perClassAndMacro() {
        let m = metrics()
        for (a, e) in zip(m.recall, [1, 1.0 / 3, 0.5, 0] as [Float]) { #expect(close(a, e)) }
        for (a, e) in zip(m.precision, [0.5, 0.5, 0.5, 0] as [Float]) { #expect(close(a, e)) }
        for (a, e) in zip(m.f1, [2.0 / 3, 0.4, 0.5, 0] as [Float]) { #expect(close(a, e)) }
        #expect(close(m.macroF1, (2.0 / 3 + 0.4 + 0.5) / 3))
        #expect(close(m.macroF1AllClasses, (2.0 / 3 + 0.4 + 0.5) / 4))
    }
}

@Suite struct MultilabelMetricsTests {
    /// p = [[.9, .2, .6], [.1, .8, .4], [.7, .7, .2], [.3, .1, .9]] → predictions
    /// [[1,0,1], [0,1,0], [1,1,0], [0,0,1]] against [[1,0,1], [0,1,1], [1,0,0], [0,0,0]]:
    /// one exact row, 9 of 12 labels right; F1 per label 1, 2/3, 1/2.
    @Test func subsetHammingAndMacroF1() {
        var metrics = MultilabelMetrics(labels: 3)
        metrics.update(probabilities: Tensor(rows: [[0.9, 0.2, 0.6], [0.1, 0.8, 0.4]]),
                       targets: Tensor(rows: [[1, 0, 1], [0, 1, 1]]))
        metrics.update(probabilities: Tensor(rows: [[0.7, 0.7, 0.2], [0.3, 0.1, 0.9]]),
                       targets: Tensor(rows: [[1, 0, 0], [0, 0, 0]]))
        #expect(close(metrics.subsetAccuracy, 0.25))
        #expect(close(metrics.hammingAccuracy, 0.75))
        for (a, e) in zip(metrics.f1, [1, 2.0 / 3, 0.5] as [Float]) { #expect(close(a, e)) }
        #expect(close(metrics.macroF1, (1 + 2.0 / 3 + 0.5) / 3))
    }

    @Test func logitsAndAbsentLabel() {
        var metrics = MultilabelMetrics(labels: 2)
        metrics.update(logits: Tensor(rows: [[2, -1], [-3, -2]]), targets: Tensor(rows: [[1, 0], [0, 0]]))
        #expect(metrics.subsetAccuracy == 1 && metrics.hammingAccuracy == 1)
        #expect(metrics.f1 == [1, 0] && close(metrics.macroF1, 0.5))  // label 1 never on: F1 0 (zero_division=0)
    }
}

@Suite struct RunningAverageTests {
    @Test func weightsByBatchSize() {
        var loss = RunningAverage()
        #expect(loss.mean == 0)
        loss.update(2.0, count: 4)
        loss.update(1.0, count: 1)
        #expect(loss.count == 5 && close(loss.mean, 1.8))
        loss.reset()
        #expect(loss == RunningAverage())
    }
}
