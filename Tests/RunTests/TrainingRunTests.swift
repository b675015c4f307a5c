import Foundation
import Losses
import TensorCore
import Testing
@testable import Run
import Checkpoint
import Config
import NN
import Optim
import Training
import RunEvents

/// Whole runs assembled from config text, on the repo's breast-cancer CSV.
@Suite("Training runs from config")
struct TrainingRunTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ model: String, loss: String, extra: String = "") throws -> TrainingRun {
        let yaml = """
            data:
              source: csv
              path: \(Self.root.path)/Config/data/breast_cancer.csv
              label: benign
              task: binary
            model:
            \(model)
            loss:
              name: \(loss)
            \(extra)
            log_dir: \(FileManager.default.temporaryDirectory.path)/run-\(UUID().uuidString)
            """
        return try TrainingRun(config: try RunConfig(try ConfigValue.parse(yaml: yaml, file: "t.yaml"), file: "t.yaml"))
    }

    @Test func sigmoidBeforeBCEIsLinted() throws {
        let linted = try run("  output_activation: sigmoid", loss: "bce")
        #expect(linted.lintWarnings.count == 1)
        #expect(linted.lintWarnings.first?.contains("bce_with_logits") == true)
        #expect(try run("  hidden: [8]", loss: "bce_with_logits").lintWarnings.isEmpty)
        #expect(try run("  output_activation: sigmoid", loss: "bce_with_logits").lintWarnings.first?.contains("Sigmoid") == true)
    }

    @Test func csvPreprocessingIsFittedOnTheTrainingSplit() throws {
        let r = try run("  hidden: [8]", loss: "bce_with_logits")
        #expect(r.data.train.count + (r.data.validation?.count ?? 0) + r.data.test.count == 569)
        #expect(r.data.test.count == 114)
        let n = try #require(r.data.normalization)
        #expect(n.featureCount == 30)
        // Standardized training features have mean ≈ 0 per column.
        let features = r.data.train.featureTensor()
        #expect(features.mean(axes: [0]).scalars.allSatisfy { abs($0) < 1e-4 })
    }

    @Test func unknownLossOptionNamesTheOption() throws {
        #expect {
            _ = try run("  hidden: [8]", loss: "bce_with_logits\n  pos_wieght: 2")
        } throws: { "\($0)".contains("pos_wieght") }
    }
}
