/// The x range the charts show: the whole run, or its last `N` steps (the per-epoch charts show
/// the epochs those steps cover). The zoom key cycles through ``offered`` windows smaller than
/// the run, narrowest last, then back to the whole run.
public enum XZoom: Sendable, Equatable {
    case whole
    case lastSteps(Int)

    /// The windows the zoom key offers, widest first.
    public static let offered = [100_000, 10_000, 1_000, 100]

    /// The cycle for a run of `runSteps` steps: the whole run, then the offered windows smaller
    /// than the run, widest first.
    public static func cycle(runSteps: Int) -> [XZoom] {
        [.whole] + offered.filter { $0 < runSteps }.map(XZoom.lastSteps)
    }

    /// The next state of the cycle (`forward`: narrower, wrapping back to the whole run); the
    /// whole run when this one is not offered for `runSteps`.
    public func cycled(forward: Bool, runSteps: Int) -> XZoom {
        Cycle.step(self, in: Self.cycle(runSteps: runSteps), forward: forward)
    }

    /// The width of the visible x range on an axis whose unit holds `stepsPerUnit` steps (1 for
    /// steps, steps per epoch for epochs); nil for the whole run.
    public func window(stepsPerUnit: Double) -> Double? {
        guard case .lastSteps(let steps) = self, stepsPerUnit > 0 else { return nil }
        return Double(steps) / stepsPerUnit
    }

    /// The note in chart titles, e.g. `last 1k steps`; nil for the whole run.
    public var label: String? {
        guard case .lastSteps(let steps) = self else { return nil }
        let short = steps >= 1000 && steps % 1000 == 0 ? "\(steps / 1000)k" : String(steps)
        return "last \(short) steps"
    }
}
