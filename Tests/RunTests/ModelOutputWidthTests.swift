import Foundation
import Testing
@testable import Run
import Config
import NN
import Optim
import Training
import RunEvents

/// An explicit `model.layers` whose output width does not fit the task is a config
/// error (issue 9): a binary run with 3 outputs and `mse` used to train and then
/// trap in the binary metrics ("15 scores but 5 targets").
@Suite("Model output width against the task")
struct ModelOutputWidthTests {
    func run(_ overrides: [String]) throws -> TrainingRun {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("width-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("bin.csv")
        try Data(("a,b,label\n" + (0..<30).map { "\($0),\($0 % 3),\($0 % 2)\n" }.joined()).utf8).write(to: csv)
        let yaml = "data: {source: csv, path: \(csv.path), label: label}\ntrainer: {max_epochs: 1}\nlog_dir: \(dir.path)/run\n"
        var document = try ConfigValue.parse(yaml: yaml, file: "w.yaml")
        for o in overrides {
            let (key, value) = (o.split(separator: "=", maxSplits: 1).map(String.init)[0], o.split(separator: "=", maxSplits: 1).map(String.init)[1])
            try document.set(try ConfigValue.parse(yaml: value, file: "--set"), at: key.split(separator: ".").map(String.init))
        }
        return try TrainingRun(config: try RunConfig(document, file: "w.yaml"))
    }

    func message(_ overrides: [String]) -> String {
        do { _ = try run(overrides); return "no error" } catch { return "\(error)" }
    }

    @Test func binaryTaskNeedsOneOutput() throws {
        #expect(message(["data.task=binary", "loss.name=mse", "model.layers=[{linear: 3}]"])
                == "w.yaml: 'model.layers' cannot be a model with 3 outputs: expected 1 output (one logit per sample) for a binary task")
        #expect(message(["data.task=binary", "loss.name=bce_with_logits", "model.layers=[{linear: 4}, relu, {linear: 1}]"]) == "no error")
    }

    @Test func multiclassTaskNeedsAnOutputPerClass() throws {
        // Labels 0/1: two classes.
        #expect(message(["model.layers=[{linear: 1}]"])
                == "w.yaml: 'model.layers' cannot be a model with 1 output: expected at least 2 outputs (one logit per class)")
        #expect(message(["model.layers=[relu]"]) == "no error")   // no linear: the 2 inputs are the 2 logits
        #expect(message(["model.layers=[{linear: 5}]"]) == "no error")
    }
}
