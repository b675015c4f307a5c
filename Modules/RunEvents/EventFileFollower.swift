import Foundation

/// Why a run's events file could not be read.
public struct EventFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "\(path): cannot read events (\(reason))" }
}

/// Follows a growing `events.jsonl`: each poll reads bytes appended since the last one, in
/// chunks of at most `maxBytes`, and parses the lines they complete straight from the bytes
/// (no string per line; `batch_end` lines through the scanner of ``EventCodec/parse(bytes:)``).
/// A partial last line waits for its newline. A file that shrinks (rewritten) is read again
/// from the start.
public final class EventFileFollower {
    public let url: URL
    /// Bytes of the file consumed so far (complete lines and a pending partial one).
    public private(set) var offset: UInt64 = 0
    /// The file's size at the last poll.
    public private(set) var size: UInt64 = 0
    /// A partial line read but not yet ended by a newline.
    private var pending: [UInt8] = []
    private let codec = EventCodec()

    /// Bytes read per chunk by default.
    public static let chunkBytes = 4 << 20

    public init(url: URL) {
        self.url = url
    }

    /// Whether the file holds bytes not read yet (as of the last poll).
    public var isBehind: Bool { offset < size }

    /// The fraction of the file read (1 when empty).
    public var fractionRead: Double { size == 0 ? 1 : Double(offset) / Double(size) }

    /// Reads at most `maxBytes` of what was appended and hands every line it completes to
    /// `body`, parsed, in file order. Returns whether more bytes were waiting.
    @discardableResult
    public func poll(maxBytes: Int = EventFileFollower.chunkBytes, _ body: (EventCodec.Line) -> Void) throws -> Bool {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw EventFileError(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw EventFileError(path: url.path, reason: String(cString: strerror(errno))) }
        size = UInt64(status.st_size)
        if size < offset {
            offset = 0
            pending = []
        }
        guard size > offset else { return false }
        let wanted = Int(min(UInt64(max(1, maxBytes)), size - offset))
        let kept = pending.count
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: kept + wanted) { buffer, initialized in
            _ = buffer.initialize(from: pending)
            let count = pread(descriptor, buffer.baseAddress! + kept, wanted, off_t(offset))
            if count < 0 { failure = errno }
            initialized = kept + max(0, count)
        }
        guard failure == 0 else { throw EventFileError(path: url.path, reason: String(cString: strerror(failure))) }
        offset += UInt64(chunk.count - kept)
        pending = chunk.withUnsafeBufferPointer { bytes in
            var start = 0
            while start < bytes.count,
                  let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) {
                let end = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                body(codec.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end])))
                start = end + 1
            }
            return Array(bytes[start...])
        }
        return offset < size
    }

    /// Every complete line appended since the previous call, parsed.
    public func poll() throws -> [EventCodec.Line] {
        var lines: [EventCodec.Line] = []
        while try poll({ lines.append($0) }) {}
        return lines
    }
}
