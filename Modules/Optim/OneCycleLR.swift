import NN
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1cycle policy, as `torch.optim.lr_scheduler.OneCycleLR`; **steps per batch**.
///
/// With `initial = maxLR / divFactor` and `min = initial / finalDivFactor`,
/// the rate anneals (cosine or linear) through phases ending at step
/// (`P = pctStart · totalSteps`):
/// - two phases: `initial → maxLR` until `P − 1`, `maxLR → min` until `totalSteps − 1`;
/// - three phases: `initial → maxLR` until `P − 1`, `maxLR → initial` until
///   `2P − 2`, `initial → min` until `totalSteps − 1`.
///
/// Within a phase from step `a` to `b`, `pct = (t − a)/(b − a)` and
/// cos: `end + (start − end)·(1 + cos(π·pct))/2`; linear: `start + (end − start)·pct`.
/// With `cycleMomentum` (default, as PyTorch) `apply(to:)` also sets the
/// optimizer's momentum (SGD, RMSprop) or β₁ (Adam) to `momentum(at:)`, which
/// runs `maxMomentum → baseMomentum` and back, mirroring the rate; the
/// optimizer must then be `MomentumCyclable` (PyTorch raises otherwise; here it
/// is a precondition). PyTorch raises past `totalSteps`; here the rate holds at its value
/// for `t = totalSteps`.
public struct OneCycleLR: ClosedFormScheduler, Sendable {
    public enum Anneal: String, Sendable { case cos, linear }

    public let maxLR: Float
    public let totalSteps: Int
    public let pctStart: Float
    public let anneal: Anneal
    public let divFactor: Float
    public let finalDivFactor: Float
    public let threePhase: Bool
    public let baseMomentum: Float
    public let maxMomentum: Float
    public let cycleMomentum: Bool
    public var lastEpoch = 0

    /// - Precondition: `totalSteps > 0`, `0 ≤ pctStart ≤ 1`.
    public init(
        maxLR: Float, totalSteps: Int, pctStart: Float = 0.3, anneal: Anneal = .cos, divFactor: Float = 25,
        finalDivFactor: Float = 1e4, threePhase: Bool = false, cycleMomentum: Bool = true,
        baseMomentum: Float = 0.85, maxMomentum: Float = 0.95
    ) {
        precondition(totalSteps > 0, "OneCycleLR totalSteps must be positive, got \(totalSteps)")
        precondition(pctStart >= 0 && pctStart <= 1, "OneCycleLR pctStart must be in [0, 1], got \(pctStart)")
        self.maxLR = maxLR
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.anneal = anneal
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
        self.cycleMomentum = cycleMomentum
    }

    /// `totalSteps = epochs · stepsPerEpoch`, as PyTorch's alternative arguments.
    public init(maxLR: Float, epochs: Int, stepsPerEpoch: Int, pctStart: Float = 0.3, anneal: Anneal = .cos,
                divFactor: Float = 25, finalDivFactor: Float = 1e4, threePhase: Bool = false,
                cycleMomentum: Bool = true) {
        self.init(maxLR: maxLR, totalSteps: epochs * stepsPerEpoch, pctStart: pctStart, anneal: anneal,
                  divFactor: divFactor, finalDivFactor: finalDivFactor, threePhase: threePhase,
                  cycleMomentum: cycleMomentum)
    }

    /// The starting rate, `maxLR / divFactor`.
    public var initialLR: Float { Float(Double(maxLR) / Double(divFactor)) }
    /// The final rate, `initialLR / finalDivFactor`.
    public var minLR: Float { Float(Double(maxLR) / Double(divFactor) / Double(finalDivFactor)) }

    /// Phase ends and the (rate, momentum) endpoints of each phase.
    private var phases: [(end: Double, lr: (Double, Double), momentum: (Double, Double))] {
        let initial = Double(maxLR) / Double(divFactor)
        let minimum = initial / Double(finalDivFactor)
        let peak = Double(maxLR), up = Double(pctStart) * Double(totalSteps)
        let low = Double(baseMomentum), high = Double(maxMomentum)
        let last = Double(totalSteps - 1)
        if threePhase {
            return [(up - 1, (initial, peak), (high, low)),
                    (2 * up - 2, (peak, initial), (low, high)),
                    (last, (initial, minimum), (high, high))]
        }
        return [(up - 1, (initial, peak), (high, low)), (last, (peak, minimum), (low, high))]
    }

    private func interpolate(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch anneal {
        case .cos: end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
        case .linear: (end - start) * pct + start
        }
    }

    private func evaluate(_ t: Int, momentum: Bool) -> Double {
        let step = Double(min(max(t, 0), totalSteps))
        var start = 0.0
        let phases = phases
        for (i, phase) in phases.enumerated() {
            if step <= phase.end || i == phases.count - 1 {
                let pct = (step - start) / (phase.end - start)
                let (a, b) = momentum ? phase.momentum : phase.lr
                return interpolate(a, b, pct)
            }
            start = phase.end
        }
        return Double(maxLR)
    }

    public func learningRate(at t: Int) -> Float { Float(evaluate(t, momentum: false)) }

    /// The cycled momentum (or Adam's β₁) after `t` steps.
    public func momentum(at t: Int) -> Float { Float(evaluate(t, momentum: true)) }

    /// Sets the optimizer's rate and, with `cycleMomentum`, its momentum or β₁.
    public func apply(to optimizer: any Optimizer) {
        optimizer.learningRate = learningRate
        guard cycleMomentum else { return }
        guard let cyclable = optimizer as? any MomentumCyclable else {
            preconditionFailure("optimizer must support momentum or beta1 with cycleMomentum enabled")
        }
        cyclable.momentumOrBeta1 = momentum(at: lastEpoch)
    }
}
