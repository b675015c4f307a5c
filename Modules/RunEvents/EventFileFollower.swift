import Foundation

/// Follows a growing `events.jsonl`: each ``poll()`` reads the bytes appended since the last
/// one and returns the lines they complete. A file that shrinks (rewritten) is read again
/// from the start.
public final class EventFileFollower {
    public let url: URL
    private var offset: UInt64 = 0
    private var buffer = LineBuffer()
    private let codec = EventCodec()

    public init(url: URL) {
        self.url = url
    }

    /// The complete lines appended since the previous call, parsed.
    public func poll() throws -> [EventCodec.Line] {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        if size < offset {
            offset = 0
            buffer = LineBuffer()
        }
        guard size > offset else { return [] }
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: Int(size - offset)) ?? Data()
        offset += UInt64(data.count)
        return buffer.append(data).map(codec.parse)
    }
}
