/// The kind of a model's last layer, as far as the loss cares.
public enum LastLayerKind: String, Sendable, CaseIterable {
    /// Element-wise logistic sigmoid: outputs probabilities in (0, 1).
    case sigmoid
    /// Softmax over classes: outputs probabilities that sum to 1.
    case softmax
    /// LogSoftmax over classes: outputs log-probabilities.
    case logSoftmax
    /// Element-wise log-sigmoid: outputs log-probabilities `log σ(x) ≤ 0`.
    case logSigmoid
    /// A linear layer (or anything unbounded): outputs raw logits.
    case linear
    /// Anything else (ReLU, tanh, …): no advice.
    case other
}

/// A warning about a last-layer/loss pairing: what is wrong, why, and what to use instead.
public struct LossLintWarning: Sendable, Equatable, CustomStringConvertible {
    public var problem: String
    public var why: String
    public var fix: String
    public var description: String { "\(problem): \(why). \(fix)." }
}

/// Checks that a model's last layer suits the loss, catching the classic
/// double-activation and missing-activation mistakes.
public enum LossLint {
    /// Warnings for feeding the output of `lastLayer` into the loss `loss` (a registry name).
    public static func check(lastLayer: LastLayerKind, loss: String) -> [LossLintWarning] {
        switch (lastLayer, loss) {
        case (.sigmoid, "bce_with_logits"), (.sigmoid, "sigmoid_focal"):
            [LossLintWarning(problem: "Sigmoid before \(loss)",
                             why: "\(loss) applies the sigmoid itself, so the probabilities are squashed twice and the gradients vanish",
                             fix: "Remove the Sigmoid layer and feed the logits to \(loss)")]
        case (.sigmoid, "bce"):
            [LossLintWarning(problem: "Sigmoid followed by bce",
                             why: "log(σ(x)) loses precision and saturates when |x| is large (bce clamps its logs at -100)",
                             fix: "Remove the Sigmoid layer and use bce_with_logits on the logits: same loss, numerically stable")]
        case (.logSigmoid, "bce"):
            [LossLintWarning(problem: "LogSigmoid before bce",
                             why: "log-sigmoid outputs log-probabilities ≤ 0, outside bce's range [0, 1], so bce rejects them",
                             fix: "Remove the LogSigmoid layer and use bce_with_logits on the logits")]
        case (.logSigmoid, "bce_with_logits"), (.logSigmoid, "sigmoid_focal"):
            [LossLintWarning(problem: "LogSigmoid before \(loss)",
                             why: "\(loss) applies the sigmoid itself, so the outputs are squashed twice: σ(log σ(x)) ≤ 0.5, "
                                 + "the positive class is never predicted and the gradients fade",
                             fix: "Remove the LogSigmoid layer and feed the logits to \(loss)")]
        case (.linear, "bce"), (.logSoftmax, "bce"):
            [LossLintWarning(problem: "raw logits into bce",
                             why: "bce needs probabilities in [0, 1]; logits outside that range are rejected or give wrong losses",
                             fix: "Use bce_with_logits on the logits (or add a Sigmoid, which is less stable)")]
        case (.softmax, "cross_entropy"), (.logSoftmax, "cross_entropy"):
            [LossLintWarning(problem: "\(lastLayer == .softmax ? "Softmax" : "LogSoftmax") before cross_entropy",
                             why: "cross_entropy applies log_softmax itself; a second softmax flattens the outputs and slows learning",
                             fix: lastLayer == .softmax ? "Remove the Softmax layer and feed the logits to cross_entropy"
                                 : "Remove the LogSoftmax layer, or keep it and use nll instead")]
        case (.softmax, "nll"):
            [LossLintWarning(problem: "Softmax before nll",
                             why: "nll expects log-probabilities; probabilities give a loss that is not a likelihood and wrong gradients",
                             fix: "Use LogSoftmax before nll, or drop the Softmax and use cross_entropy on the logits")]
        case (.linear, "nll"):
            [LossLintWarning(problem: "raw logits into nll",
                             why: "nll expects log-probabilities; unnormalized logits let the loss decrease without bound",
                             fix: "Add LogSoftmax before nll, or use cross_entropy on the logits")]
        case (.softmax, "kl_div"), (.sigmoid, "kl_div"):
            [LossLintWarning(problem: "probabilities into kl_div",
                             why: "kl_div expects its input as log-probabilities",
                             fix: "Use LogSoftmax as the last layer before kl_div")]
        default:
            []
        }
    }
}
