/// A parameter whose shape in a checkpoint differs from the model's.
public struct ShapeMismatch: Equatable, Sendable, CustomStringConvertible {
    /// The `state_dict` name.
    public let name: String
    /// The shape the model has.
    public let expected: [Int]
    /// The shape the file has.
    public let found: [Int]

    public init(name: String, expected: [Int], found: [Int]) {
        self.name = name
        self.expected = expected
        self.found = found
    }

    public var description: String { "\(name): expected \(expected), found \(found)" }
}

/// A parameter stored with an element type that cannot hold the model's values
/// (an integer or boolean tensor for a floating-point parameter).
public struct DTypeMismatch: Equatable, Sendable, CustomStringConvertible {
    /// The `state_dict` name.
    public let name: String
    /// The dtypes the model accepts for it.
    public let expected: [SafetensorsDType]
    /// The dtype the file has.
    public let found: SafetensorsDType

    public init(name: String, expected: [SafetensorsDType], found: SafetensorsDType) {
        self.name = name
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "\(name): expected \(expected.map(\.rawValue).joined(separator: "/")), found \(found.rawValue)"
    }
}

/// Why a safetensors file could not be read, written, or matched to a model.
///
/// Every case names the file, and ``description`` is one line saying what is
/// wrong, with the expected and the found values where there are both, e.g.
/// `model.safetensors: tensor "0.weight": shape [3, 4] of F32 needs 48 bytes, data_offsets [0, 40] hold 40`.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file got shorter between opening it and reading it (another process truncated it).
    case shrankWhileReading(path: String, expected: Int, found: Int)
    /// The file is shorter than the 8-byte header length.
    case fileTooShort(path: String, size: Int)
    /// The header length claims more bytes than the file has after the length itself.
    case headerExceedsFile(path: String, claimed: UInt64, available: Int)
    /// The header length is above ``SafetensorsFile/maxHeaderSize``.
    case headerTooLarge(path: String, claimed: UInt64, limit: Int)
    /// The header is not UTF-8, not JSON, or not a JSON object.
    case invalidHeader(path: String, reason: String)
    /// `__metadata__` is not an object of strings.
    case invalidMetadata(path: String, reason: String)
    /// A tensor entry lacks a field or has one of the wrong kind.
    case invalidEntry(path: String, name: String, reason: String)
    /// A dtype this reader does not know or cannot convert to Float32.
    case unsupportedDType(path: String, name: String, dtype: String)
    /// The product of the dimensions (or its size in bytes) overflows `Int`.
    case elementCountOverflow(path: String, name: String, shape: [Int])
    /// `end - begin` differs from the shape's element count times the dtype size.
    case sizeMismatch(path: String, name: String, shape: [Int], dtype: String, expectedBytes: Int, begin: Int, end: Int)
    /// `data_offsets` fall outside the byte buffer, or `end < begin`.
    case offsetsOutOfBounds(path: String, name: String, begin: Int, end: Int, bufferSize: Int)
    /// A tensor's data starts before the previous tensor's data ends.
    case overlappingData(path: String, name: String, begin: Int, previous: String, previousEnd: Int)
    /// Bytes between two tensors (or before the first) belong to no tensor.
    case gapInData(path: String, name: String, begin: Int, expectedBegin: Int)
    /// Bytes at the end of the buffer belong to no tensor.
    case incompleteBuffer(path: String, covered: Int, bufferSize: Int)
    /// A name that cannot be written (`__metadata__`, or given twice).
    case invalidTensorName(path: String, name: String, reason: String)
    /// The atomic write failed; the previous file, if any, is intact.
    case writeFailed(AtomicFileError)
    /// The file's tensors do not match the model's parameters; lists every problem.
    case modelMismatch(path: String, missing: [String], unexpected: [String], shapeMismatches: [ShapeMismatch],
                       dtypeMismatches: [DTypeMismatch] = [])

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .shrankWhileReading(path, expected, found):
            return "\(path): the file shrank while being read: expected \(expected) bytes (its size when opened), read \(found)"
        case let .fileTooShort(path, size):
            return "\(path): not a safetensors file: \(size) bytes, expected at least 8 (the header length)"
        case let .headerExceedsFile(path, claimed, available):
            return "\(path): header length \(claimed) bytes exceeds the \(available) bytes after the length field (truncated or not a safetensors file)"
        case let .headerTooLarge(path, claimed, limit):
            return "\(path): header length \(claimed) bytes exceeds the limit of \(limit) bytes"
        case let .invalidHeader(path, reason):
            return "\(path): invalid header: \(reason)"
        case let .invalidMetadata(path, reason):
            return "\(path): invalid __metadata__: \(reason)"
        case let .invalidEntry(path, name, reason):
            return "\(path): tensor \(jsonString(name)): \(reason)"
        case let .unsupportedDType(path, name, dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(path): tensor \(jsonString(name)): unsupported dtype \(jsonString(dtype)), expected one of \(known)"
        case let .elementCountOverflow(path, name, shape):
            return "\(path): tensor \(jsonString(name)): shape \(shape) has too many elements (overflow)"
        case let .sizeMismatch(path, name, shape, dtype, expectedBytes, begin, end):
            return "\(path): tensor \(jsonString(name)): shape \(shape) of \(dtype) needs \(expectedBytes) bytes, data_offsets [\(begin), \(end)] hold \(end - begin)"
        case let .offsetsOutOfBounds(path, name, begin, end, bufferSize):
            let problem = end < begin && begin >= 0 ? "end before begin" : "out of the \(bufferSize)-byte data buffer"
            return "\(path): tensor \(jsonString(name)): data_offsets [\(begin), \(end)] \(problem)"
        case let .overlappingData(path, name, begin, previous, previousEnd):
            return "\(path): tensor \(jsonString(name)): data starts at \(begin), overlapping tensor \(jsonString(previous)) which ends at \(previousEnd)"
        case let .gapInData(path, name, begin, expectedBegin):
            return "\(path): tensor \(jsonString(name)): data starts at \(begin), expected \(expectedBegin) (a hole of \(begin - expectedBegin) bytes)"
        case let .incompleteBuffer(path, covered, bufferSize):
            return "\(path): tensors cover \(covered) bytes of the \(bufferSize)-byte data buffer, \(bufferSize - covered) trailing bytes belong to no tensor"
        case let .invalidTensorName(path, name, reason):
            return "\(path): cannot write tensor \(jsonString(name)): \(reason)"
        case let .writeFailed(error):
            return error.description
        case let .modelMismatch(path, missing, unexpected, shapeMismatches, dtypeMismatches):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.count) (\(list(missing.map(jsonString))))") }
            if !unexpected.isEmpty { parts.append("unexpected \(unexpected.count) (\(list(unexpected.map(jsonString))))") }
            if !shapeMismatches.isEmpty {
                parts.append("shape mismatch \(shapeMismatches.count) (\(list(shapeMismatches.map(\.description))))")
            }
            if !dtypeMismatches.isEmpty {
                parts.append("dtype mismatch \(dtypeMismatches.count) (\(list(dtypeMismatches.map(\.description))))")
            }
            return "\(path): does not match the model: " + parts.joined(separator: "; ")
        }
    }
}

/// The first ten items, then how many more.
private func list(_ items: [String]) -> String {
    let shown = items.prefix(10).joined(separator: ", ")
    return items.count > 10 ? "\(shown), … and \(items.count - 10) more" : shown
}
