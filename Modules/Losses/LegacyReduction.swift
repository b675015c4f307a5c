/// PyTorch's deprecated `size_average` and `reduce` loss options, which tutorials still
/// show (`torch.nn.BCELoss(weight=None, size_average=None, reduce=None, reduction='mean')`).
///
/// PyTorch's loss modules map them to `reduction` with a deprecation warning
/// (`torch/nn/_reduction.py`, `legacy_get_string`), and so does ``LossRegistry/make(name:options:)``:
/// when either is given (not `null`), each absent one counts as `true`, and
/// - `reduce: false` → `reduction: none`;
/// - else `size_average: true` → `mean`;
/// - else → `sum`;
///
/// replacing any `reduction` given alongside. Only the losses whose PyTorch module takes
/// them accept them (not `huber`, whose `HuberLoss` never had them, nor torchvision's
/// `sigmoid_focal`).
public enum LegacyReduction {
    /// The two option names.
    public static let optionNames = ["size_average", "reduce"]

    /// Built-in losses whose PyTorch module (a `torch.nn.modules.loss._Loss`) takes them.
    public static let builtInLosses: Set<String> = [
        "bce", "bce_with_logits", "cross_entropy", "nll", "mse", "l1", "smooth_l1", "kl_div", "poisson_nll",
        "soft_margin", "multilabel_soft_margin", "multi_margin", "hinge_embedding",
    ]

    /// PyTorch's `legacy_get_string`: the reduction for `size_average` and `reduce` (nil: `None`).
    public static func reduction(sizeAverage: Bool?, reduce: Bool?) -> LossReduction {
        let (sizeAverage, reduce) = (sizeAverage ?? true, reduce ?? true)
        return !reduce ? .none : sizeAverage ? .mean : .sum
    }

    /// The deprecation warning for a loss made with `options` (nil when they hold neither
    /// `size_average` nor `reduce`, or a value other than true or false, which `make` rejects),
    /// one line for the run's messages, e.g. `bce: size_average and reduce are deprecated
    /// (PyTorch maps size_average=false to reduction='sum'): write reduction: sum instead`.
    public static func warning(loss: String, options: [String: LossOption]) -> String? {
        do throws(LossError) { return try resolve(options, loss: loss).warning } catch { return nil }
    }

    /// `options` with `size_average` and `reduce` replaced by the `reduction` PyTorch maps them
    /// to, and the deprecation warning (nil when neither is given).
    /// - Throws: `LossError.badOption` for a value other than true or false.
    static func resolve(_ options: [String: LossOption], loss: String) throws(LossError)
        -> (options: [String: LossOption], warning: String?) {
        var flags: [String: Bool] = [:]
        for name in optionNames {
            guard let value = options[name] else { continue }
            guard case let .bool(flag) = value else {
                throw .badOption(loss: loss, option: name, value: value.description, expected: "true or false")
            }
            flags[name] = flag
        }
        guard !flags.isEmpty else { return (options, nil) }
        let chosen = reduction(sizeAverage: flags["size_average"], reduce: flags["reduce"])
        var resolved = options
        for name in optionNames { resolved[name] = nil }
        resolved["reduction"] = .string(chosen.rawValue)
        let given = optionNames.compactMap { name in flags[name].map { "\(name)=\($0)" } }.joined(separator: ", ")
        var warning = "\(loss): size_average and reduce are deprecated (PyTorch maps \(given) to reduction='\(chosen.rawValue)'): "
            + "write reduction: \(chosen.rawValue) instead"
        if case let .string(other)? = options["reduction"], other != chosen.rawValue {
            warning += "; the reduction: \(other) given with them is ignored, as in PyTorch"
        }
        return (resolved, warning)
    }
}
