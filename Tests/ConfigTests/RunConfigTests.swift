import Foundation
import Losses
import Testing
import TensorCore
@testable import Config
import NN
import Optim
import Training
import RunEvents

@Suite("Config files")
struct RunConfigTests {
    func parse(_ yaml: String, overrides: [String] = []) throws -> RunConfig {
        var doc = try ConfigValue.parse(yaml: yaml, file: "test.yaml")
        for o in overrides {
            let parts = o.split(separator: "=", maxSplits: 1).map(String.init)
            try doc.set(try ConfigValue.parse(yaml: parts[1], file: "--set"), at: parts[0].split(separator: ".").map(String.init))
        }
        return try RunConfig(doc, file: "test.yaml")
    }

    func error(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "no error" } catch { return "\(error)" }
    }

    @Test func defaultsFillAnEmptyFile() throws {
        let c = try parse("name: demo")
        #expect(c.trainer.options.maxEpochs == 5)
        #expect(c.data.batchSize == 128)
        #expect(c.optimizer.options == .adam(Adam.Options()))
        #expect(c.optimizer.options.learningRate == 0.001)
        #expect(c.loss.name == "cross_entropy")
        #expect(c.logDir == "runs/demo")
    }

    /// Every YAML file shipped in `Config/` and `Config/sweeps/` (when present) loads, none skipped.
    @Test func shippedConfigsLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var files: [String] = []
        for folder in ["Config", "Config/sweeps"] {
            let directory = root.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                #expect(folder != "Config", "cannot list \(directory.path)")
                continue
            }
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
        }
        #expect(files.count >= 6, "shipped configs found: \(files)")
        for file in files {
            do {
                let c = try RunConfig.load(path: root.appendingPathComponent(file).path)
                if !file.hasPrefix("Config/sweeps/") {
                    #expect(c.name == URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, "\(file)")
                }
            } catch {
                Issue.record("\(file) does not load: \(error)")
            }
        }
    }

    @Test func unknownKeySuggestsTheClosest() {
        let message = error("trainer:\n  max_epoch: 3\n")
        #expect(message == "test.yaml:2: unknown key 'trainer.max_epoch'; did you mean 'max_epochs'?")
        #expect(error("optimiser:\n  lr: 1\n").contains("did you mean 'optimizer'?"))
    }

    @Test func wrongTypeNamesThePathAndTheType() {
        #expect(error("trainer:\n  max_epochs: many\n")
                == "test.yaml:2: 'trainer.max_epochs' must be an integer, found a string (many)")
        #expect(error("data:\n  shuffle: 3\n").contains("'data.shuffle' must be true or false"))
    }

    @Test func badChoiceListsTheAllowedValues() {
        #expect(error("optimizer:\n  name: adamax\n").contains("expected one of sgd, adam, adamw, rmsprop"))
        #expect(error("data:\n  batch_size: 0\n").contains("an integer in 1...1000000"))
    }

    @Test func overridesReplaceAndAddKeys() throws {
        let c = try parse("trainer:\n  max_epochs: 9\n", overrides: ["trainer.max_epochs=3", "optimizer.lr=0.5", "seed=7"])
        #expect(c.trainer.options.maxEpochs == 3)
        #expect(c.optimizer.options.learningRate == 0.5)
        #expect(c.seed == 7)
    }

    @Test func resolvedConfigShowsDefaults() throws {
        let c = try parse("name: r\nloss:\n  name: cross_entropy\n  label_smoothing: 0.1\n")
        let text = c.resolved.yaml()
        #expect(text.contains("max_epochs: 5"))
        #expect(text.contains("label_smoothing: 0.1"))
        // Printing and parsing again gives the same run.
        let again = try RunConfig(try ConfigValue.parse(yaml: text, file: "again.yaml"), file: "again.yaml")
        #expect(again.trainer.options == c.trainer.options)
        #expect(again.resolved == c.resolved)
    }

    @Test func layerListAndAdamBetas() throws {
        let c = try parse("model:\n  layers: [{linear: 64}, relu, {dropout: 0.2}, {linear: 10}]\noptimizer:\n  betas: [0.8, 0.99]\n")
        #expect(c.model.spec == .layers([.linear(outFeatures: 64), .activation(.relu), .dropout(p: 0.2), .linear(outFeatures: 10)]))
        #expect(c.optimizer.options == .adam(Adam.Options(betas: (0.8, 0.99))))
        #expect(error("model:\n  layers: [{conv: 3}]\n").contains("'model.layers' cannot be {conv: 3}"))
    }

    @Test func optimizerDefaultsArePyTorchsFromOnePlace() throws {
        #expect(try parse("optimizer:\n  name: sgd\n").optimizer.options == .sgd(SGD.Options.defaults))
        #expect(SGD.Options.defaults.lr == 1e-3)   // torch.optim.SGD's default
        #expect(try parse("optimizer:\n  name: rmsprop\n").optimizer.options.learningRate == 1e-2)
        #expect(try parse("optimizer:\n  name: adamw\n").optimizer.options == .adamW(Adam.Options.adamW))
        #expect(Adam.Options.adamW.weightDecay == 1e-2)
    }

    @Test func choicesBecomeTypes() throws {
        let c = try parse("""
            data:\n  task: binary\n  source: csv\n  path: x.csv\n  normalize: minmax\n  missing: mean
            scheduler:\n  name: plateau\n  mode: max
            trainer:\n  validate_every_steps: 7\n  early_stopping:\n    monitor: val_auroc
            """)
        #expect(c.data.task == .binary && c.data.normalize == .minMax && c.data.missing == .imputeMean)
        #expect(c.scheduler == .plateau(mode: .max))
        #expect(c.trainer.validation == .steps(7))
        #expect(c.trainer.earlyStopping?.monitor == Monitor(.auroc, mode: .max))
        #expect(try parse("data:\n  normalize: none\n").data.normalize == nil)
        #expect(error("trainer:\n  early_stopping:\n    monitor: loss\n").contains("'trainer.early_stopping.monitor' cannot be 'loss'"))
    }

    @Test func configValuesBecomeLossOptions() throws {
        let c = try parse("loss:\n  name: cross_entropy\n  a: true\n  b: 1\n  c: 0.1\n  d: sum\n  e: [1, 2.5]\n")
        #expect(c.loss.options == ["a": .bool(true), "b": .number(1), "c": .number(0.1), "d": .string("sum"),
                                   "e": .tensor(Tensor([1, 2.5]))])
        #expect(c.loss.optionText["e"] == "[1, 2.5]")
        #expect(error("loss:\n  weight: [a]\n").contains("'loss.weight' must be a number, boolean, string or list of numbers"))
    }

    @Test func csvWithoutPathIsAnError() {
        #expect(error("data:\n  source: csv\n") == "test.yaml: missing 'data.path' (the CSV file to read)")
    }

    @Test func suggestionDistance() {
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.closest(to: "cross_entrpy", among: ["cross_entropy", "nll"]) == "cross_entropy")
        #expect(Suggestion.closest(to: "zzz", among: ["cross_entropy"]) == nil)
    }

    @Test func unreadableFilesAndNestedOverridesNameTheRealProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func loadError(_ path: String, _ overrides: [String] = []) -> String {
            do { _ = try RunConfig.load(path: path, overrides: overrides); return "no error" } catch { return "\(error)" }
        }
        #expect(loadError(dir.path + "/nope.yaml") == "\(dir.path)/nope.yaml: cannot read config: No such file or directory")
        #expect(loadError(dir.path) == "\(dir.path): cannot read config: not a regular file")
        let binary = dir.appendingPathComponent("binary.yaml")
        try Data([0x6E, 0x3A, 0x20, 0xFF, 0xFE]).write(to: binary)
        #expect(loadError(binary.path) == "\(binary.path): cannot read config: not UTF-8 text")
        let good = dir.appendingPathComponent("good.yaml")
        try Data("trainer: {max_epochs: 2}\n".utf8).write(to: good)
        #expect(loadError(good.path, ["trainer.max_epochs.x=1"])
                == "--set trainer.max_epochs.x: its parent is a number, not a mapping")
    }

    @Test func nestedAliasesCannotExpandWithoutBound() throws {
        // 10 levels of 9 aliases: 9^10 values from ~400 bytes ("billion laughs").
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        // The work is bounded by the count of nodes converted, not by the time it takes.
        var visited = 0
        do {
            _ = try ConfigValue.parse(yaml: yaml, file: "test.yaml", visited: &visited)
            Issue.record("a 9^10-value document was accepted")
        } catch {
            #expect("\(error)" == "test.yaml: invalid YAML: the document expands to more than 100000 values "
                    + "(aliases of aliases, as in a 'billion laughs' file?)")
        }
        #expect(visited > ConfigValue.maxValues && visited <= ConfigValue.maxValues + 1,
                "converted \(visited) nodes for a limit of \(ConfigValue.maxValues)")
        // Ordinary aliases still work.
        let c = try parse("seed: &s 3\ntrainer: {max_epochs: *s}\n")
        #expect(c.seed == 3 && c.trainer.options.maxEpochs == 3)
    }
}
