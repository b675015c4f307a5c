import Autograd
import TensorCore

/// The built-in losses: PyTorch's registry names, keyword options and defaults,
/// each forwarding to its functional form.
enum BuiltInLosses {
    typealias O = LossOptionSchema

    static let weight = O("weight", .tensor, default: nil, doc: "non-negative weights, broadcast to the input")
    static let classWeight = O("weight", .tensor, default: nil, doc: "(C) non-negative weight per class")
    static let ignoreIndex = O("ignore_index", .integer(), default: .number(-100),
                               doc: "target value that contributes no loss and no gradient")

    static let all: [LossSpec] = [
        LossSpec(name: "bce", summary: "binary cross-entropy on probabilities; input and target same shape",
                 options: [weight, .reduction()]) { x, t, o throws(LossError) in
            try bceLoss(x, t.floats("bce"), weight: o.tensor("weight"), reduction: o.reduction)
        },
        LossSpec(name: "bce_with_logits", summary: "binary cross-entropy on logits (stable); input and target same shape",
                 options: [weight, O("pos_weight", .tensor, default: nil, doc: "weight of positive examples, broadcast to the input (e.g. (C))"),
                           .reduction()]) { x, t, o throws(LossError) in
            try bceWithLogitsLoss(x, t.floats("bce_with_logits"), weight: o.tensor("weight"),
                                  posWeight: o.tensor("pos_weight"), reduction: o.reduction)
        } gradient: { x, shape, t, o, g throws(LossError) in
            try bceWithLogitsGradient(x, shape: shape, t.floats("bce_with_logits"), weight: o.tensor("weight"),
                                      posWeight: o.tensor("pos_weight"), reduction: o.reduction, gradient: g)
        },
        LossSpec(name: "sigmoid_focal", summary: "torchvision sigmoid focal loss on logits (default reduction none, as torchvision)",
                 options: [O("alpha", .number(), default: .number(0.25), doc: "weight of positives in [0, 1]; negative disables"),
                           O("gamma", .number(0...Double.infinity), default: .number(2), doc: "focusing exponent ≥ 0"),
                           .reduction(default: "none")]) { x, t, o throws(LossError) in
            try sigmoidFocalLoss(x, t.floats("sigmoid_focal"), alpha: o.number("alpha"), gamma: o.number("gamma"),
                                 reduction: o.reduction)
        },
        LossSpec(name: "cross_entropy", summary: "softmax cross-entropy on logits (C), (N, C) or (N, C, d...); class indices or probabilities",
                 options: [classWeight, ignoreIndex,
                           O("label_smoothing", .number(0...1), default: .number(0), doc: "mix the target with the uniform distribution"),
                           .reduction()]) { x, t, o throws(LossError) in
            try crossEntropyLoss(x, t, weight: o.tensor("weight"), ignoreIndex: o.integer("ignore_index"),
                                 labelSmoothing: o.number("label_smoothing"), reduction: o.reduction)
        } gradient: { x, shape, t, o, g throws(LossError) in
            try crossEntropyGradient(x, shape: shape, t, weight: o.tensor("weight"), ignoreIndex: o.integer("ignore_index"),
                                     labelSmoothing: o.number("label_smoothing"), reduction: o.reduction, gradient: g)
        },
        LossSpec(name: "nll", summary: "negative log-likelihood on log-probabilities (C), (N, C) or (N, C, d...)",
                 options: [classWeight, ignoreIndex, .reduction()]) { x, t, o throws(LossError) in
            try nllLoss(x, t, weight: o.tensor("weight"), ignoreIndex: o.integer("ignore_index"), reduction: o.reduction)
        },
        LossSpec(name: "mse", summary: "mean squared error; target broadcast to the input", options: [.reduction()]) { x, t, o throws(LossError) in
            try mseLoss(x, t.floats("mse", promotes: true), reduction: o.reduction)
        },
        LossSpec(name: "l1", summary: "mean absolute error; target broadcast to the input", options: [.reduction()]) { x, t, o throws(LossError) in
            try l1Loss(x, t.floats("l1", promotes: true), reduction: o.reduction)
        },
        LossSpec(name: "smooth_l1", summary: "quadratic below beta, linear above (beta = 0 is l1)",
                 options: [O("beta", .number(0...Double.infinity), default: .number(1), doc: "where the loss turns linear, ≥ 0"),
                           .reduction()]) { x, t, o throws(LossError) in
            try smoothL1Loss(x, t.floats("smooth_l1", promotes: true), beta: o.number("beta"), reduction: o.reduction)
        },
        LossSpec(name: "huber", summary: "quadratic below delta, delta-scaled linear above",
                 options: [O("delta", .number(Double.leastNonzeroMagnitude...Double.infinity), default: .number(1),
                             doc: "where the loss turns linear, > 0"),
                           .reduction()]) { x, t, o throws(LossError) in
            try huberLoss(x, t.floats("huber"), delta: o.number("delta"), reduction: o.reduction)
        },
        LossSpec(name: "kl_div", summary: "KL divergence; input holds log-probabilities (default reduction mean, as PyTorch; batchmean is the true KL)",
                 options: [O("log_target", .bool, default: .bool(false), doc: "target holds log-probabilities"),
                           .reduction(batchmean: true)]) { x, t, o throws(LossError) in
            try klDivLoss(x, t.floats("kl_div"), logTarget: o.bool("log_target"), reduction: o.reduction)
        },
        LossSpec(name: "poisson_nll", summary: "Poisson negative log-likelihood",
                 options: [O("log_input", .bool, default: .bool(true), doc: "input is the log-rate (else the rate)"),
                           O("full", .bool, default: .bool(false), doc: "add the Stirling term where target > 1"),
                           O("eps", .number(0...Double.infinity), default: .number(1e-8), doc: "added to the rate inside the log"),
                           .reduction()]) { x, t, o throws(LossError) in
            try poissonNLLLoss(x, t.floats("poisson_nll", promotes: true), logInput: o.bool("log_input"), full: o.bool("full"),
                               eps: o.number("eps"), reduction: o.reduction)
        },
        LossSpec(name: "soft_margin", summary: "two-class logistic loss for ±1 labels", options: [.reduction()]) { x, t, o throws(LossError) in
            try softMarginLoss(x, t.floats("soft_margin", promotes: true), reduction: o.reduction)
        },
        LossSpec(name: "multilabel_soft_margin", summary: "one-versus-all logistic loss over the last axis (C) or (N, C)",
                 options: [weight, .reduction()]) { x, t, o throws(LossError) in
            try multilabelSoftMarginLoss(x, t.floats("multilabel_soft_margin", promotes: true), weight: o.tensor("weight"), reduction: o.reduction)
        },
        LossSpec(name: "multi_margin", summary: "multi-class hinge loss on (C) or (N, C) with class indices",
                 options: [O("p", .integer([1, 2]), default: .number(1), doc: "exponent of the hinge, 1 or 2"),
                           O("margin", .number(), default: .number(1), doc: "required score gap"),
                           classWeight, .reduction()]) { x, t, o throws(LossError) in
            try multiMarginLoss(x, t, p: o.integer("p"), margin: o.number("margin"), weight: o.tensor("weight"),
                                reduction: o.reduction)
        },
        LossSpec(name: "hinge_embedding", summary: "hinge loss for ±1 labels on distances",
                 options: [O("margin", .number(), default: .number(1), doc: "margin for negative pairs"),
                           .reduction()]) { x, t, o throws(LossError) in
            try hingeEmbeddingLoss(x, t.floats("hinge_embedding", promotes: true), margin: o.number("margin"), reduction: o.reduction)
        },
    ]
}
