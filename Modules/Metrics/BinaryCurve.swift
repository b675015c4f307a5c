/// A curve of a binary classifier over every decision threshold: the ROC curve
/// (x = false-positive rate, y = true-positive rate) or the precision–recall curve
/// (x = recall, y = precision).
///
/// Built exactly as sklearn's `roc_curve(drop_intermediate=False)` and
/// `precision_recall_curve`: one point per distinct score, taken as the threshold
/// (a sample is predicted positive when its score is **at or above** it), so tied
/// scores enter the curve together. Points are in order of decreasing threshold, so
/// `x` never decreases; the first point has the threshold `+∞` (nothing predicted
/// positive): `(0, 0)` on the ROC curve, `(0, 1)` on the precision–recall curve (where
/// sklearn lists the same points in the reverse order).
public struct BinaryCurve: Sendable, Equatable {
    /// One point of the curve and the threshold that gives it.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        /// The score at or above which samples are predicted positive (`+∞` for the first point).
        public var threshold: Double

        public init(x: Double, y: Double, threshold: Double) {
            self.x = x
            self.y = y
            self.threshold = threshold
        }
    }

    /// The points, `x` non-decreasing.
    public var points: [Point]

    public init(points: [Point]) {
        self.points = points
    }

    /// The ROC curve of `scores` (any scale: logits or probabilities) for `labels`;
    /// nil when the labels hold only one class or none (a rate would divide by zero).
    /// - Precondition: `scores.count == labels.count`.
    public static func roc(scores: [Float], labels: [Bool]) -> BinaryCurve? {
        roc(thresholdCounts(scores: scores, labels: labels))
    }

    /// The precision–recall curve of `scores` for `labels`, recall increasing from `(0, 1)`;
    /// nil without a positive label (recall would divide by zero; sklearn warns and sets it to 1).
    /// With positives only, precision is 1 everywhere.
    /// - Precondition: `scores.count == labels.count`.
    public static func precisionRecall(scores: [Float], labels: [Bool]) -> BinaryCurve? {
        precisionRecall(thresholdCounts(scores: scores, labels: labels))
    }

    /// Both curves, from one sort of the scores: ``roc(scores:labels:)`` and
    /// ``precisionRecall(scores:labels:)``.
    public static func curves(scores: [Float], labels: [Bool]) -> (roc: BinaryCurve?, precisionRecall: BinaryCurve?) {
        let counts = thresholdCounts(scores: scores, labels: labels)
        return (roc(counts), precisionRecall(counts))
    }

    private static func roc(_ counts: [ThresholdCount]) -> BinaryCurve? {
        guard let total = counts.last, total.truePositives > 0, total.falsePositives > 0 else { return nil }
        let positives = Double(total.truePositives), negatives = Double(total.falsePositives)
        return BinaryCurve(points: [Point(x: 0, y: 0, threshold: .infinity)] + counts.map {
            Point(x: Double($0.falsePositives) / negatives, y: Double($0.truePositives) / positives, threshold: Double($0.threshold))
        })
    }

    private static func precisionRecall(_ counts: [ThresholdCount]) -> BinaryCurve? {
        guard let total = counts.last, total.truePositives > 0 else { return nil }
        let positives = Double(total.truePositives)
        return BinaryCurve(points: [Point(x: 0, y: 1, threshold: .infinity)] + counts.map {
            Point(x: Double($0.truePositives) / positives,
                  y: Double($0.truePositives) / Double($0.truePositives + $0.falsePositives), threshold: Double($0.threshold))
        })
    }

    /// The positives predicted at or above one threshold.
    typealias ThresholdCount = (threshold: Float, truePositives: Int, falsePositives: Int)

    /// Cumulative true and false positives when predicting positive at or above each distinct
    /// score, highest score first (sklearn's `_binary_clf_curve`). `O(N log N)`.
    static func thresholdCounts(scores: [Float], labels: [Bool]) -> [ThresholdCount] {
        precondition(scores.count == labels.count, "\(scores.count) scores but \(labels.count) labels")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var counts: [ThresholdCount] = []
        var truePositives = 0, falsePositives = 0
        for (position, index) in order.enumerated() {
            if labels[index] { truePositives += 1 } else { falsePositives += 1 }
            let next = position + 1
            if next == order.count || scores[order[next]] != scores[index] {
                counts.append((scores[index], truePositives, falsePositives))
            }
        }
        return counts
    }

    /// The area under the straight lines joining the points (sklearn's `auc`): the AUROC for
    /// the ROC curve (equal to ``BinaryMetrics/auroc``).
    public var trapezoidArea: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + ($1.1.x - $1.0.x) * ($1.1.y + $1.0.y) / 2 }
    }

    /// `Σ (xₖ − xₖ₋₁) · yₖ`, each step taking the height of its right end: for the
    /// precision–recall curve, the average precision (sklearn's `average_precision_score`).
    public var stepArea: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + ($1.1.x - $1.0.x) * $1.1.y }
    }

    /// At most `limit` of the points that keep the curve's shape (for transport and drawing):
    /// the points nearest to `limit` positions evenly spaced along the curve's length
    /// (`|Δx| + |Δy|` summed from the start, so vertical runs count as much as horizontal
    /// ones), always with the first and last point. The whole curve when it has at most `limit`.
    /// - Precondition: `limit ≥ 2`.
    public func reduced(to limit: Int) -> BinaryCurve {
        precondition(limit >= 2, "a reduced curve keeps at least its two ends, asked for \(limit) points")
        guard points.count > limit else { return self }
        var length = [0.0]
        length.reserveCapacity(points.count)
        for (a, b) in zip(points, points.dropFirst()) { length.append(length.last! + abs(b.x - a.x) + abs(b.y - a.y)) }
        let total = length.last!
        var kept: [Int] = []
        for step in 0..<limit {
            let target = total * Double(step) / Double(limit - 1)
            // First index at or past the target, or the one before it if nearer.
            var low = 0, high = length.count - 1
            while low < high {
                let middle = (low + high) / 2
                if length[middle] < target { low = middle + 1 } else { high = middle }
            }
            if low > 0 && target - length[low - 1] < length[low] - target { low -= 1 }
            if step == 0 { low = 0 } else if step == limit - 1 { low = points.count - 1 }
            if kept.last != low { kept.append(low) }
        }
        return BinaryCurve(points: kept.map { points[$0] })
    }
}
