import CZlib

/// gzip compression through zlib. Streams are recognised by their content (the
/// magic bytes `1f 8b`), never by a file name, and concatenated members (as
/// `cat a.gz b.gz` makes) decompress to the concatenation of their contents.
public enum Gzip {
    /// True when `bytes` begins with the gzip magic `1f 8b`.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The most a stream may expand to by default: 2 GiB, far above any data set
    /// this tool reads (Fashion-MNIST's training images are 47 MB), so a "gzip
    /// bomb" is an error instead of exhausting memory.
    public static let defaultOutputLimit = 1 << 31

    /// The decompressed contents of a gzip stream (one or more members).
    /// - Parameters:
    ///   - input: the gzip stream.
    ///   - file: the name used in error messages.
    ///   - limit: the largest output accepted, in bytes.
    /// - Throws: `DataError.damagedGzip` for corrupt, truncated or trailing data,
    ///   or output beyond `limit`.
    public static func decompress(_ input: [UInt8], file: String,
                                  limit: Int = defaultOutputLimit) throws(DataError) -> [UInt8] {
        guard input.count <= Int(UInt32.max) else {
            throw .damagedGzip(file: file, reason: "compressed input larger than 4 GiB is not supported")
        }
        // The trailer's ISIZE (size mod 2^32 of the last member) is a good first guess.
        var capacity = max(input.count * 2, 1 << 16)
        if input.count >= 18 {
            let n = input.count
            let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            // Deflate expands at most ~1032:1; a larger ISIZE is not a trustworthy hint
            // (a truncated or damaged stream), so it must not trigger a huge allocation.
            if isize / 1032 <= input.count { capacity = max(capacity, isize + 1) }
        }
        capacity = min(capacity, limit + 1)
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        let failure: String? = input.withUnsafeBufferPointer { source in
            var stream = z_stream()
            guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                return "zlib could not start inflating"
            }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                if produced == output.count {
                    guard output.count <= limit else {
                        return "expands to more than \(limit) bytes, the limit for decompressed data (a gzip bomb?)"
                    }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, limit + 1 - output.count)))
                }
                let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                    let room = min(out.count - produced, Int(UInt32.max))
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = uInt(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return status
                }
                let consumed = source.count - Int(stream.avail_in)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let rest = source[consumed...]
                    if rest.isEmpty || rest.allSatisfy({ $0 == 0 }) { return nil }
                    guard rest.count >= 2, rest[consumed] == 0x1F, rest[consumed + 1] == 0x8B else {
                        return "unexpected data after the gzip member ending at byte \(consumed)"
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return "stream ends early after \(consumed) of \(source.count) bytes (truncated file?)"
                case Z_BUF_ERROR:
                    continue
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return "\(reason) (near compressed byte \(consumed))"
                }
            }
        }
        if let failure { throw .damagedGzip(file: file, reason: failure) }
        guard produced <= limit else {
            throw .damagedGzip(file: file, reason: "expands to more than \(limit) bytes, the limit for decompressed data (a gzip bomb?)")
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// `input` compressed as a single gzip member (zlib `deflateInit2` with
    /// window bits 31). Used to write fixtures and gzip'd exports.
    /// - Parameters:
    ///   - input: the bytes to compress.
    ///   - level: 0 (store) through 9 (smallest).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib deflateInit2 failed with \(started)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate failed with \(status)")
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - written)
        return output
    }
}
