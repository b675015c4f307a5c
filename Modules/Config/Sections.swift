import Losses
import Metrics
import Optim
import Training

/// `loss:` — a registry name, its options (PyTorch keyword names) and plugin libraries.
public struct LossConfig: Sendable {
    public var name: String
    /// Options passed to the loss registry, which validates them.
    public var options: [String: LossOption]
    /// The options as the file wrote them, for the dashboard's header.
    public var optionText: [String: String]
    public var plugins: [String]

    init(_ r: ConfigReader) throws(ConfigError) {
        name = try r.string("name", default: "cross_entropy")!
        plugins = try r.stringList("plugins")
        options = [:]
        optionText = [:]
        for key in r.remainingKeys {
            guard let value = r.passThrough(key) else { continue }
            // The one mapping `LossOption(parsed:)` applies to JSON case files too.
            guard let option = LossOption(parsed: value.plain) else {
                throw ConfigError.wrongType(file: r.file, line: nil, path: "loss.\(key)",
                                            expected: "a number, boolean, string or list of numbers", found: value.kind)
            }
            options[key] = option
            optionText[key] = value.inline
        }
    }
}

/// `optimizer:` — PyTorch's optimizer names and keyword arguments; defaults are
/// the optimizers' own (`SGD.Options.defaults`, …).
public struct OptimizerConfig: Sendable {
    public var options: OptimizerOptions
    /// Clip the global gradient norm to this value before each step.
    public var clipGradNorm: Float?

    init(_ r: ConfigReader) throws(ConfigError) {
        let name = try r.choice("name", among: ["sgd", "adam", "adamw", "rmsprop"], default: "adam")
        clipGradNorm = try r.double("clip_grad_norm", range: 0...1e9).map(Float.init)
        switch name {
        case "sgd":
            let d = SGD.Options.defaults
            options = .sgd(SGD.Options(
                lr: try r.float("lr", default: d.lr, range: 0...10), momentum: try r.float("momentum", default: d.momentum, range: 0...1),
                dampening: try r.float("dampening", default: d.dampening, range: 0...1),
                nesterov: try r.bool("nesterov", default: d.nesterov),
                weightDecay: try r.float("weight_decay", default: d.weightDecay, range: 0...10)))
        case "rmsprop":
            let d = RMSprop.Options.defaults
            options = .rmsprop(RMSprop.Options(
                lr: try r.float("lr", default: d.lr, range: 0...10), alpha: try r.float("alpha", default: d.alpha, range: 0...1),
                eps: try r.float("eps", default: d.eps, range: 0...1),
                weightDecay: try r.float("weight_decay", default: d.weightDecay, range: 0...10),
                momentum: try r.float("momentum", default: d.momentum, range: 0...1),
                centered: try r.bool("centered", default: d.centered)))
        default:
            let d = name == "adamw" ? Adam.Options.adamW : Adam.Options.defaults
            let lr = try r.float("lr", default: d.lr, range: 0...10)
            let weightDecay = try r.float("weight_decay", default: d.weightDecay, range: 0...10)
            var betas = d.betas
            if let value = r.passThrough("betas") {
                let numbers: [Double]? = if case .list(let items) = value {
                    items.compactMap { if case .double(let d) = $0 { d } else if case .int(let i) = $0 { Double(i) } else { nil } }
                } else { nil }
                guard let numbers, numbers.count == 2, numbers.allSatisfy({ (0..<1).contains($0) }) else {
                    throw r.badValue("betas", value.inline, expected: "two numbers in [0, 1), e.g. [0.9, 0.999]")
                }
                betas = (Float(numbers[0]), Float(numbers[1]))
            }
            let adam = Adam.Options(lr: lr, betas: betas, eps: try r.float("eps", default: d.eps, range: 0...1),
                                    weightDecay: weightDecay, amsgrad: try r.bool("amsgrad", default: d.amsgrad))
            options = name == "adamw" ? .adamW(adam) : .adam(adam)
        }
    }
}

extension SchedulerOptions {
    /// `scheduler:` — a learning-rate schedule, or nil for `name: none` (the default).
    static func read(_ r: ConfigReader) throws(ConfigError) -> SchedulerOptions? {
        let names = ["none", "step", "multistep", "exponential", "cosine", "one_cycle", "linear_warmup", "plateau"]
        switch try r.choice("name", among: names, default: "none") {
        case "step":
            return .step(stepSize: try r.int("step_size", default: 10, range: 1...Int.max),
                         gamma: try r.double("gamma", default: 0.1, range: 0...1))
        case "multistep":
            return .multiStep(milestones: try r.intList("milestones", default: [])!,
                              gamma: try r.double("gamma", default: 0.1, range: 0...1))
        case "exponential":
            return .exponential(gamma: try r.double("gamma", default: 0.9, range: 0...1))
        case "cosine":
            return .cosine(tMax: try r.int("t_max", default: nil, range: 1...Int.max),
                           etaMin: try r.double("eta_min", default: 0, range: 0...10))
        case "one_cycle":
            return .oneCycle(maxLR: try r.double("max_lr", range: 0...10),
                             pctStart: try r.double("pct_start", default: 0.3, range: 0...1))
        case "linear_warmup":
            return .linearWarmup(startFactor: try r.double("start_factor", default: 1.0 / 3, range: 1e-8...1),
                                 totalIters: try r.int("total_iters", default: 5, range: 1...Int.max))
        case "plateau":
            return .plateau(mode: try r.choice("mode", default: ReduceLROnPlateau.Mode.min),
                            factor: try r.double("factor", default: 0.1, range: 0...0.999),
                            patience: try r.int("patience", default: 10, range: 0...Int.max),
                            threshold: try r.double("threshold", default: 1e-4, range: 0...1),
                            minLR: try r.double("min_lr", default: 0, range: 0...10))
        default:
            return nil
        }
    }
}

/// `trainer:` — how long to train, when to validate, when to stop, where to save.
public struct TrainerConfig: Sendable {
    /// `early_stopping:` — Lightning's `EarlyStopping(monitor, mode, patience, min_delta)`.
    public struct EarlyStoppingConfig: Sendable, Equatable {
        public var monitor: Monitor
        public var patience: Int
        public var minDelta: Double
    }

    /// `max_epochs`, `max_steps`, `accumulate_grad_batches` (and `optimizer.clip_grad_norm`, filled in by `RunConfig`).
    public var options: TrainerOptions
    /// `validate_every` epochs, or `validate_every_steps` steps.
    public var validation: ValidationSchedule.Interval
    /// `log_every_n_steps` (Lightning's name; the older spelling `log_every_steps` is still read,
    /// the new one wins when both are given):
    /// every Nth step's `batch_end` goes to `events.jsonl` (and the latest one before any other
    /// event: epoch end, checkpoint, stop, so the file's curve reaches every epoch's end) and a
    /// row to `metrics.csv`. Epoch events are always written; the live dashboard sees every step
    /// in memory. Default ``defaultLogEveryNSteps``.
    public var logEverySteps: Int
    /// 20: a 1,000,000-step run writes ~7 MB of events instead of ~150 MB (watch opens it in a
    /// fraction of a second), and a fast model (~10 µs a step) does not spend its time encoding
    /// JSON lines; the charts of `watch` and `plot` keep ≥ 50 points per 1,000 steps, more than a
    /// terminal column shows. Also `metrics.csv`'s interval before the key had this name.
    public static let defaultLogEveryNSteps = 20
    public var earlyStopping: EarlyStoppingConfig?
    public var checkpointDir: String?
    /// Continue a run from this checkpoint.
    public var resume: String?

    init(_ r: ConfigReader) throws(ConfigError) {
        let defaults = TrainerOptions()
        options = TrainerOptions(maxEpochs: try r.int("max_epochs", default: defaults.maxEpochs, range: 1...100_000),
                                 maxSteps: try r.int("max_steps", default: nil, range: 1...Int.max),
                                 accumulateGradBatches: try r.int("accumulate_grad_batches", default: defaults.accumulateGradBatches,
                                                                  range: 1...100_000))
        let everyEpochs = try r.int("validate_every", default: 1, range: 1...100_000)
        validation = try r.int("validate_every_steps", default: nil, range: 1...Int.max).map { .steps($0) } ?? .epochs(everyEpochs)
        // The older spelling is read only when present (so print-config shows the new name), and
        // loses to the new one (a `--set trainer.log_every_n_steps=…` over an older config).
        let older = r.presentKeys.contains("log_every_steps") ? try r.int("log_every_steps", range: 1...1_000_000) : nil
        logEverySteps = try r.int("log_every_n_steps", default: older ?? Self.defaultLogEveryNSteps, range: 1...1_000_000)
        checkpointDir = try r.string("checkpoint_dir")
        resume = try r.string("resume")
        let es = try r.section("early_stopping")
        if es.presentKeys.isEmpty {
            earlyStopping = nil
            try es.finish()
        } else {
            let d = EarlyStopping()
            let name = try es.string("monitor", default: d.monitor.description)!
            let mode = try es.choice("mode", among: [("auto", nil), ("min", Monitor.Mode.min), ("max", .max)], default: "auto")
            guard let monitor = Monitor(name: name, mode: mode) else {
                throw es.badValue("monitor", "'\(name)'", expected: "val_ followed by one of "
                    + Metric.allCases.map(\.rawValue).joined(separator: ", "))
            }
            earlyStopping = EarlyStoppingConfig(monitor: monitor, patience: try es.int("patience", default: d.patience, range: 0...Int.max),
                                                minDelta: try es.double("min_delta", default: d.minDelta, range: 0...1e9))
        }
    }
}
