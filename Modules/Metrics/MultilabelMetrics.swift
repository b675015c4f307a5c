import TensorCore

/// Multilabel metrics accumulated over batches: each of `N` samples has `L`
/// independent 0/1 labels. Inputs are logits `[N, L]` (through a sigmoid) or
/// probabilities `[N, L]`, and 0/1 targets `[N, L]`; a label is predicted on
/// when its probability is greater than `threshold` (default 0.5).
///
/// - `subsetAccuracy`: share of samples whose `L` predictions are all right
///   (sklearn's `accuracy_score` on indicator matrices).
/// - `hammingAccuracy`: share of the `N·L` label decisions that are right,
///   `1 − hamming_loss`.
/// - `f1[l] = 2·TP / (2·TP + FP + FN)` per label (0 when undefined) and
///   `macroF1`, their mean over all `L` labels (sklearn's
///   `f1_score(average="macro", zero_division=0)` on indicator matrices).
public struct MultilabelMetrics: Sendable {
    public let labels: Int
    public let threshold: Float
    public private(set) var count = 0
    public private(set) var exactMatches = 0
    public private(set) var truePositives: [Int]
    public private(set) var falsePositives: [Int]
    public private(set) var falseNegatives: [Int]
    public private(set) var trueNegatives: [Int]

    public init(labels: Int, threshold: Float = 0.5) {
        precondition(labels >= 1, "need at least one label")
        precondition(threshold >= 0 && threshold <= 1, "threshold must be a probability, got \(threshold)")
        self.labels = labels
        self.threshold = threshold
        truePositives = Array(repeating: 0, count: labels)
        falsePositives = truePositives
        falseNegatives = truePositives
        trueNegatives = truePositives
    }

    /// Adds a batch of logits `[N, L]` with 0/1 targets `[N, L]`.
    public mutating func update(logits: Tensor, targets: Tensor) { add(logits, targets, logits: true) }

    /// Adds a batch of probabilities `[N, L]` with 0/1 targets `[N, L]`.
    public mutating func update(probabilities: Tensor, targets: Tensor) { add(probabilities, targets, logits: false) }

    private mutating func add(_ scores: Tensor, _ targets: Tensor, logits: Bool) {
        precondition(scores.rank == 2 && scores.shape[1] == labels, "scores must be [N, \(labels)], got \(scores.shape)")
        precondition(targets.shape == scores.shape, "targets \(targets.shape) must match scores \(scores.shape)")
        let rows = scores.shape[0]
        let s = scores.scalars, t = targets.scalars
        for row in 0..<rows {
            var allRight = true
            for l in 0..<labels {
                let i = row * labels + l
                precondition(t[i] == 0 || t[i] == 1, "multilabel targets must be 0 or 1, got \(t[i])")
                let predicted = (logits ? Scalar.sigmoid(s[i]) : s[i]) > threshold
                switch (predicted, t[i] == 1) {
                case (true, true): truePositives[l] += 1
                case (true, false): falsePositives[l] += 1; allRight = false
                case (false, true): falseNegatives[l] += 1; allRight = false
                case (false, false): trueNegatives[l] += 1
                }
            }
            if allRight { exactMatches += 1 }
        }
        count += rows
    }

    public var subsetAccuracy: Float { ratio(exactMatches, count) }

    public var hammingAccuracy: Float {
        ratio(truePositives.reduce(0, +) + trueNegatives.reduce(0, +), count * labels)
    }

    /// Per-label F1, `[L]`.
    public var f1: [Float] {
        (0..<labels).map { f1Score(tp: truePositives[$0], fp: falsePositives[$0], fn: falseNegatives[$0]) }
    }

    public var macroF1: Float { Float(f1.reduce(0.0) { $0 + Double($1) } / Double(labels)) }

    /// Forgets all samples.
    public mutating func reset() { self = MultilabelMetrics(labels: labels, threshold: threshold) }
}
