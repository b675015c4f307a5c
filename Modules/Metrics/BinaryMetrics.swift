import TensorCore

/// `a / b`, or 0 when `b` is 0 (sklearn's `zero_division=0`).
@inline(__always)
func ratio(_ a: Int, _ b: Int) -> Float { b == 0 ? 0 : Float(Double(a) / Double(b)) }

/// F1 from counts, `2·TP / (2·TP + FP + FN)`, 0 when undefined.
@inline(__always)
func f1Score(tp: Int, fp: Int, fn: Int) -> Float { ratio(2 * tp, 2 * tp + fp + fn) }

/// Binary classification metrics accumulated over batches.
///
/// Feed each batch with `update(logits:targets:)` (scores `[N]` or `[N, 1]`,
/// passed through a sigmoid) or `update(probabilities:targets:)`, with
/// targets of the same count holding 0 or 1. A sample is predicted positive
/// when its probability is **greater than** `threshold` (default 0.5, i.e.
/// logit > 0), the torchmetrics/Keras convention.
///
/// - `accuracy = (TP + TN) / N`
/// - `precision = TP / (TP + FP)`, `recall = TP / (TP + FN)`,
///   `f1 = 2·TP / (2·TP + FP + FN)` — each 0 when its denominator is 0
///   (sklearn's `zero_division=0`); all are 0 before any sample.
/// - `auroc`: area under the ROC curve, computed exactly from ranks
///   (Mann–Whitney U with tied scores given their average rank), equal to
///   sklearn's `roc_auc_score`; **nil** when the targets so far hold only one
///   class (undefined). It ranks the raw scores passed in (logits stay logits,
///   so saturated sigmoids do not create ties); don't mix logits and
///   probabilities in one accumulation. Scores are kept for it: O(N) memory.
/// - `rocCurve`, `precisionRecallCurve` (see ``BinaryCurve``) and `averagePrecision`:
///   exact, from the same kept scores (so merged shards give the curves of the whole set).
public struct BinaryMetrics: Sendable, Codable {
    public let threshold: Float
    public private(set) var truePositives = 0
    public private(set) var falsePositives = 0
    public private(set) var trueNegatives = 0
    public private(set) var falseNegatives = 0
    private var scores: [Float] = []
    private var labels: [Bool] = []
    private var scoresAreLogits: Bool?

    /// - Precondition: `0 ≤ threshold ≤ 1`.
    public init(threshold: Float = 0.5) {
        precondition(threshold >= 0 && threshold <= 1, "threshold must be a probability, got \(threshold)")
        self.threshold = threshold
    }

    /// Adds a batch of logits (`σ(logit)` is the probability).
    public mutating func update(logits: Tensor, targets: Tensor) {
        add(logits, targets, logits: true)
    }

    /// Adds a batch of probabilities in `[0, 1]`.
    public mutating func update(probabilities: Tensor, targets: Tensor) {
        add(probabilities, targets, logits: false)
    }

    /// Adds what `other` accumulated over other samples (e.g. another shard of a
    /// data-parallel evaluation): counts add and the scores kept for AUROC join, so
    /// the result is as if one accumulation saw both.
    /// - Precondition: the same threshold, and scores of the same kind (logits or probabilities).
    public mutating func merge(_ other: BinaryMetrics) {
        precondition(other.threshold == threshold, "merging metrics with threshold \(other.threshold) into \(threshold)")
        precondition(scoresAreLogits == nil || other.scoresAreLogits == nil || scoresAreLogits == other.scoresAreLogits,
                     "BinaryMetrics: do not mix logits and probabilities in one accumulation")
        scoresAreLogits = scoresAreLogits ?? other.scoresAreLogits
        truePositives += other.truePositives
        falsePositives += other.falsePositives
        trueNegatives += other.trueNegatives
        falseNegatives += other.falseNegatives
        scores += other.scores
        labels += other.labels
    }

    private mutating func add(_ scores: Tensor, _ targets: Tensor, logits: Bool) {
        precondition(scores.count == targets.count,
                     "\(scores.count) scores (shape \(scores.shape)) but \(targets.count) targets (shape \(targets.shape))")
        precondition(scoresAreLogits == nil || scoresAreLogits == logits,
                     "BinaryMetrics: do not mix logits and probabilities in one accumulation")
        scoresAreLogits = logits
        for (score, target) in zip(scores.scalars, targets.scalars) {
            precondition(target == 0 || target == 1, "binary targets must be 0 or 1, got \(target)")
            let positive = target == 1
            let predicted = (logits ? Scalar.sigmoid(score) : score) > threshold
            switch (predicted, positive) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
            self.scores.append(score)
            labels.append(positive)
        }
    }

    /// Samples seen.
    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var accuracy: Float { ratio(truePositives + trueNegatives, count) }
    public var precision: Float { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Float { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Float { f1Score(tp: truePositives, fp: falsePositives, fn: falseNegatives) }

    /// `(R₊ − n₊(n₊ + 1)/2) / (n₊·n₋)`, with `R₊` the sum of the positives'
    /// 1-based ranks among all scores (ties averaged); nil with one class.
    public var auroc: Float? {
        let positives = labels.count { $0 }, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for k in start...end where labels[order[k]] { rankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives)
        return Float((rankSum - p * (p + 1) / 2) / (p * Double(negatives)))
    }

    /// The ROC curve over every distinct score; nil with one class (as ``auroc``).
    public var rocCurve: BinaryCurve? { BinaryCurve.roc(scores: scores, labels: labels) }

    /// The precision–recall curve over every distinct score; nil without a positive sample.
    public var precisionRecallCurve: BinaryCurve? { BinaryCurve.precisionRecall(scores: scores, labels: labels) }

    /// Both curves from one sort of the scores (what an evaluation reports).
    public var curves: (roc: BinaryCurve?, precisionRecall: BinaryCurve?) { BinaryCurve.curves(scores: scores, labels: labels) }

    /// The average precision (sklearn's `average_precision_score`), the step area under
    /// ``precisionRecallCurve``; nil without a positive sample.
    public var averagePrecision: Float? { precisionRecallCurve.map { Float($0.stepArea) } }

    /// Forgets all samples.
    public mutating func reset() { self = BinaryMetrics(threshold: threshold) }
}
