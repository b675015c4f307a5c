/// `optimizer:` — PyTorch's optimizer names and keyword arguments.
public struct OptimizerConfig: Sendable {
    public enum Kind: Sendable, Equatable {
        case sgd(momentum: Double, dampening: Double, nesterov: Bool)
        case adam(beta1: Double, beta2: Double, eps: Double, amsgrad: Bool, decoupled: Bool)
        case rmsprop(alpha: Double, eps: Double, momentum: Double, centered: Bool)
    }

    public var name: String
    public var lr: Double
    public var weightDecay: Double
    public var kind: Kind
    /// Clip the global gradient norm to this value before each step.
    public var clipGradNorm: Double?

    init(_ r: ConfigReader) throws(ConfigError) {
        name = try r.choice("name", among: ["sgd", "adam", "adamw", "rmsprop"], default: "adam")
        let defaultLR: Double = switch name { case "sgd": 0.01; case "rmsprop": 0.01; default: 0.001 }
        lr = try r.double("lr", default: defaultLR, range: 0...10)
        weightDecay = try r.double("weight_decay", default: name == "adamw" ? 0.01 : 0, range: 0...10)
        clipGradNorm = try r.double("clip_grad_norm", range: 0...1e9)
        switch name {
        case "sgd":
            kind = .sgd(momentum: try r.double("momentum", default: 0, range: 0...1),
                        dampening: try r.double("dampening", default: 0, range: 0...1),
                        nesterov: try r.bool("nesterov", default: false))
        case "rmsprop":
            kind = .rmsprop(alpha: try r.double("alpha", default: 0.99, range: 0...1),
                            eps: try r.double("eps", default: 1e-8, range: 0...1),
                            momentum: try r.double("momentum", default: 0, range: 0...1),
                            centered: try r.bool("centered", default: false))
        default:
            let betas = r.passThrough("betas")
            var b1 = 0.9, b2 = 0.999
            if let betas {
                let numbers: [Double]? = if case .list(let items) = betas {
                    items.compactMap { if case .double(let d) = $0 { d } else if case .int(let i) = $0 { Double(i) } else { nil } }
                } else { nil }
                guard let numbers, numbers.count == 2, numbers.allSatisfy({ (0..<1).contains($0) }) else {
                    throw r.badValue("betas", betas.inline, expected: "two numbers in [0, 1), e.g. [0.9, 0.999]")
                }
                (b1, b2) = (numbers[0], numbers[1])
            }
            kind = .adam(beta1: b1, beta2: b2, eps: try r.double("eps", default: 1e-8, range: 0...1),
                         amsgrad: try r.bool("amsgrad", default: false), decoupled: name == "adamw")
        }
    }
}

/// `scheduler:` — a learning-rate schedule, or none.
public struct SchedulerConfig: Sendable {
    public enum Kind: Sendable, Equatable {
        case step(stepSize: Int, gamma: Double)
        case multiStep(milestones: [Int], gamma: Double)
        case exponential(gamma: Double)
        case cosine(tMax: Int?, etaMin: Double)
        case oneCycle(maxLR: Double?, pctStart: Double)
        case linearWarmup(startFactor: Double, totalIters: Int)
        case plateau(mode: String, factor: Double, patience: Int, threshold: Double, minLR: Double)
    }

    public var kind: Kind

    init?(_ r: ConfigReader) throws(ConfigError) {
        let names = ["none", "step", "multistep", "exponential", "cosine", "one_cycle", "linear_warmup", "plateau"]
        let name = try r.choice("name", among: names, default: "none")
        switch name {
        case "step":
            kind = .step(stepSize: try r.int("step_size", default: 10, range: 1...Int.max),
                         gamma: try r.double("gamma", default: 0.1, range: 0...1))
        case "multistep":
            kind = .multiStep(milestones: try r.intList("milestones", default: [])!,
                              gamma: try r.double("gamma", default: 0.1, range: 0...1))
        case "exponential":
            kind = .exponential(gamma: try r.double("gamma", default: 0.9, range: 0...1))
        case "cosine":
            kind = .cosine(tMax: try r.int("t_max", default: nil, range: 1...Int.max),
                           etaMin: try r.double("eta_min", default: 0, range: 0...10))
        case "one_cycle":
            kind = .oneCycle(maxLR: try r.double("max_lr", range: 0...10),
                             pctStart: try r.double("pct_start", default: 0.3, range: 0...1))
        case "linear_warmup":
            kind = .linearWarmup(startFactor: try r.double("start_factor", default: 1.0 / 3, range: 1e-8...1),
                                 totalIters: try r.int("total_iters", default: 5, range: 1...Int.max))
        case "plateau":
            kind = .plateau(mode: try r.choice("mode", among: ["min", "max"], default: "min"),
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
    public struct EarlyStopping: Sendable {
        public var monitor: String
        public var mode: String
        public var patience: Int
        public var minDelta: Double
    }

    public var maxEpochs: Int
    public var maxSteps: Int?
    /// Validate every N epochs (and after the last).
    public var validateEvery: Int
    /// Validate every N steps instead (and after the last step).
    public var validateEverySteps: Int?
    /// Append a `metrics.csv` row and a dashboard event every N steps.
    public var logEverySteps: Int
    public var earlyStopping: EarlyStopping?
    public var checkpointDir: String?
    /// Continue a run from this checkpoint.
    public var resume: String?

    init(_ r: ConfigReader) throws(ConfigError) {
        maxEpochs = try r.int("max_epochs", default: 5, range: 1...100_000)
        maxSteps = try r.int("max_steps", default: nil, range: 1...Int.max)
        validateEvery = try r.int("validate_every", default: 1, range: 1...100_000)
        validateEverySteps = try r.int("validate_every_steps", default: nil, range: 1...Int.max)
        logEverySteps = try r.int("log_every_steps", default: 20, range: 1...1_000_000)
        checkpointDir = try r.string("checkpoint_dir")
        resume = try r.string("resume")
        let es = try r.section("early_stopping")
        if es.presentKeys.isEmpty {
            earlyStopping = nil
            try es.finish()
        } else {
            earlyStopping = EarlyStopping(
                monitor: try es.string("monitor", default: "val_loss")!,
                mode: try es.choice("mode", among: ["min", "max"], default: "min"),
                patience: try es.int("patience", default: 3, range: 0...Int.max),
                minDelta: try es.double("min_delta", default: 0, range: 0...1e9))
        }
    }
}
