/// Builds the optimizer an `optimizer:` section names.
public enum OptimizerFactory {
    public static func make(_ config: OptimizerConfig, parameters: [Parameter]) throws(OptimizerError) -> any Optimizer {
        let lr = Float(config.lr), decay = Float(config.weightDecay)
        switch config.kind {
        case let .sgd(momentum, dampening, nesterov):
            return try SGD(parameters: parameters, lr: lr, momentum: Float(momentum), dampening: Float(dampening),
                           nesterov: nesterov, weightDecay: decay)
        case let .adam(beta1, beta2, eps, amsgrad, decoupled):
            let betas = (Float(beta1), Float(beta2))
            return decoupled
                ? try AdamW(parameters: parameters, lr: lr, betas: betas, eps: Float(eps), weightDecay: decay, amsgrad: amsgrad)
                : try Adam(parameters: parameters, lr: lr, betas: betas, eps: Float(eps), weightDecay: decay, amsgrad: amsgrad)
        case let .rmsprop(alpha, eps, momentum, centered):
            return try RMSprop(parameters: parameters, lr: lr, alpha: Float(alpha), eps: Float(eps), weightDecay: decay,
                               momentum: Float(momentum), centered: centered)
        }
    }
}

/// Drives a learning-rate scheduler from the trainer: per batch for
/// one-cycle, per epoch (with the monitored validation value for
/// reduce-on-plateau) for the rest.
public struct SchedulerDriver {
    var scheduler: any LearningRateScheduler
    let perBatch: Bool
    let usesMetric: Bool
    var applied = false

    public init(_ config: SchedulerConfig, baseLR: Float, epochs: Int, stepsPerEpoch: Int) {
        perBatch = if case .oneCycle = config.kind { true } else { false }
        usesMetric = if case .plateau = config.kind { true } else { false }
        switch config.kind {
        case let .step(stepSize, gamma): scheduler = StepLR(baseLR: baseLR, stepSize: stepSize, gamma: Float(gamma))
        case let .multiStep(milestones, gamma): scheduler = MultiStepLR(baseLR: baseLR, milestones: milestones, gamma: Float(gamma))
        case let .exponential(gamma): scheduler = ExponentialLR(baseLR: baseLR, gamma: Float(gamma))
        case let .cosine(tMax, etaMin): scheduler = CosineAnnealingLR(baseLR: baseLR, tMax: tMax ?? epochs, etaMin: Float(etaMin))
        case let .oneCycle(maxLR, pctStart):
            scheduler = OneCycleLR(maxLR: Float(maxLR ?? Double(baseLR)), totalSteps: max(epochs * stepsPerEpoch, 1),
                                   pctStart: Float(pctStart))
        case let .linearWarmup(startFactor, totalIters):
            scheduler = LinearLR(baseLR: baseLR, startFactor: Float(startFactor), totalIters: totalIters)
        case let .plateau(mode, factor, patience, threshold, minLR):
            scheduler = ReduceLROnPlateau(baseLR: baseLR, mode: mode == "max" ? .max : .min, factor: Float(factor),
                                          patience: patience, threshold: Float(threshold), minLR: Float(minLR))
        }
    }

    /// Sets the initial learning rate (once) before the first step.
    mutating func start(_ optimizer: any Optimizer, resumingAt epoch: Int, step: Int) {
        guard !applied else { return }
        applied = true
        if var closed = scheduler as? any ClosedFormScheduler {
            closed.lastEpoch = perBatch ? step : epoch
            scheduler = closed
            optimizer.learningRate = closed.learningRate(at: closed.lastEpoch)
        } else {
            scheduler.apply(to: optimizer)
        }
    }

    mutating func batchEnded(optimizer: any Optimizer) {
        if perBatch { _ = scheduler.step(optimizer, metric: nil) }
    }

    mutating func epochEnded(metric: Double?, optimizer: any Optimizer) {
        guard !perBatch else { return }
        if usesMetric, metric == nil { return }
        _ = scheduler.step(optimizer, metric: usesMetric ? metric.map(Float.init) : nil)
    }
}
