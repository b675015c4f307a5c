import Autograd
import Data
import Metrics
import TensorCore

extension Trainer {
    /// Loss and metrics of the model over `loader`, in evaluation mode and
    /// without recording a graph. Binary outputs `[N, 1]` are logits unless the
    /// model ends in a Sigmoid; multiclass outputs `[N, C]` are ranked as given.
    /// Runs on the `stepPlan`'s buffers when there is one (the same numbers as the
    /// graph, without its per-batch activations), else through `validationStep`.
    /// In a data-parallel job each rank evaluates its shard of `loader` and the
    /// accumulations are merged over the ranks (every rank gets the whole result).
    public func evaluate<D: Dataset>(_ loader: DataLoader<D>) throws -> EvaluationResult {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var seen = EvaluationAccumulation()
        let probabilities = model.outputKind == .sigmoid
        try noGrad {
            for batch in loader.batches(epoch: 0) where batch.size > 0 {
                let (output, loss) = try evaluationStep(batch)
                seen.loss.update(loss, count: batch.size)
                switch batch.targets {
                case .classes(let classes):
                    if seen.multiclass == nil { seen.multiclass = MulticlassMetrics(classes: output.shape[1], topK: min(5, output.shape[1])) }
                    seen.multiclass!.update(logits: output, targets: classes)
                case .values(let targets):
                    let flat = output.reshaped(to: [output.count])
                    let labels = targets.reshaped(to: [targets.count])
                    if probabilities { seen.binary.update(probabilities: flat, targets: labels) }
                    else { seen.binary.update(logits: flat, targets: labels) }
                }
            }
        }
        if let dataParallel { seen = try dataParallel.merged(seen) { $0.merge($1) } }
        return seen.result
    }

    /// One evaluation batch's output and loss: on the plan's buffers, or through the graph.
    private func evaluationStep(_ batch: Batch) throws -> (output: Tensor, loss: Float) {
        if let plan = stepPlan, let result = try plan.evaluate(batch) { return result }
        let (output, loss) = try validationStep(batch)
        return (output.value, loss.value.item)
    }
}

/// What an evaluation accumulates: the loss average and the task's metrics.
/// Codable and mergeable, so the ranks of a job can combine their shards; the binary
/// curves come from the merged scores, so a data-parallel run gets the exact curves.
struct EvaluationAccumulation: Codable {
    var loss = RunningAverage()
    var binary = BinaryMetrics()
    var multiclass: MulticlassMetrics?

    mutating func merge(_ other: EvaluationAccumulation) {
        loss.merge(other.loss)
        binary.merge(other.binary)
        if let theirs = other.multiclass {
            if multiclass == nil { multiclass = theirs } else { multiclass!.merge(theirs) }
        }
    }

    var result: EvaluationResult {
        let meanLoss = Double(loss.mean)
        if let m = multiclass {
            return EvaluationResult(loss: meanLoss, accuracy: Double(m.accuracy),
                                    metrics: ["macro_f1": Double(m.macroF1), "top5_accuracy": Double(m.topKAccuracy)],
                                    confusion: m.confusionMatrix, perClassRecall: m.recall.map(Double.init), samples: m.count)
        }
        var metrics = ["precision": Double(binary.precision), "recall": Double(binary.recall), "f1": Double(binary.f1)]
        metrics["auroc"] = binary.auroc.map(Double.init)
        let (roc, precisionRecall) = binary.curves
        return EvaluationResult(loss: meanLoss, accuracy: Double(binary.accuracy), metrics: metrics,
                                confusion: [[binary.trueNegatives, binary.falsePositives], [binary.falseNegatives, binary.truePositives]],
                                perClassRecall: [], samples: binary.count, roc: roc,
                                precisionRecall: precisionRecall, averagePrecision: precisionRecall?.stepArea)
    }
}
