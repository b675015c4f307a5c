import Foundation

/// Encodes and decodes single `events.jsonl` lines with the schema's conventions
/// (sorted keys, non-finite numbers as `"nan"`, `"inf"`, `"-inf"`).
public struct EventCodec: Sendable {
    /// What one line of the file turned out to be.
    public enum Line: Sendable, Equatable {
        case event(RunEvent)
        /// Whitespace only; ignored.
        case blank
        /// Not a decodable event; the string says why, for the messages panel.
        case malformed(String)
    }

    public init() {}

    /// Parses one line (without its newline).
    public func parse(_ line: some StringProtocol) -> Line {
        var text = String(line)
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses one line given as UTF-8 bytes (without its newline): `batch_end` lines through a
    /// hand-written scanner, everything else (and anything unusual) through `JSONDecoder`, with
    /// the same result as ``parseWithDecoder(_:)``.
    public func parse(bytes: UnsafeBufferPointer<UInt8>) -> Line {
        var start = 0, end = bytes.count
        while start < end, Self.isSpace(bytes[start]) { start += 1 }
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        if start == end { return .blank }
        if let batch = BatchEndScanner.scan(UnsafeBufferPointer(rebasing: bytes[start..<end])) {
            return .event(.batchEnd(batch))
        }
        return parseWithDecoder(String(decoding: bytes, as: UTF8.self))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Parses one line with `JSONDecoder` only: the general path, and the reference the
    /// `batch_end` scanner of ``parse(bytes:)`` is tested against.
    public func parseWithDecoder(_ line: some StringProtocol) -> Line {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .blank }
        do {
            return .event(try Self.decoder().decode(RunEvent.self, from: Data(trimmed.utf8)))
        } catch {
            let preview = trimmed.count > 40 ? trimmed.prefix(40) + "…" : Substring(trimmed)
            return .malformed("malformed event line: \(preview)")
        }
    }

    /// One JSON line for `event`, without the trailing newline.
    public func line(for event: RunEvent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// Splits a growing byte stream into complete lines, holding back a partial last line
/// until its newline arrives (a trainer may be in the middle of writing it).
public struct LineBuffer: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Bytes received but not yet ended by a newline.
    public var pendingByteCount: Int { pending.count }

    /// Appends `bytes` and returns every line completed by them, without newlines.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        pending.append(contentsOf: bytes)
        guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = pending[..<lastNewline]
        pending.removeSubrange(...lastNewline)
        return complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }
}
