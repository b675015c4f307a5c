import Data
import Losses
import TensorCore

extension Trainer {
    /// Correct predictions in a batch: argmax for class targets; for 0/1
    /// targets, probability > 0.5 (or logit > 0).
    static func correctPredictions(_ output: Tensor, _ targets: BatchTargets, probabilities: Bool) -> Int {
        if case .classes = targets, output.rank != 2 { return 0 }
        return output.withUnsafeBufferPointer {
            correctPredictions($0, rows: output.shape.first ?? 0, width: output.rank == 2 ? output.shape[1] : 1, targets,
                               probabilities: probabilities)
        }
    }

    /// The same count on a `[rows, width]` output buffer, without allocating.
    static func correctPredictions(_ output: UnsafeBufferPointer<Float>, rows: Int, width: Int, _ targets: BatchTargets,
                                   probabilities: Bool) -> Int {
        var correct = 0
        switch targets {
        case .classes(let classes):
            guard rows == classes.count, rows * width == output.count, let base = output.baseAddress else { return 0 }
            classes.indices.withUnsafeBufferPointer { truth in
                RowKernels.forEachArgmax(of: base, count: rows, width: width) { r, k in if k == truth[r] { correct += 1 } }
            }
        case .values(let values):
            guard output.count == values.count else { return 0 }
            let threshold: Float = probabilities ? 0.5 : 0
            values.withUnsafeBufferPointer { truth in
                for i in 0..<output.count where (output[i] > threshold) == (truth[i] > 0.5) { correct += 1 }
            }
        }
        return correct
    }
}

extension LossTarget {
    /// A batch's targets as a loss target.
    public init(_ targets: BatchTargets) {
        switch targets {
        case .classes(let c): self = .classes(c)
        case .values(let v): self = .values(v)
        }
    }
}
