/// A read position in a byte array with bounds-checked big-endian reads.
/// Reads past the end return `nil` instead of trapping.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The number of bytes not yet read.
    var remaining: Int { bytes.count - offset }

    /// The next byte, or `nil` at the end.
    mutating func readByte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next four bytes as a big-endian unsigned integer, or `nil` when fewer remain.
    mutating func readBigEndianUInt32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[offset + i]) }
        offset += 4
        return value
    }
}
