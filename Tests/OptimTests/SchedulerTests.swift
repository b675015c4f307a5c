import Testing
@testable import Optim
import NN

/// PyTorch sequences from `bench/optim_reference.py` (base lr 0.1 unless noted):
/// element t is the optimizer's lr after t calls to `scheduler.step()`.
private enum Reference {
    static let stepLR: [Double] = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125]
    static let multiStepLR: [Double] = [0.1, 0.1, 0.01, 0.01, 0.01, 0.0001, 0.0001, 0.0001, 0.0001]
    static let exponentialLR: [Double] = [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441]
    static let cosineAnnealingLR: [Double] = [0.1, 0.0939711432, 0.0775, 0.055, 0.0325, 0.0160288568, 0.01, 0.0160288568, 0.0325, 0.055, 0.0775, 0.0939711432, 0.1, 0.0939711432, 0.0775]
    static let linearLR: [Double] = [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1, 0.1]
    static let linearLRDefault: [Double] = [0.0333333333, 0.0466666667, 0.06, 0.0733333333, 0.0866666667, 0.1, 0.1, 0.1]
    static let oneCycle: [Double] = [0.04, 0.52, 1, 0.950484632, 0.811745654, 0.611262022, 0.388741978, 0.188258346, 0.049519368, 4e-06]
    static let oneCycleMomentum: [Double] = [0.95, 0.9, 0.85, 0.854951557, 0.86882551, 0.888873953, 0.911126047, 0.93117449, 0.945048443, 0.95]
    static let oneCycleThreePhaseLinear: [Double] = [0.05, 0.275, 0.5, 0.275, 0.05, 0.0429285714, 0.0358571429, 0.0287857143, 0.0217142857, 0.0146428571, 0.00757142857, 0.0005]
    static let oneCycleThreePhaseLinearMomentum: [Double] = [0.95, 0.9, 0.85, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]
    // plateau min metrics [1, 0.9, 0.95, 0.91, 0.92, 0.9, 0.89999, 0.95, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1]
    static let plateauMin: [Double] = [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02]
    // plateau max/abs metrics [0.5, 0.6, 0.65, 0.62, 0.655, 0.7, 0.7, 0.69, 0.705, 0.72]
    static let plateauMaxAbs: [Double] = [0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001]
}

/// The rates after 0…n steps.
private func sequence<S: LearningRateScheduler>(_ scheduler: S, steps: Int, metrics: [Float]? = nil) -> [Float] {
    var scheduler = scheduler
    var rates = [scheduler.learningRate]
    for i in 0..<steps { rates.append(scheduler.step(metric: metrics?[i])) }
    return rates
}

private func expectClose(_ actual: [Float], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (t, (a, e)) in zip(actual, expected).enumerated() {
        #expect(abs(Double(a) - e) <= 1e-6 * max(abs(e), 1e-3), "t = \(t): \(a) vs \(e)", sourceLocation: sourceLocation)
    }
}

@Suite struct SchedulerTests {
    @Test func stepLR() {
        expectClose(sequence(StepLR(baseLR: 0.1, stepSize: 3, gamma: 0.5), steps: 10), Reference.stepLR)
    }

    @Test func multiStepLRCountsRepeatedMilestones() {
        expectClose(sequence(MultiStepLR(baseLR: 0.1, milestones: [5, 2, 5], gamma: 0.1), steps: 8), Reference.multiStepLR)
    }

    @Test func exponentialLR() {
        expectClose(sequence(ExponentialLR(baseLR: 0.1, gamma: 0.9), steps: 6), Reference.exponentialLR)
    }

    @Test func cosineAnnealingContinuesPastTMax() {
        expectClose(sequence(CosineAnnealingLR(baseLR: 0.1, tMax: 6, etaMin: 0.01), steps: 14), Reference.cosineAnnealingLR)
    }

    @Test func linearWarmup() {
        expectClose(sequence(LinearWarmup(baseLR: 0.1, startFactor: 0.25, totalIters: 4), steps: 7), Reference.linearLR)
        expectClose(sequence(LinearLR(baseLR: 0.1), steps: 7), Reference.linearLRDefault)
    }

    @Test func oneCycle() {
        let schedule = OneCycleLR(maxLR: 1.0, totalSteps: 10)
        expectClose(sequence(schedule, steps: 9), Reference.oneCycle)
        expectClose((0..<10).map(schedule.momentum(at:)), Reference.oneCycleMomentum)
    }

    /// As PyTorch with `cycle_momentum=True`: the optimizer's momentum (SGD) or β₁ (Adam) follows the cycle.
    @Test func oneCycleDrivesOptimizerMomentum() throws {
        let sgd = try SGD(parameters: [], lr: 0.1, momentum: 0.9)
        var schedule = OneCycleLR(maxLR: 1.0, totalSteps: 10)
        schedule.apply(to: sgd)
        var rates = [sgd.learningRate], momenta = [sgd.options.momentum]
        for _ in 0..<9 {
            schedule.step(sgd)
            rates.append(sgd.learningRate)
            momenta.append(sgd.options.momentum)
        }
        expectClose(rates, Reference.oneCycle)
        expectClose(momenta, Reference.oneCycleMomentum)
        let adam = try Adam(parameters: [])
        schedule.apply(to: adam)
        #expect(adam.options.beta1 == schedule.momentum(at: 9) && adam.options.beta2 == 0.999)
        let fixed = OneCycleLR(maxLR: 1.0, totalSteps: 10, cycleMomentum: false)
        fixed.apply(to: sgd)
        #expect(sgd.learningRate == 0.04 && sgd.options.momentum == schedule.momentum(at: 9))
    }

    @Test func oneCycleThreePhaseLinear() {
        let schedule = OneCycleLR(maxLR: 0.5, totalSteps: 12, pctStart: 0.25, anneal: .linear, divFactor: 10,
                                  finalDivFactor: 100, threePhase: true)
        expectClose(sequence(schedule, steps: 11), Reference.oneCycleThreePhaseLinear)
        expectClose((0..<12).map(schedule.momentum(at:)), Reference.oneCycleThreePhaseLinearMomentum)
    }

    @Test func plateauMinRelativeWithCooldownAndFloor() {
        let metrics: [Float] = [1, 0.9, 0.95, 0.91, 0.92, 0.9, 0.89999, 0.95, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1]
        let scheduler = ReduceLROnPlateau(baseLR: 0.1, factor: 0.5, patience: 2, cooldown: 1, minLR: 0.02)
        expectClose(sequence(scheduler, steps: metrics.count, metrics: metrics), Reference.plateauMin)
    }

    @Test func plateauMaxAbsolute() {
        let metrics: [Float] = [0.5, 0.6, 0.65, 0.62, 0.655, 0.7, 0.7, 0.69, 0.705, 0.72]
        let scheduler = ReduceLROnPlateau(baseLR: 0.1, mode: .max, factor: 0.1, patience: 1, threshold: 0.01,
                                          thresholdMode: .absolute)
        expectClose(sequence(scheduler, steps: metrics.count, metrics: metrics), Reference.plateauMaxAbs)
    }

    @Test func plateauDefaultsAndNilMetric() {
        var scheduler = ReduceLROnPlateau(baseLR: 0.1)
        #expect(scheduler.factor == 0.1 && scheduler.patience == 10 && scheduler.threshold == 1e-4)
        #expect(scheduler.mode == .min && scheduler.thresholdMode == .relative && scheduler.cooldown == 0 && scheduler.minLR == 0)
        #expect(scheduler.step() == 0.1 && scheduler.lastEpoch == 0)
    }

    @Test func stepWritesOptimizerRateAndResumes() throws {
        let sgd = try SGD(parameters: [], lr: 0.1)
        var scheduler = StepLR(baseLR: 0.1, stepSize: 1, gamma: 0.5)
        scheduler.step(sgd)
        scheduler.step(sgd)
        #expect(sgd.learningRate == 0.025)
        var resumed = StepLR(baseLR: 0.1, stepSize: 1, gamma: 0.5)
        resumed.lastEpoch = 2
        #expect(resumed.learningRate == scheduler.learningRate)
    }
}
