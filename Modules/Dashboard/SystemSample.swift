import Foundation

/// What the system line shows about the process: CPU use (100% is one core busy) and resident
/// memory. Filled by the terminal layer (see ``SystemSampler``) at most once a second.
public struct SystemSample: Sendable, Equatable {
    public var cpuPercent: Double
    public var rssBytes: Int

    public init(cpuPercent: Double, rssBytes: Int) {
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
    }

    /// The system line's text, e.g. `cpu 187% · rss 142 MB`.
    public var text: String {
        let megabytes = Double(rssBytes) / 1_048_576
        let rss = megabytes >= 1024 ? String(format: "%.1f GB", megabytes / 1024) : String(format: "%.0f MB", megabytes)
        return "cpu \(Int(cpuPercent.rounded()))% · rss \(rss)"
    }
}

/// Turns readings of `/proc/self/stat` and `/proc/self/statm` into ``SystemSample``s: CPU % is
/// the CPU time used between two readings over the wall time between them. Pure: the caller
/// reads the files and the clock.
public struct SystemSampler: Sendable {
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`) and the page size in bytes.
    public let ticksPerSecond: Double
    public let pageSize: Int
    private var previous: (ticks: Int, seconds: Double)?

    public init(ticksPerSecond: Double, pageSize: Int) {
        self.ticksPerSecond = ticksPerSecond
        self.pageSize = pageSize
    }

    /// The sample for files read at wall time `seconds`; nil when a file does not parse or on
    /// the first reading (no interval yet to measure CPU use over).
    public mutating func sample(stat: String, statm: String, seconds: Double) -> SystemSample? {
        guard let ticks = Self.cpuTicks(stat: stat), let pages = Self.residentPages(statm: statm) else { return nil }
        defer { previous = (ticks, seconds) }
        guard let previous, seconds > previous.seconds else { return nil }
        let cpu = Double(ticks - previous.ticks) / ticksPerSecond / (seconds - previous.seconds) * 100
        return SystemSample(cpuPercent: max(0, cpu), rssBytes: pages * pageSize)
    }

    /// User plus system CPU time in clock ticks: fields 14 and 15 of `/proc/PID/stat`, counted
    /// after the command name's closing parenthesis (the name may hold spaces and parentheses).
    public static func cpuTicks(stat: String) -> Int? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) is the first.
        let fields = stat[stat.index(after: close)...].split(whereSeparator: \.isWhitespace)
        guard fields.count >= 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Resident pages: the second field of `/proc/PID/statm`.
    public static func residentPages(statm: String) -> Int? {
        let fields = statm.split(whereSeparator: \.isWhitespace)
        return fields.count >= 2 ? Int(fields[1]) : nil
    }
}
