import TensorCore

/// Single-label multiclass metrics accumulated over batches, from logits
/// `[N, C]` (or probabilities; only their order matters) and class indices `[N]`.
///
/// The prediction is the arg-max (first maximum on ties, as `torch.argmax`).
/// - `confusionMatrix[i][j]`: samples of true class `i` predicted as `j`
///   (rows = true, columns = predicted, as sklearn's `confusion_matrix`).
/// - `accuracy = Σᵢ M[i][i] / N`.
/// - `topKAccuracy`: share of samples whose true class is among the `topK`
///   highest scores; ties are broken as a stable descending sort (lower index
///   first), so `topK = 1` equals `accuracy`.
/// - per class `c`: `recall[c] = M[c][c] / Σⱼ M[c][j]`, `precision[c] =
///   M[c][c] / Σᵢ M[i][c]`, `f1[c] = 2·TP / (2·TP + FP + FN)`, each 0 when
///   undefined (sklearn's `zero_division=0`).
/// - `macroF1`: the mean of `f1[c]` over the classes that occur in the targets
///   or predictions so far — sklearn's `f1_score(average="macro")` default label set.
///   `macroF1AllClasses` averages over all `C` (torchmetrics' convention).
public struct MulticlassMetrics: Sendable, Codable {
    public let classes: Int
    public let topK: Int
    public private(set) var confusionMatrix: [[Int]]
    public private(set) var count = 0
    public private(set) var topKCorrect = 0

    /// - Precondition: `classes ≥ 1`, `topK ≥ 1` (clamped to `classes`).
    public init(classes: Int, topK: Int = 5) {
        precondition(classes >= 1, "need at least one class")
        precondition(topK >= 1, "topK must be at least 1")
        self.classes = classes
        self.topK = min(topK, classes)
        confusionMatrix = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// Adds a batch: `logits` `[N, C]`, `targets` `[N]` with values in `0..<C`.
    public mutating func update(logits: Tensor, targets: IndexTensor) {
        precondition(logits.rank == 2 && logits.shape[1] == classes,
                     "logits must be [N, \(classes)], got \(logits.shape)")
        precondition(targets.count == logits.shape[0],
                     "\(logits.shape[0]) rows of logits but \(targets.count) targets")
        let c = classes
        logits.withUnsafeBufferPointer { scores in
            for (row, target) in targets.indices.enumerated() {
                precondition(target >= 0 && target < c, "target class \(target) out of range 0..<\(c)")
                let base = row * c
                var predicted = 0
                for j in 1..<max(c, 1) where scores[base + j] > scores[base + predicted] { predicted = j }
                confusionMatrix[target][predicted] += 1
                // Rank of the target in a stable descending sort.
                let own = scores[base + target]
                var ahead = 0
                for j in 0..<c where scores[base + j] > own || (j < target && scores[base + j] == own) { ahead += 1 }
                if ahead < topK { topKCorrect += 1 }
            }
        }
        count += targets.count
    }

    /// Adds what `other` accumulated over other samples (e.g. another shard of a
    /// data-parallel evaluation): the result is as if one accumulation saw both.
    /// - Precondition: the same `classes` and `topK`.
    public mutating func merge(_ other: MulticlassMetrics) {
        precondition(other.classes == classes && other.topK == topK,
                     "merging metrics of \(other.classes) classes (top \(other.topK)) into \(classes) (top \(topK))")
        for i in 0..<classes { for j in 0..<classes { confusionMatrix[i][j] += other.confusionMatrix[i][j] } }
        count += other.count
        topKCorrect += other.topKCorrect
    }

    private func diagonal(_ c: Int) -> Int { confusionMatrix[c][c] }
    private func rowSum(_ c: Int) -> Int { confusionMatrix[c].reduce(0, +) }
    private func columnSum(_ c: Int) -> Int { confusionMatrix.reduce(0) { $0 + $1[c] } }

    public var accuracy: Float { ratio((0..<classes).reduce(0) { $0 + diagonal($1) }, count) }
    public var topKAccuracy: Float { ratio(topKCorrect, count) }
    /// Per-class recall (sensitivity), `[C]`.
    public var recall: [Float] { (0..<classes).map { ratio(diagonal($0), rowSum($0)) } }
    /// Per-class precision, `[C]`.
    public var precision: [Float] { (0..<classes).map { ratio(diagonal($0), columnSum($0)) } }
    /// Per-class F1, `[C]`.
    public var f1: [Float] {
        (0..<classes).map { f1Score(tp: diagonal($0), fp: columnSum($0) - diagonal($0), fn: rowSum($0) - diagonal($0)) }
    }

    /// Mean F1 over classes present in targets or predictions (sklearn's default).
    public var macroF1: Float {
        let scores = f1
        let present = (0..<classes).filter { rowSum($0) > 0 || columnSum($0) > 0 }
        guard !present.isEmpty else { return 0 }
        return Float(present.reduce(0.0) { $0 + Double(scores[$1]) } / Double(present.count))
    }

    /// Mean F1 over all `C` classes, absent ones counting 0.
    public var macroF1AllClasses: Float {
        Float(f1.reduce(0.0) { $0 + Double($1) } / Double(classes))
    }

    /// Forgets all samples.
    public mutating func reset() { self = MulticlassMetrics(classes: classes, topK: topK) }
}
