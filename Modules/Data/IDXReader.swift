/// Reads IDX files (the MNIST format): bytes `00 00 <type> <ndims>`, then
/// `ndims` big-endian 32-bit dimensions, then the elements big-endian.
/// gzip files are recognised by content and inflated first.
///
/// Every read is bounds-checked: a malformed file throws a `DataError` naming
/// the problem and never reads past the buffer.
public enum IDXReader {
    /// Reads and decodes the IDX file at `path` (plain or gzip).
    public static func read(contentsOf path: String) throws(DataError) -> IDXArray {
        try decode(BinaryFile.decompressedContents(of: path), file: path)
    }

    /// Decodes IDX bytes already in memory (gzip is inflated first). u8 payloads
    /// reuse `bytes`' storage (the header is shifted out in place), so pass a
    /// buffer you no longer need to avoid a copy.
    /// - Parameters:
    ///   - bytes: the IDX file's contents.
    ///   - file: the name used in error messages.
    public static func decode(_ bytes: consuming [UInt8], file: String) throws(DataError) -> IDXArray {
        var bytes = bytes
        if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, file: file) }
        let (type, shape, payloadOffset) = try header(of: bytes, file: file)
        let count = shape.reduce(1, *)  // checked not to overflow by `header`
        let elements: IDXElements
        if type == .uint8 {
            bytes.removeFirst(payloadOffset)
            elements = .uint8(bytes)
        } else {
            elements = Self.elements(of: type, in: bytes, from: payloadOffset, count: count)
        }
        return IDXArray(file: file, elementType: type, shape: shape, elements: elements)
    }

    /// Parses and validates the header; returns the element type, the shape,
    /// and the byte offset of the payload, whose size is checked to match.
    static func header(of bytes: [UInt8], file: String) throws(DataError) -> (IDXElementType, [Int], Int) {
        var cursor = ByteCursor(bytes)
        guard bytes.count >= 4, let m0 = cursor.readByte(), let m1 = cursor.readByte(),
              let code = cursor.readByte(), let rank = cursor.readByte() else {
            if bytes.count >= 2, bytes[0] != 0 || bytes[1] != 0 { throw .badMagic(file: file, found: Array(bytes.prefix(2))) }
            throw .truncatedHeader(file: file, expected: 4, found: bytes.count)
        }
        guard m0 == 0, m1 == 0 else { throw .badMagic(file: file, found: [m0, m1]) }
        guard let type = IDXElementType(rawValue: code) else { throw .unknownTypeCode(file: file, code: code) }
        var shape: [Int] = []
        shape.reserveCapacity(Int(rank))
        for _ in 0..<rank {
            guard let d = cursor.readBigEndianUInt32() else {
                throw .truncatedHeader(file: file, expected: 4 + 4 * Int(rank), found: bytes.count)
            }
            shape.append(Int(d))
        }
        // The product is checked over the non-zero dimensions: with a zero among
        // them the payload is empty, but the sample shape (every dimension but the
        // first) is still multiplied out downstream, so it must not overflow either.
        var extent = type.byteWidth
        for d in shape where d != 0 {
            let (product, overflow) = extent.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .dimensionsOverflow(file: file, dimensions: shape) }
            extent = product
        }
        let payload = shape.contains(0) ? 0 : extent
        if cursor.remaining < payload {
            throw .truncatedPayload(file: file, expected: payload, found: cursor.remaining)
        }
        if cursor.remaining > payload {
            throw .trailingBytes(file: file, expected: payload, found: cursor.remaining)
        }
        return (type, shape, cursor.offset)
    }

    /// Decodes `count` elements of `type` starting at `start` (the caller has
    /// checked that they fit) into native values with bulk copies.
    static func elements(of type: IDXElementType, in bytes: [UInt8], from start: Int, count: Int) -> IDXElements {
        switch type {
        case .uint8: .uint8(Array(bytes[start..<start + count]))  // `decode` avoids this copy
        case .int8: .int8(bytes[start..<start + count].map { Int8(bitPattern: $0) })
        case .int16: .int16(bigEndian(bytes, from: start, count: count, as: Int16.self))
        case .int32: .int32(bigEndian(bytes, from: start, count: count, as: Int32.self))
        case .float32: .float32(bigEndian(bytes, from: start, count: count, as: UInt32.self).map(Float.init(bitPattern:)))
        case .float64: .float64(bigEndian(bytes, from: start, count: count, as: UInt64.self).map(Double.init(bitPattern:)))
        }
    }

    private static func bigEndian<T: FixedWidthInteger>(
        _ bytes: [UInt8], from start: Int, count: Int, as _: T.Type
    ) -> [T] {
        let width = MemoryLayout<T>.size
        precondition(start >= 0 && start + count * width <= bytes.count, "IDX payload bounds were not checked")
        return bytes.withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count {
                    out[i] = T(bigEndian: raw.loadUnaligned(fromByteOffset: start + i * width, as: T.self))
                }
                initialized = count
            }
        }
    }
}
