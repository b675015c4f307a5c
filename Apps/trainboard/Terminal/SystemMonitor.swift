import Dashboard
import Foundation

/// Reads `/proc/self/stat` and `/proc/self/statm` at most once a second for the system line
/// (the parsing and the CPU % are ``SystemSampler``'s, in the pure Dashboard module).
final class SystemMonitor {
    private var sampler = SystemSampler(ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))), pageSize: sysconf(Int32(_SC_PAGESIZE)))
    private var lastRead = -Double.infinity

    /// A new sample when a second has passed since the last reading (and the files parse),
    /// else nil: keep showing the previous one.
    func poll() -> SystemSample? {
        let now = ProcessInfo.processInfo.systemUptime
        guard now - lastRead >= 1 else { return nil }
        lastRead = now
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        return sampler.sample(stat: stat, statm: statm, seconds: now)
    }
}
