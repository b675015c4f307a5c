import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run writes its record, claimed so that no other run can write there at the same time.
///
/// Runs are versioned as in PyTorch Lightning's loggers: a run with `log_dir: runs/iris` writes
/// into `runs/iris/version_N/`, N one more than the highest version already there (the first
/// run is `version_0`), so running the same config again never touches an earlier record.
/// Two exceptions, both explicit:
/// - **resume in place**: `trainer.resume` naming a run's `checkpoints/last.safetensors` inside
///   `log_dir` continues that run's directory (its files are appended to); resuming from any
///   other checkpoint starts a new version and ``note`` says so;
/// - **overwrite**: the newest version is reused and its record deleted first (`fit --overwrite`).
///
/// While the run lasts it holds an exclusive `flock(2)` on `.lock` in the directory (the file
/// holds the holder's pid); the kernel releases it when the process ends, however it ends.
/// A run that finds the directory it needs locked fails with ``RunDirectoryError/locked(_:pid:)``.
///
/// ```swift
/// let directory = try RunDirectory.claim(logDir: "runs/iris")
/// print(directory.path)   // runs/iris/version_3
/// ```
public final class RunDirectory {
    /// How the run came to this directory.
    public enum Placement: Sendable, Equatable {
        /// A new version directory.
        case new
        /// An existing run's directory, resumed: its files are continued.
        case resumed
        /// The newest version directory, its previous record deleted (`--overwrite`).
        case overwritten
    }

    /// The name of the lock file in a run directory.
    public static let lockName = ".lock"

    /// The run directory, e.g. `runs/iris/version_3`.
    public let path: String
    /// N of `version_N`, or nil for a resumed run directory that is not a version (an older layout).
    public let version: Int?
    public let placement: Placement
    /// What the user must be told about where this run writes, beyond the path (resuming
    /// into a new directory), or nil.
    public let note: String?
    private var locks: [DirectoryLock]

    private init(path: String, version: Int?, placement: Placement, note: String?, lock: DirectoryLock) {
        self.path = path
        self.version = version
        self.placement = placement
        self.note = note
        self.locks = [lock]
    }

    /// Claims the directory of a run logging under `logDir`: a new version, the run directory
    /// `resume` continues, or (with `overwrite`) the newest version, emptied.
    /// - Throws: ``RunDirectoryError``.
    public static func claim(logDir: String, overwrite: Bool = false, resume: String? = nil) throws -> RunDirectory {
        try makeDirectory(logDir)
        if let resume, let runDirectory = resumableDirectory(of: resume, logDir: logDir) {
            let lock = try DirectoryLock(directory: runDirectory)
            return RunDirectory(path: runDirectory, version: version(of: runDirectory), placement: .resumed, note: nil, lock: lock)
        }
        let path: String, version: Int, placement: Placement, lock: DirectoryLock
        if overwrite, let newest = versions(in: logDir).max() {
            (path, version, placement) = (versionPath(logDir, newest), newest, .overwritten)
            lock = try DirectoryLock(directory: path)
            try removeRecord(in: path)
        } else {
            (version, lock) = try claimNewVersion(in: logDir)
            (path, placement) = (versionPath(logDir, version), .new)
        }
        return RunDirectory(path: path, version: version, placement: placement,
                            note: resume.map { resumeNote(checkpoint: $0, directory: path) }, lock: lock)
    }

    /// Also claims a checkpoint directory outside the run directory (`trainer.checkpoint_dir`):
    /// locked like a run directory; checkpoints already in it belong to another run and are kept
    /// unless `overwrite` (then deleted) or the run resumes from one of them.
    public func claimCheckpointDirectory(_ directory: String, overwrite: Bool, resume: String?) throws {
        try Self.makeDirectory(directory)
        let lock: DirectoryLock
        do { lock = try DirectoryLock(directory: directory) } catch RunDirectoryError.locked(_, let pid) {
            throw RunDirectoryError.checkpointDirectoryLocked(directory, pid: pid)
        }
        let existing = Self.checkpointFiles(in: directory)
        let resumesFromHere = resume.map { Self.canonical(URL(fileURLWithPath: $0).deletingLastPathComponent().path) }
            == Self.canonical(directory)
        if !existing.isEmpty && !resumesFromHere {
            guard overwrite else { throw RunDirectoryError.checkpointsExist(directory, files: existing) }
            for name in existing { try Self.remove("\(directory)/\(name)") }
        }
        locks.append(lock)
    }

    /// Releases the locks and, for a new version nothing was written to, removes its directory
    /// (a run refused after claiming it leaves no empty version behind).
    public func discardIfUnused() {
        defer { release() }   // after the removal, so no other run takes the directory meanwhile
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard placement == .new, names.allSatisfy({ $0 == Self.lockName }) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Releases the locks now (they are also released when this value goes away, or the process ends).
    public func release() { locks.forEach { $0.release() } }

    /// The version numbers of the `version_N` directories in `logDir`.
    public static func versions(in logDir: String) -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: logDir)) ?? []).compactMap { name in
            var isDirectory: ObjCBool = false
            guard let n = version(ofName: name),
                  FileManager.default.fileExists(atPath: "\(logDir)/\(name)", isDirectory: &isDirectory), isDirectory.boolValue
            else { return nil }
            return n
        }
    }

    static func versionPath(_ logDir: String, _ version: Int) -> String { "\(logDir)/version_\(version)" }

    private static func version(ofName name: String) -> Int? {
        guard name.hasPrefix("version_"), let n = Int(name.dropFirst("version_".count)), n >= 0,
              name == "version_\(n)" else { return nil }
        return n
    }

    private static func version(of path: String) -> Int? { version(ofName: URL(fileURLWithPath: path).lastPathComponent) }

    /// `mkdir` of the next free version: atomic, so two runs starting together get different ones.
    private static func claimNewVersion(in logDir: String) throws -> (Int, DirectoryLock) {
        var next = (versions(in: logDir).max() ?? -1) + 1
        while true {
            let path = versionPath(logDir, next)
            if mkdir(path, 0o755) == 0 {
                do { return (next, try DirectoryLock(directory: path)) } catch RunDirectoryError.locked {
                    // An --overwrite run took it as the newest version first: move on.
                }
            } else if errno != EEXIST {
                throw RunDirectoryError.cannotCreate(path, reason: String(cString: strerror(errno)))
            }
            next += 1
        }
    }

    /// The run directory a resume continues in place: `resume` is `DIR/checkpoints/last.safetensors`
    /// of a recorded run (`DIR/events.jsonl` exists) and DIR is `logDir` or one of its versions.
    static func resumableDirectory(of resume: String, logDir: String) -> String? {
        let checkpoint = URL(fileURLWithPath: resume).standardizedFileURL
        let checkpoints = checkpoint.deletingLastPathComponent()
        let runDirectory = checkpoints.deletingLastPathComponent()
        guard checkpoint.lastPathComponent == "last.safetensors", checkpoints.lastPathComponent == "checkpoints",
              FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("events.jsonl").path)
        else { return nil }
        let log = canonical(logDir)
        guard canonical(runDirectory.path) == log || canonical(runDirectory.deletingLastPathComponent().path) == log,
              runDirectory.path != "/" else { return nil }
        // Keep the caller's spelling (relative paths stay relative).
        return canonical(runDirectory.path) == log ? logDir : "\(logDir)/\(runDirectory.lastPathComponent)"
    }

    /// What resuming into a directory other than the checkpoint's run means for the files.
    private static func resumeNote(checkpoint: String, directory: String) -> String {
        let runDirectory = URL(fileURLWithPath: checkpoint).deletingLastPathComponent().deletingLastPathComponent()
        let recorded = FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("events.jsonl").path)
        return "resuming from \(checkpoint) in a new run directory, \(directory): nothing is copied, so its metrics.csv "
            + "and events.jsonl start after the checkpoint's step; "
            + (recorded ? "the steps before stay in \(runDirectory.path)" : "the checkpoint's earlier steps are not recorded here")
    }

    /// Deletes a run's record before `--overwrite` writes a new one (the lock file stays).
    private static func removeRecord(in path: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name != lockName { try remove("\(path)/\(name)") }
    }

    /// The checkpoint files a `Checkpointer` writes (`last`, `best`, `step-N`) found in `directory`.
    static func checkpointFiles(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0 == "last.safetensors" || $0 == "best.safetensors" || ($0.hasPrefix("step-") && $0.hasSuffix(".safetensors"))
        }.sorted()
    }

    private static func remove(_ path: String) throws {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw RunDirectoryError.cannotCreate(path, reason: "cannot delete the previous record: \(error.localizedDescription)")
        }
    }

    private static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw RunDirectoryError.cannotCreate(path, reason: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
        }
    }

    /// An absolute path with symbolic links resolved, for comparing directories.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

/// An exclusive `flock(2)` on `DIR/.lock`, which holds the holder's pid.
final class DirectoryLock {
    private var fd: Int32

    /// Locks `directory` (which must exist) without waiting.
    /// - Throws: ``RunDirectoryError/locked(_:pid:)`` when another process holds it.
    init(directory: String) throws {
        let path = "\(directory)/\(RunDirectory.lockName)"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunDirectoryError.cannotLock(directory, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.pid(in: fd)
            // Closed here and marked so: a class whose init throws once every property is set
            // is deinitialized, and a second close would close whatever file another thread
            // opened under the same number meanwhile (seen as "close …tmp failed: Bad file
            // descriptor" in a checkpoint written beside a refused claim).
            close(fd)
            fd = -1
            if code == EWOULDBLOCK { throw RunDirectoryError.locked(directory, pid: holder) }
            throw RunDirectoryError.cannotLock(directory, reason: String(cString: strerror(code)))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// Unlocks (by closing the file).
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    /// The pid written in the lock file, if any yet.
    private static func pid(in fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A run directory that cannot be used; the description is one line saying what to do.
public enum RunDirectoryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Another running process holds the directory.
    case locked(String, pid: Int32?)
    /// `trainer.checkpoint_dir` holds another run's checkpoints.
    case checkpointsExist(String, files: [String])
    /// Another running process writes its checkpoints to `trainer.checkpoint_dir`.
    case checkpointDirectoryLocked(String, pid: Int32?)
    case cannotCreate(String, reason: String)
    case cannotLock(String, reason: String)

    public var description: String {
        switch self {
        case let .locked(directory, pid):
            "\(directory) is in use by another run (\(pid.map { "pid \($0)" } ?? "pid unknown")): wait for it to end or "
                + "stop it, or start a new version beside it (fit without --overwrite and trainer.resume)"
        case let .checkpointDirectoryLocked(directory, pid):
            "trainer.checkpoint_dir \(directory) is in use by another run (\(pid.map { "pid \($0)" } ?? "pid unknown")): "
                + "wait for it to end or stop it, or set another checkpoint_dir"
        case let .checkpointsExist(directory, files):
            "trainer.checkpoint_dir \(directory) already holds another run's checkpoints (\(files.joined(separator: ", "))): "
                + "pass --overwrite to replace them, or set another checkpoint_dir"
        case let .cannotCreate(directory, reason): "cannot create run directory \(directory): \(reason)"
        case let .cannotLock(directory, reason): "cannot lock run directory \(directory): \(reason)"
        }
    }
}
