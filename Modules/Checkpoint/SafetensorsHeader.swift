import Foundation

/// The element types a safetensors file may hold that this reader converts to Float32.
///
/// Floats convert as `Float(x)` (F64 rounds to nearest; F16 and BF16 are exact).
/// Integers and booleans convert to their numeric value (`true` is 1); integers
/// beyond ±2²⁴ lose precision. Files are always written as ``f32``.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// Converts `dst.count` little-endian elements from `src` (exactly `dst.count * byteSize` bytes).
    func convert(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Float>) {
        precondition(src.count == dst.count * byteSize, "internal: byte count checked by the header validation")
        func load<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            T(littleEndian: src.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        switch self {
        case .f32:
            #if _endian(little)
            UnsafeMutableRawBufferPointer(dst).copyMemory(from: src)
            #else
            for i in dst.indices { dst[i] = Float(bitPattern: load(i, UInt32.self)) }
            #endif
        case .f64: for i in dst.indices { dst[i] = Float(Double(bitPattern: load(i, UInt64.self))) }
        case .f16: for i in dst.indices { dst[i] = halfToFloat(load(i, UInt16.self)) }
        case .bf16: for i in dst.indices { dst[i] = Float(bitPattern: UInt32(load(i, UInt16.self)) << 16) }
        case .i64: for i in dst.indices { dst[i] = Float(load(i, Int64.self)) }
        case .i32: for i in dst.indices { dst[i] = Float(load(i, Int32.self)) }
        case .i16: for i in dst.indices { dst[i] = Float(load(i, Int16.self)) }
        case .i8: for i in dst.indices { dst[i] = Float(Int8(bitPattern: src[i])) }
        case .u8: for i in dst.indices { dst[i] = Float(src[i]) }
        case .bool: for i in dst.indices { dst[i] = src[i] != 0 ? 1 : 0 }
        }
    }
}

/// IEEE 754 binary16 bits to Float32 (exact, including subnormals, infinities and NaN).
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    switch exponent {
    case 0:
        let magnitude = Float(mantissa) * 0x1p-24
        return sign != 0 ? -magnitude : magnitude
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default:
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}

/// One validated header entry: its bytes are `buffer[begin..<end]`.
struct SafetensorsEntry {
    let name: String
    let dtype: SafetensorsDType
    let shape: [Int]
    let count: Int
    let begin: Int
    let end: Int
}

/// The parsed and validated JSON header.
struct SafetensorsHeader {
    /// Entries in data order (ascending offsets).
    var entries: [SafetensorsEntry]
    var metadata: [String: String]

    /// Parses the header bytes and checks every entry against a data buffer of
    /// `bufferSize` bytes, as the reference implementation does: known dtype,
    /// non-negative dims, byte size = element count × dtype size, offsets inside
    /// the buffer, and the tensors tiling the buffer with no overlap and no hole.
    static func parse(_ bytes: UnsafeRawBufferPointer, bufferSize: Int, path: String) throws -> SafetensorsHeader {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw SafetensorsError.invalidHeader(path: path, reason: "not valid UTF-8")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw translate(error, path: path)
        } catch {
            throw SafetensorsError.invalidHeader(path: path, reason: "\(error)")
        }

        var entries: [SafetensorsEntry] = []
        entries.reserveCapacity(raw.entries.count)
        for (name, entry) in raw.entries.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }) {
            entries.append(try validate(name: name, entry, bufferSize: bufferSize, path: path))
        }

        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous = ""
        for entry in entries {
            if entry.begin < cursor {
                throw SafetensorsError.overlappingData(
                    path: path, name: entry.name, begin: entry.begin, previous: previous, previousEnd: cursor)
            }
            if entry.begin > cursor {
                throw SafetensorsError.gapInData(path: path, name: entry.name, begin: entry.begin, expectedBegin: cursor)
            }
            cursor = entry.end
            previous = entry.name
        }
        guard cursor == bufferSize else {
            throw SafetensorsError.incompleteBuffer(path: path, covered: cursor, bufferSize: bufferSize)
        }
        return SafetensorsHeader(entries: entries, metadata: raw.metadata)
    }

    private static func validate(
        name: String, _ entry: RawEntry, bufferSize: Int, path: String
    ) throws -> SafetensorsEntry {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else {
            throw SafetensorsError.unsupportedDType(path: path, name: name, dtype: entry.dtype)
        }
        if let negative = entry.shape.first(where: { $0 < 0 }) {
            throw SafetensorsError.invalidEntry(
                path: path, name: name, reason: "negative dimension \(negative) in shape \(entry.shape)")
        }
        guard entry.dataOffsets.count == 2 else {
            throw SafetensorsError.invalidEntry(
                path: path, name: name,
                reason: "data_offsets must be [begin, end], found \(entry.dataOffsets.count) values \(entry.dataOffsets)")
        }
        let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
        guard begin >= 0, end >= begin, end <= bufferSize else {
            throw SafetensorsError.offsetsOutOfBounds(
                path: path, name: name, begin: begin, end: end, bufferSize: bufferSize)
        }
        var count = 1
        for dim in entry.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw SafetensorsError.elementCountOverflow(path: path, name: name, shape: entry.shape)
            }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else {
            throw SafetensorsError.elementCountOverflow(path: path, name: name, shape: entry.shape)
        }
        guard byteCount == end - begin else {
            throw SafetensorsError.sizeMismatch(
                path: path, name: name, shape: entry.shape, dtype: dtype.rawValue,
                expectedBytes: byteCount, begin: begin, end: end)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: entry.shape, count: count, begin: begin, end: end)
    }

    /// Turns a JSONDecoder error into a one-line error naming the tensor and field.
    private static func translate(_ error: DecodingError, path: String) -> SafetensorsError {
        let codingPath: [any CodingKey]
        let reason: String
        switch error {
        case let .keyNotFound(key, context):
            codingPath = context.codingPath
            reason = "missing \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            codingPath = context.codingPath
            reason = context.debugDescription
        case let .dataCorrupted(context):
            codingPath = context.codingPath
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            reason = (context.codingPath.isEmpty ? "" : context.debugDescription) + underlying
        @unknown default:
            return .invalidHeader(path: path, reason: "\(error)")
        }
        guard let first = codingPath.first else {
            if case .typeMismatch = error {
                return .invalidHeader(path: path, reason: "not a JSON object (\(reason))")
            }
            return .invalidHeader(path: path, reason: "not valid JSON" + (reason.isEmpty ? "" : ": \(reason)"))
        }
        let field = codingPath.dropFirst().map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let prefix = field.isEmpty ? "" : String(field.dropFirst(field.hasPrefix(".") ? 1 : 0)) + ": "
        if first.stringValue == "__metadata__" {
            return .invalidMetadata(path: path, reason: prefix + reason + " (values must be strings)")
        }
        if codingPath.count == 1, case .typeMismatch = error {
            return .invalidEntry(
                path: path, name: first.stringValue,
                reason: "not an object with dtype, shape and data_offsets (\(reason))")
        }
        return .invalidEntry(path: path, name: first.stringValue, reason: prefix + reason)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A JSON integer; a fraction or a number beyond `Int` is reported with its field
/// (JSONDecoder's own error for those loses the coding path).
private struct JSONInteger: Decodable {
    let value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self.value = value
        } else if let number = try? container.decode(Double.self) {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(number) is not an integer in Int's range")
        } else {
            value = try container.decode(Int.self)   // rethrows the type mismatch
        }
    }
}

private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dtype = try container.decode(String.self, forKey: .dtype)
        shape = try container.decode([JSONInteger].self, forKey: .shape).map(\.value)
        dataOffsets = try container.decode([JSONInteger].self, forKey: .dataOffsets).map(\.value)
    }

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

private struct RawHeader: Decodable {
    var metadata: [String: String] = [:]
    var entries: [(String, RawEntry)] = []

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decodeIfPresent([String: String].self, forKey: key) ?? [:]
            } else {
                entries.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            }
        }
    }
}
