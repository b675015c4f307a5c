import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cleaning up after writes that never finished: a process killed (SIGKILL, power loss)
/// between creating its temporary file and the rename leaves `.<name>.<pid>.<uuid>.tmp`
/// behind. The next write to that directory removes such files, but only those of the
/// writer's exact pattern whose process is gone, or is this process and not one of its
/// writes in progress, so a concurrent writer's temporary file is never pulled away.
extension AtomicFile {
    /// The temporary files of this process's writes in progress.
    private static let inProgress = Mutex<Set<String>>([])

    /// The temporary file name for a write to `name` by this process.
    static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid()).\(UUID().uuidString).tmp"
    }

    /// Marks `path` as a temporary file of a write in progress (`true`) or finished (`false`).
    static func track(_ path: String, inProgress flag: Bool) {
        inProgress.withLock { paths in
            if flag { paths.insert(path) } else { paths.remove(path) }
        }
    }

    /// The destination name and process id encoded in a temporary file name of the writer's
    /// pattern (`.<name>.<pid>.<uuid>.tmp`), or nil for any other name.
    static func temporaryOwner(of fileName: String) -> (destination: String, pid: Int32)? {
        guard fileName.hasPrefix("."), fileName.hasSuffix(".tmp") else { return nil }
        var parts = fileName.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let uuid = parts.popLast(), UUID(uuidString: String(uuid)) != nil,
              let digits = parts.popLast(), !digits.isEmpty, digits.allSatisfy(\.isASCII),
              let pid = Int32(digits), pid > 0 else { return nil }
        let destination = parts.joined(separator: ".")
        return destination.isEmpty ? nil : (destination, pid)
    }

    /// Whether the process `pid` exists (a process of another user counts).
    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the temporary files that unfinished writes left in `directory`.
    /// - Parameters:
    ///   - directory: where to look (not recursively).
    ///   - destination: only the temporaries of writes to this file name; nil: of any name.
    /// - Returns: the paths removed. Files that cannot be listed or removed are left as they are.
    @discardableResult
    public static func removeStaleTemporaries(in directory: URL, for destination: String? = nil) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        let own = getpid()
        var removed: [String] = []
        for name in names {
            guard let owner = temporaryOwner(of: name), destination.map({ $0 == owner.destination }) ?? true else { continue }
            let path = directory.appendingPathComponent(name).path
            let stale = owner.pid == own ? !inProgress.withLock { $0.contains(path) } : !isAlive(owner.pid)
            if stale, unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}
