import ArgumentParser
import Checkpoint
import Config
import Data
import Foundation
import Metrics
import NN
import Run
import Training

/// `trainboard eval`: the test metrics of a checkpoint, with the data
/// preparation (splits, normalization) of the run that wrote it.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint on the run's test set (confusion matrix for multiclass).")

    @Option(help: "The run's YAML file.") var config: String
    @Option(help: "A .safetensors checkpoint written by fit (or weights with the same names).") var checkpoint: String
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key.", valueName: "key=value"))
    var overrides: [String] = []
    @Option(help: ArgumentHelp("Also write every test sample's input (as the model sees it, normalized), "
                               + "output and predicted class to this JSON file.", valueName: "file"))
    var predictions: String?

    func run() throws {
        let config = try RunConfig.load(path: config, overrides: overrides)
        let normalization = try TrainingRun.normalization(inCheckpoint: checkpoint)
        let run = try TrainingRun(config: config, normalization: normalization)
        try Checkpointer.loadWeights(try SafetensorsFile.read(from: URL(fileURLWithPath: checkpoint)), into: run.model)
        let result = try run.test()
        print(EvalReport.lines(result, classNames: run.data.classNames, binary: config.data.task == .binary).joined(separator: "\n"))
        if let predictions {
            try AtomicFile.write(Foundation.Data(EvalPredictions.json(model: run.model, loader: run.testLoader).utf8),
                                 to: URL(fileURLWithPath: predictions))
        }
    }
}

/// What `eval --predictions` writes: `{"inputs": [[…]], "outputs": [[…]], "predictions": […]}`,
/// one entry per test sample in the test set's order, so another implementation (the
/// numpy forward pass of `Tests/interop/numpy_forward.py`) can recompute the outputs.
enum EvalPredictions {
    static func json(model: Sequential, loader: DataLoader<TensorDataset>) -> String {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var inputs: [String] = [], outputs: [String] = [], predictions: [Int] = []
        let threshold: Float = model.outputKind == .sigmoid ? 0.5 : 0
        for batch in loader.batches(epoch: 0) {
            let output = model.predict(batch.features)
            let (rows, inWidth, outWidth) = (batch.size, batch.features.count / batch.size, output.count / batch.size)
            let x = batch.features.scalars, y = output.scalars
            for row in 0..<rows {
                let out = y[row * outWidth..<(row + 1) * outWidth]
                inputs.append("[" + x[row * inWidth..<(row + 1) * inWidth].map { "\($0)" }.joined(separator: ", ") + "]")
                outputs.append("[" + out.map { "\($0)" }.joined(separator: ", ") + "]")
                predictions.append(outWidth == 1 ? (out.first! > threshold ? 1 : 0)
                                                 : out.indices.max { out[$0] < out[$1] }! - out.startIndex)
            }
        }
        return "{\"inputs\": [" + inputs.joined(separator: ",\n") + "],\n\"outputs\": [" + outputs.joined(separator: ",\n")
            + "],\n\"predictions\": [" + predictions.map(String.init).joined(separator: ", ") + "]}\n"
    }
}

/// The text `eval` prints: headline figures, then the confusion matrix.
enum EvalReport {
    static func lines(_ result: EvaluationResult, classNames: [String], binary: Bool) -> [String] {
        var lines = [String(format: "test samples %d   loss %.4f   accuracy %.4f", result.samples, result.loss, result.accuracy)]
        lines += result.metrics.keys.sorted().map { String(format: "  %@ %.4f", $0, result.metrics[$0]!) }
        guard !result.confusion.isEmpty else { return lines }
        let names = binary ? ["0", "1"] : classNames.map { String($0.prefix(12)) }
        let width = max(6, (result.confusion.flatMap { $0 }.max() ?? 0).description.count + 1)
        lines.append("confusion matrix (rows: true class, columns: predicted)" + (binary ? "" : ", recall per row"))
        lines.append("".padding(toLength: 14, withPad: " ", startingAt: 0)
                     + (0..<names.count).map { String($0).leftPad(width) }.joined())
        for (i, row) in result.confusion.enumerated() {
            let label = (i < names.count ? "\(i) \(names[i])" : "\(i)").padding(toLength: 14, withPad: " ", startingAt: 0)
            let recall = i < result.perClassRecall.count ? String(format: "   %.3f", result.perClassRecall[i]) : ""
            lines.append(label + row.map { String($0).leftPad(width) }.joined() + recall)
        }
        return lines
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// `trainboard print-config`: the fully resolved config (defaults filled, overrides applied).
struct PrintConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-config", abstract: "Print the fully resolved run config.")

    @Option(help: "The run's YAML file.") var config: String
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key.", valueName: "key=value"))
    var overrides: [String] = []

    func run() throws {
        print(try RunConfig.load(path: config, overrides: overrides).resolved.yaml(), terminator: "")
    }
}
