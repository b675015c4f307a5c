import Foundation

/// The smoothing of the running loss curve: an exponential moving average with the debiasing
/// correction (see ``ExponentialAverage``) of one of a few fixed weights.
public enum Smoothing: Int, CaseIterable, Sendable {
    case off, light, medium, heavy

    /// The weight `w` of the previous average: 0, 0.6, 0.9 or 0.99.
    public var weight: Double {
        switch self {
        case .off: 0
        case .light: 0.6
        case .medium: 0.9
        case .heavy: 0.99
        }
    }

    /// The note in chart titles, e.g. `smooth 0.90`; nil when off.
    public var label: String? {
        self == .off ? nil : "smooth " + String(format: "%.2f", weight)
    }
}
