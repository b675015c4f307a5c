import Foundation

/// Short, fixed-style renderings of numbers and durations for the dashboard.
public enum NumberFormat {
    /// A compact number for axis labels and figures (at most 7 characters), e.g. `0.2314`, `12.5`, `3.1k`, `2.0e-05`.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        switch magnitude {
        case 0: return "0"
        case 100_000...: return String(format: "%.1e", value)
        case 1000...: return String(format: "%.1fk", value / 1000)
        case 100...: return String(format: "%.0f", value)
        case 10...: return String(format: "%.1f", value)
        case 0.01...: return String(format: "%.4f", value)
        default: return String(format: "%.1e", value)
        }
    }

    /// An x-axis position: whole numbers below 1000 without decimals, others below 1000 with at
    /// most two (e.g. `5.5` for a zoomed epoch axis), otherwise ``compact(_:)``.
    public static func axisX(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1000 else { return compact(value) }
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A fraction as a percentage with one decimal, e.g. `97.3%`.
    public static func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.1f%%", fraction * 100) : "–"
    }

    /// A fixed-decimals number (loss values), e.g. `0.2314`.
    public static func fixed(_ value: Double, decimals: Int = 4) -> String {
        value.isFinite ? String(format: "%.\(decimals)f", value) : (value.isNaN ? "NaN" : "inf")
    }

    /// A rate with one decimal and thousands grouping below a million, e.g. `1,234.5`.
    public static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return value >= 1_000_000 ? String(format: "%.2fM", value / 1_000_000) : groupedTenths(value)
    }

    /// An integer with thousands separators, e.g. `203,530`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Seconds as `h:mm:ss` (or `mm:ss` under an hour).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let hours = total / 3600, minutes = total / 60 % 60, secs = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%02d:%02d", minutes, secs)
    }

    private static func groupedTenths(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return (value < 0 ? "-" : "") + grouped(tenths / 10) + "." + String(tenths % 10)
    }
}
