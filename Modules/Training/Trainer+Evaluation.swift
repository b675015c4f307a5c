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
    public func evaluate<D: Dataset>(_ loader: DataLoader<D>) throws -> EvaluationResult {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var lossAverage = RunningAverage()
        let probabilities = model.outputKind == .sigmoid
        var binary = BinaryMetrics()
        var multiclass: MulticlassMetrics?
        try noGrad {
            for batch in loader.batches(epoch: 0) {
                let (output, loss) = try evaluationStep(batch)
                lossAverage.update(loss, count: batch.size)
                switch batch.targets {
                case .classes(let classes):
                    if multiclass == nil { multiclass = MulticlassMetrics(classes: output.shape[1], topK: min(5, output.shape[1])) }
                    multiclass!.update(logits: output, targets: classes)
                case .values(let targets):
                    let flat = output.reshaped(to: [output.count])
                    let labels = targets.reshaped(to: [targets.count])
                    if probabilities { binary.update(probabilities: flat, targets: labels) }
                    else { binary.update(logits: flat, targets: labels) }
                }
            }
        }
        let meanLoss = Double(lossAverage.mean)
        if let m = multiclass {
            return EvaluationResult(loss: meanLoss, accuracy: Double(m.accuracy),
                                    metrics: ["macro_f1": Double(m.macroF1), "top5_accuracy": Double(m.topKAccuracy)],
                                    confusion: m.confusionMatrix, perClassRecall: m.recall.map(Double.init), samples: m.count)
        }
        var metrics = ["precision": Double(binary.precision), "recall": Double(binary.recall), "f1": Double(binary.f1)]
        metrics["auroc"] = binary.auroc.map(Double.init)
        return EvaluationResult(loss: meanLoss, accuracy: Double(binary.accuracy), metrics: metrics,
                                confusion: [[binary.trueNegatives, binary.falsePositives], [binary.falseNegatives, binary.truePositives]],
                                perClassRecall: [], samples: binary.count)
    }

    /// One evaluation batch's output and loss: on the plan's buffers, or through the graph.
    private func evaluationStep(_ batch: Batch) throws -> (output: Tensor, loss: Float) {
        if let plan = stepPlan, let result = try plan.evaluate(batch) { return result }
        let (output, loss) = try validationStep(batch)
        return (output.value, loss.value.item)
    }
}
