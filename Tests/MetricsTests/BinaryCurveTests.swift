import Testing
import TensorCore
@testable import Metrics

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

private func coordinates(_ curve: BinaryCurve?) -> [[Double]] {
    curve?.points.map { [$0.x, $0.y] } ?? []
}

private func metrics(_ scores: [Float], _ labels: [Float]) -> BinaryMetrics {
    var metrics = BinaryMetrics()
    metrics.update(probabilities: Tensor(scores), targets: Tensor(labels))
    return metrics
}

/// Scores with many ties (multiples of 0.05) and labels correlated with them, from a fixed LCG.
private func tiedSample(count: Int) -> (scores: [Float], labels: [Float]) {
    var state: UInt64 = 12345
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var scores: [Float] = [], labels: [Float] = []
    for _ in 0..<count {
        let positive = next() < 0.4
        scores.append(Float((min(1, max(0, next() * 0.7 + (positive ? 0.3 : 0))) * 20).rounded() / 20))
        labels.append(positive ? 1 : 0)
    }
    return (scores, labels)
}

@Suite struct BinaryCurveTests {
    /// sklearn's example: y [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] →
    /// fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1];
    /// precision_recall_curve reversed: (0, 1), (.5, 1), (.5, .5), (1, 2/3), (1, .5); AP 5/6.
    @Test func sklearnExample() {
        let m = metrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
        #expect(coordinates(m.rocCurve) == [[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]])
        #expect(m.rocCurve?.points.map(\.threshold) == [.infinity, 0.8, 0.4, 0.35, 0.1].map { Double(Float($0)) })
        #expect(coordinates(m.precisionRecallCurve) == [[0, 1], [0.5, 1], [0.5, 0.5], [1, 2.0 / 3], [1, 0.5]])
        #expect(close(m.rocCurve?.trapezoidArea ?? -1, 0.75))
        #expect(abs(Double(m.averagePrecision ?? -1) - 5.0 / 6) < 1e-6)
    }

    /// Tied scores are one threshold: scores [0.5, 0.5, 0.2, 0.9], y [1, 0, 0, 1] →
    /// ROC (0,0), (0,.5), (.5,1), (1,1) — the tie is one diagonal step — area 0.875 = AUROC.
    @Test func tiesMoveTogether() {
        let m = metrics([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])
        #expect(coordinates(m.rocCurve) == [[0, 0], [0, 0.5], [0.5, 1], [1, 1]])
        #expect(coordinates(m.precisionRecallCurve) == [[0, 1], [0.5, 1], [1, 2.0 / 3], [1, 0.5]])
        #expect(close(m.rocCurve?.trapezoidArea ?? -1, 0.875))
        #expect(m.auroc == 0.875)
        let constant = metrics([0.3, 0.3, 0.3], [1, 0, 1])
        #expect(coordinates(constant.rocCurve) == [[0, 0], [1, 1]])
        #expect(coordinates(constant.precisionRecallCurve) == [[0, 1], [1, 2.0 / 3]])
        // Both curves from one sort: the same as each alone.
        let both = m.curves
        #expect(both.roc == m.rocCurve && both.precisionRecall == m.precisionRecallCurve)
    }

    /// One class: the ROC curve is undefined (nil, as the AUROC); with positives only the
    /// precision–recall curve is precision 1 at every recall (AP 1); without positives it is nil.
    @Test func oneClassEdgeCases() {
        let positives = metrics([0.9, 0.2, 0.2, 0.6], [1, 1, 1, 1])
        #expect(positives.rocCurve == nil && positives.auroc == nil)
        #expect(coordinates(positives.precisionRecallCurve) == [[0, 1], [0.25, 1], [0.5, 1], [1, 1]])
        #expect(positives.averagePrecision == 1)
        let negatives = metrics([0.9, 0.2], [0, 0])
        #expect(negatives.rocCurve == nil && negatives.precisionRecallCurve == nil && negatives.averagePrecision == nil)
        #expect(BinaryMetrics().rocCurve == nil && BinaryMetrics().precisionRecallCurve == nil)
    }

    /// The rank-based AUROC equals the trapezoid area of the full ROC curve, ties included.
    @Test func aurocIsTheTrapezoidArea() throws {
        let sample = tiedSample(count: 600)
        let m = metrics(sample.scores, sample.labels)
        let curve = try #require(m.rocCurve)
        #expect(curve.points.count <= 22)  // 21 distinct scores at most, plus the origin
        let auroc = Double(try #require(m.auroc))
        #expect(abs(curve.trapezoidArea - auroc) < 1e-6)
        #expect(auroc > 0.6 && auroc < 0.95)
    }

    /// A long curve reduced to 64 points keeps its ends, a subset of its points in order, and its area.
    @Test func reductionKeepsTheShape() throws {
        let count = 2000
        var state: UInt64 = 99
        var scores: [Float] = [], labels: [Float] = []
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(state >> 40) / Float(1 << 24)
            let positive = index % 3 == 0
            scores.append(noise + (positive ? 0.5 : 0))
            labels.append(positive ? 1 : 0)
        }
        let full = try #require(metrics(scores, labels).rocCurve)
        #expect(full.points.count > 1000)
        let reduced = full.reduced(to: 64)
        #expect(reduced.points.count <= 64 && reduced.points.count >= 50)
        #expect(reduced.points.first == full.points.first && reduced.points.last == full.points.last)
        #expect(reduced.points.allSatisfy { full.points.contains($0) })
        #expect(zip(reduced.points, reduced.points.dropFirst()).allSatisfy { $0.threshold > $1.threshold })
        #expect(abs(reduced.trapezoidArea - full.trapezoidArea) < 0.01)
        #expect(full.reduced(to: full.points.count) == full)
    }

    /// The corner of a perfect classifier survives: points are spread along the curve's length,
    /// not only along x (where the vertical run at x = 0 would collapse to one point).
    @Test func reductionKeepsVerticalRuns() throws {
        let scores = (0..<200).map { Float($0) }
        let labels = (0..<200).map { $0 >= 100 ? Float(1) : 0 }
        let full = try #require(metrics(scores, labels).rocCurve)
        let reduced = full.reduced(to: 16)
        #expect(reduced.points.count == 16)
        #expect(reduced.points.filter { $0.x == 0 }.count >= 7)
        #expect(reduced.points.contains { $0.x <= 0.07 && $0.y >= 0.93 })
        #expect(abs(reduced.trapezoidArea - 1) < 0.01)
    }
}
