import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed atomic write: which destination, which step, and the system's reason.
///
/// The description is one line, e.g.
/// `cannot write /runs/a/model.safetensors: write to temporary file /runs/a/.model.safetensors.1234.5F2A.tmp failed: No space left on device (errno 28)`.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The destination path.
    public let path: String
    /// The step that failed, e.g. `rename /d/.x.tmp to /d/x`.
    public let step: String
    /// The `errno` value, or 0 when the failure was not a system call's.
    public let code: Int32
    /// The `strerror` text for `code`, or the reason given by whoever failed.
    public let reason: String

    public init(path: String, step: String, code: Int32, reason: String) {
        self.path = path
        self.step = step
        self.code = code
        self.reason = reason
    }

    /// An error from the current `errno`.
    static func system(path: String, step: String, code: Int32 = errno) -> AtomicFileError {
        AtomicFileError(path: path, step: step, code: code, reason: String(cString: strerror(code)))
    }

    public var description: String {
        "cannot write \(path): \(step) failed: \(reason)" + (code != 0 ? " (errno \(code))" : "")
    }
}

/// `write(2)`, reachable from inside `Writer.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// Crash-safe file replacement: readers see either the old file or the complete new one.
///
/// The bytes go to a uniquely named temporary file in the destination's directory
/// (`.<name>.<pid>.<uuid>.tmp`), which is `fsync`ed, `rename(2)`d over the
/// destination, and then the directory is `fsync`ed so the rename survives a
/// power loss. On any failure the temporary file is removed, the previous file at
/// the destination (if any) is untouched, and the error is thrown. (Only the
/// final directory `fsync` can fail after the rename: the new file is then in
/// place but its durability is not confirmed, and that error is thrown too.)
/// Temporary files of earlier writes to the same name that were killed mid-way
/// are removed first (``removeStaleTemporaries(in:for:)``).
///
/// ```swift
/// try AtomicFile.write(Data(json.utf8), to: runDir.appendingPathComponent("summary.json"))
/// ```
public enum AtomicFile {
    /// Streams bytes into the temporary file of one ``AtomicFile/write(to:permissions:_:)`` call.
    public final class Writer {
        fileprivate let fd: Int32
        /// The destination path (for error messages).
        public let destination: String
        /// The temporary file's path.
        public let temporaryPath: String
        /// How many bytes have been written so far.
        public private(set) var bytesWritten: Int = 0
        /// Testing only: fail with `ENOSPC` instead of writing past this many bytes.
        fileprivate let capacity: Int?
        /// Testing only: seconds to pause once, after the first bytes reach the temporary file.
        fileprivate var pause: Double?

        fileprivate init(fd: Int32, destination: String, temporaryPath: String, capacity: Int?, pause: Double?) {
            self.fd = fd
            self.destination = destination
            self.temporaryPath = temporaryPath
            self.capacity = capacity
            self.pause = pause
        }

        /// Appends `bytes`, retrying partial writes and `EINTR`.
        /// - Throws: ``AtomicFileError`` (for example `ENOSPC` when the disk is full).
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                var chunk = Swift.min(remaining, 1 << 30)
                if let capacity {
                    chunk = Swift.min(chunk, capacity - bytesWritten)
                    if chunk == 0 { errno = ENOSPC }
                }
                let n = chunk > 0 ? systemWrite(fd, next, chunk) : -1
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError.system(
                        path: destination, step: "write to temporary file \(temporaryPath)")
                }
                remaining -= n
                bytesWritten += n
                next += n
                if let seconds = pause {
                    pause = nil
                    // Says where it stopped, so a test can act (kill the process) while the write is under way.
                    FileHandle.standardError.write(Data(
                        "trainboard: TRAINBOARD_TEST_WRITE_PAUSE: \(bytesWritten) bytes written to \(temporaryPath), pausing\n".utf8))
                    usleep(UInt32(Swift.min(seconds, 60) * 1_000_000))
                }
            }
        }

        /// Appends the bytes of `data`.
        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }

        /// Appends `bytes`.
        public func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    /// Atomically replaces the file at `url` with `data`.
    /// - Throws: ``AtomicFileError`` naming the path and the `errno` text.
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644) throws {
        try write(to: url, permissions: permissions) { try $0.write(data) }
    }

    /// Atomically replaces the file at `url` with `bytes`.
    /// - Throws: ``AtomicFileError`` naming the path and the `errno` text.
    public static func write(_ bytes: [UInt8], to url: URL, permissions: mode_t = 0o644) throws {
        try write(to: url, permissions: permissions) { try $0.write(bytes) }
    }

    /// Atomically replaces the file at `url` with whatever `body` writes.
    ///
    /// If `body` throws, the temporary file is removed and `body`'s error is
    /// rethrown unchanged; the destination is not touched.
    /// - Parameters:
    ///   - url: the file to replace.
    ///   - permissions: mode of the new file, before the process umask.
    ///   - body: writes the new contents through the `Writer` it is given.
    /// - Throws: ``AtomicFileError`` for system failures, or `body`'s error.
    public static func write(
        to url: URL, permissions: mode_t = 0o644, _ body: (Writer) throws -> Void
    ) throws {
        try write(to: url, permissions: permissions, capacity: nil, body)
    }

    /// ``write(to:permissions:_:)`` on a simulated disk of `capacity` bytes
    /// (`nil`: the real one); writing past it fails with `ENOSPC`. For tests.
    /// The ``faults`` in effect apply too.
    static func write(
        to url: URL, permissions: mode_t = 0o644, capacity: Int?, _ body: (Writer) throws -> Void
    ) throws {
        let destination = url.path
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let temporaryPath = url.deletingLastPathComponent().appendingPathComponent(temporaryName(for: name)).path
        removeStaleTemporaries(in: url.deletingLastPathComponent(), for: name)
        track(temporaryPath, inProgress: true)
        defer { track(temporaryPath, inProgress: false) }
        let faults = (Self.faults ?? Faults.environment).applying(to: destination)

        if let code = faults.createError { errno = code }
        let fd = faults.createError == nil ? open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions) : -1
        guard fd >= 0 else {
            throw AtomicFileError.system(path: destination, step: "create temporary file \(temporaryPath)")
        }
        let limit = [capacity, faults.capacity].compactMap { $0 }.min()
        var isOpen = true
        do {
            try body(Writer(fd: fd, destination: destination, temporaryPath: temporaryPath, capacity: limit,
                            pause: faults.pauseSeconds))
            guard fsync(fd) == 0 else {
                throw AtomicFileError.system(path: destination, step: "fsync \(temporaryPath)")
            }
            isOpen = false
            guard close(fd) == 0 else {
                throw AtomicFileError.system(path: destination, step: "close \(temporaryPath)")
            }
            guard rename(temporaryPath, destination) == 0 else {
                throw AtomicFileError.system(path: destination, step: "rename \(temporaryPath) to \(destination)")
            }
        } catch {
            let saved = errno
            if isOpen { close(fd) }
            unlink(temporaryPath)
            errno = saved
            throw error
        }
        try syncDirectory(directory, destination: destination)
    }

    /// Makes a completed rename durable. File systems that cannot `fsync` a
    /// directory (`EINVAL`, `ENOTSUP`) are accepted as they are.
    private static func syncDirectory(_ directory: String, destination: String) throws {
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else {
            throw AtomicFileError.system(path: destination, step: "open directory \(directory) to fsync it")
        }
        defer { close(dfd) }
        if fsync(dfd) != 0, errno != EINVAL, errno != ENOTSUP {
            throw AtomicFileError.system(path: destination, step: "fsync directory \(directory)")
        }
    }
}

extension AtomicFile {
    /// Failures and delays injected into atomic writes, for tests: what a read-only
    /// directory, a full disk or a slow disk do to a write, where none can be had
    /// (CI runs as root, which ignores permissions, and may not mount a small file system).
    ///
    /// In process, a test binds them for its own task: `AtomicFile.$faults.withValue(…) { … }`.
    /// A whole process (the `trainboard` binary under `Tests/faults/faults_test.sh`) reads them
    /// from the environment once:
    /// - `TRAINBOARD_TEST_WRITE_PAUSE=SECONDS`: every write pauses once, after its first
    ///   bytes reach the temporary file, and says so on stderr (the file and the byte count),
    ///   so a test can send a signal while the write is under way;
    /// - `TRAINBOARD_TEST_FULL_DISK=DIRECTORY`: writes into `DIRECTORY` fail with `ENOSPC`
    ///   at their first byte, as on a full disk.
    struct Faults: Sendable, Equatable {
        /// The `errno` creating the temporary file fails with (`EACCES`: a read-only directory).
        var createError: Int32?
        /// Bytes a write stores before it fails with `ENOSPC` (0: a full disk).
        var capacity: Int?
        /// Seconds a write pauses after its first bytes.
        var pauseSeconds: Double?
        /// Only writes to destinations inside this directory are affected (nil: every write).
        var directory: String?

        /// No fault.
        static let none = Faults()

        /// The faults the environment asks for (none unless a test sets the variables).
        static let environment: Faults = {
            let variables = ProcessInfo.processInfo.environment
            var faults = Faults()
            faults.pauseSeconds = variables["TRAINBOARD_TEST_WRITE_PAUSE"].flatMap(Double.init).map { Swift.max(0, $0) }
            if let full = variables["TRAINBOARD_TEST_FULL_DISK"], !full.isEmpty {
                (faults.capacity, faults.directory) = (0, full)
            }
            return faults
        }()

        /// These faults for a write to `destination`: none when it lies outside `directory`.
        func applying(to destination: String) -> Faults {
            guard let directory else { return self }
            let inside = URL(fileURLWithPath: destination).standardizedFileURL.path
                .hasPrefix(URL(fileURLWithPath: directory).standardizedFileURL.path + "/")
            return inside ? self : .none
        }
    }

    /// The faults injected into writes made by the current task (or thread);
    /// nil: those of the environment (``Faults/environment``).
    @TaskLocal static var faults: Faults?
}
