import Autograd
import Foundation
import Testing
import TensorCore
@testable import Losses

/// The registry: names, schemas, option validation and did-you-mean.
@Suite struct RegistryTests {
    let registry = LossRegistry.standard

    func error(_ name: String, _ options: [String: LossOption] = [:]) -> LossError? {
        do throws(LossError) { _ = try registry.make(name: name, options: options); return nil } catch { return error }
    }

    @Test func standardHoldsEveryBuiltIn() {
        #expect(registry.names == ["bce", "bce_with_logits", "cross_entropy", "hinge_embedding", "huber", "kl_div", "l1",
                                   "mse", "multi_margin", "multilabel_soft_margin", "nll", "poisson_nll", "sigmoid_focal",
                                   "smooth_l1", "soft_margin"])
        #expect(LossRegistry().names.isEmpty)
    }

    @Test func defaultsFollowPyTorch() throws {
        let ce = try registry.make(name: "cross_entropy")
        #expect(ce.options["ignore_index"] == .number(-100))
        #expect(ce.options["label_smoothing"] == .number(0))
        #expect(ce.options.reduction == .mean)
        #expect(try registry.make(name: "kl_div").options.reduction == .mean)
        #expect(try registry.make(name: "sigmoid_focal").options.reduction == .none)
        #expect(try registry.make(name: "poisson_nll").options["eps"] == .number(1e-8))
        #expect(try registry.make(name: "smooth_l1").options["beta"] == .number(1))
    }

    @Test func unknownNameSuggestsCloseMatches() {
        let e = error("cross_entrpy")
        #expect(e?.description == "unknown loss 'cross_entrpy'; did you mean 'cross_entropy'?")
        #expect(error("MSE")?.description.contains("'mse'") == true)
        #expect(error("completely_different")?.description == "unknown loss 'completely_different'")
    }

    @Test func badOptionsNameTheOptionAndTheAllowedValues() {
        let reduction = error("mse", ["reduction": .string("average")])?.description ?? ""
        #expect(reduction.contains("reduction") && reduction.contains("none, mean, sum") && reduction.contains("average"))
        #expect(error("mse", ["reduction": .string("batchmean")]) != nil)
        #expect(error("kl_div", ["reduction": .string("batchmean")]) == nil)
        let unknown = error("cross_entropy", ["smoothing": .number(0.1)])?.description ?? ""
        #expect(unknown.contains("'smoothing'") && unknown.contains("label_smoothing"))
        let type = error("kl_div", ["log_target": .number(1)])?.description ?? ""
        #expect(type.contains("log_target") && type.contains("true or false"))
        #expect(error("multi_margin", ["p": .number(3)])?.description.contains("1, 2") == true)
        #expect(error("cross_entropy", ["ignore_index": .number(1.5)])?.description.contains("integer") == true)
        #expect(error("cross_entropy", ["label_smoothing": .number(1.5)]) != nil)
        #expect(error("huber", ["delta": .number(0)]) != nil)
        #expect(error("cross_entropy", ["weight": .string("x")])?.description.contains("tensor") == true)
    }

    @Test func registerAddsCustomLossesAndRejectsDuplicates() throws {
        var registry = LossRegistry.standard
        try registry.register(name: "double_mse") { x, t, o throws(LossError) in
            try mseLoss(x, t.floats("double_mse"), reduction: o.reduction) * 2
        }
        let loss = try registry.make(name: "double_mse", options: ["reduction": .string("sum")])
        let value = try loss(Variable(Tensor([1, 2])), .values(Tensor([0, 0])))
        #expect(value.value.item == 10)
        #expect(throws: LossError.duplicateName("mse")) { try registry.register(name: "mse") { x, _, _ in x } }
        // Registries are independent values.
        #expect(LossRegistry.standard.spec(named: "double_mse") == nil)
    }

    @Test func optionsFromParsedJSONOrYAMLValues() throws {
        let json = try JSONSerialization.jsonObject(with: Data(#"{"a": true, "b": 1, "c": 0.5, "d": "sum", "e": [1, 2], "f": {"shape": [1, 2], "data": [3, 4]}}"#.utf8)) as! [String: Any]
        #expect(LossOption(parsed: json["a"]!) == .bool(true))
        #expect(LossOption(parsed: json["b"]!) == .number(1))
        #expect(LossOption(parsed: json["c"]!) == .number(0.5))
        #expect(LossOption(parsed: json["d"]!) == .string("sum"))
        #expect(LossOption(parsed: json["e"]!) == .tensor(Tensor([1, 2])))
        #expect(LossOption(parsed: json["f"]!) == .tensor(Tensor(shape: [1, 2], scalars: [3, 4])))
        #expect(LossOption(parsed: false) == .bool(false))
        #expect(LossOption(parsed: 7) == .number(7))
        #expect(LossOption(parsed: [0.5, 2.0]) == .tensor(Tensor([0.5, 2])))
        #expect(LossOption(parsed: ["x"]) == nil)
    }

    @Test func editDistance() {
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("mse", "mse") == 0)
    }
}

/// Last-layer / loss pairing warnings.
@Suite struct LossLintTests {
    @Test func warnsAboutDoubleAndMissingActivations() {
        #expect(LossLint.check(lastLayer: .sigmoid, loss: "bce_with_logits").first?.problem == "Sigmoid before bce_with_logits")
        #expect(LossLint.check(lastLayer: .softmax, loss: "cross_entropy").count == 1)
        #expect(LossLint.check(lastLayer: .logSoftmax, loss: "cross_entropy").first?.fix.contains("nll") == true)
        #expect(LossLint.check(lastLayer: .softmax, loss: "nll").first?.fix.contains("LogSoftmax") == true)
        #expect(LossLint.check(lastLayer: .linear, loss: "bce").first?.fix.contains("bce_with_logits") == true)
        #expect(LossLint.check(lastLayer: .sigmoid, loss: "bce").first?.fix.contains("bce_with_logits") == true)
    }

    /// log σ(x) ≤ 0: out of bce's range, and squashed a second time by bce_with_logits.
    @Test func warnsAboutLogSigmoidBeforeBinaryLosses() {
        let bce = LossLint.check(lastLayer: .logSigmoid, loss: "bce")
        #expect(bce.count == 1 && bce.first?.problem == "LogSigmoid before bce")
        #expect(bce.first?.why.contains("[0, 1]") == true && bce.first?.fix.contains("bce_with_logits") == true)
        let logits = LossLint.check(lastLayer: .logSigmoid, loss: "bce_with_logits")
        #expect(logits.count == 1 && logits.first?.problem == "LogSigmoid before bce_with_logits")
        #expect(logits.first?.why.contains("squashed twice") == true)
        #expect(LossLint.check(lastLayer: .logSigmoid, loss: "mse").isEmpty)
    }

    @Test func isQuietForGoodPairings() {
        #expect(LossLint.check(lastLayer: .linear, loss: "cross_entropy").isEmpty)
        #expect(LossLint.check(lastLayer: .linear, loss: "bce_with_logits").isEmpty)
        #expect(LossLint.check(lastLayer: .logSoftmax, loss: "nll").isEmpty)
        #expect(LossLint.check(lastLayer: .sigmoid, loss: "mse").isEmpty)
    }

    @Test func everyWarningSaysWhyAndWhatToUse() {
        for layer in LastLayerKind.allCases {
            for name in LossRegistry.standard.names {
                for w in LossLint.check(lastLayer: layer, loss: name) {
                    #expect(!w.why.isEmpty && !w.fix.isEmpty && w.description.contains(w.fix))
                }
            }
        }
    }
}
