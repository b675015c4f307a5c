import TensorCore

/// The element types an IDX file can hold, keyed by the type code in byte 2.
public enum IDXElementType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    /// Bytes per element in the file.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }

    /// True for the integer types (usable as class labels).
    public var isInteger: Bool { self != .float32 && self != .float64 }

    public var description: String {
        switch self {
        case .uint8: "u8"
        case .int8: "i8"
        case .int16: "i16"
        case .int32: "i32"
        case .float32: "f32"
        case .float64: "f64"
        }
    }
}

/// The decoded elements of an IDX file, in native byte order and in the
/// file's own type (so u8 images stay one byte per pixel).
public enum IDXElements: Sendable, Equatable {
    case uint8([UInt8]), int8([Int8]), int16([Int16]), int32([Int32]), float32([Float]), float64([Double])

    /// The number of elements.
    public var count: Int {
        switch self {
        case let .uint8(v): v.count
        case let .int8(v): v.count
        case let .int16(v): v.count
        case let .int32(v): v.count
        case let .float32(v): v.count
        case let .float64(v): v.count
        }
    }

    /// Every element as a `Float`, in order.
    public func floats() -> [Float] {
        switch self {
        case let .uint8(v): v.map(Float.init)
        case let .int8(v): v.map(Float.init)
        case let .int16(v): v.map(Float.init)
        case let .int32(v): v.map(Float.init)
        case let .float32(v): v
        case let .float64(v): v.map(Float.init)
        }
    }

    /// Every element as an `Int`, or `nil` for the floating-point types.
    public func integers() -> [Int]? {
        switch self {
        case let .uint8(v): v.map(Int.init)
        case let .int8(v): v.map(Int.init)
        case let .int16(v): v.map(Int.init)
        case let .int32(v): v.map(Int.init)
        case .float32, .float64: nil
        }
    }

    /// The smallest and largest element (`nil` when empty; NaNs are skipped).
    public func valueRange() -> ClosedRange<Double>? {
        func range<S: Sequence>(_ values: S, _ convert: (S.Element) -> Double) -> ClosedRange<Double>? {
            var low = Double.infinity, high = -Double.infinity
            for v in values { let x = convert(v); if x < low { low = x }; if x > high { high = x } }
            return low <= high ? low...high : nil
        }
        switch self {
        case let .uint8(v): return range(v) { Double($0) }
        case let .int8(v): return range(v) { Double($0) }
        case let .int16(v): return range(v) { Double($0) }
        case let .int32(v): return range(v) { Double($0) }
        case let .float32(v): return range(v) { Double($0) }
        case let .float64(v): return range(v) { $0 }
        }
    }
}

/// A whole IDX file in memory: its element type, shape and elements.
public struct IDXArray: Sendable, Equatable {
    /// The file it came from (for messages).
    public let file: String
    /// The element type from the header.
    public let elementType: IDXElementType
    /// The dimensions from the header, outermost first (`[60000, 28, 28]` for MNIST images).
    public let shape: [Int]
    /// The elements in row-major order.
    public let elements: IDXElements

    /// The number of items along the first axis (1 for a rank-0 file).
    public var count: Int { shape.first ?? 1 }

    /// The elements as a `Float` tensor of `shape`, divided by 255 when
    /// `scaledToUnitRange` is set.
    public func tensor(scaledToUnitRange: Bool = false) -> Tensor {
        let values = elements.floats()
        let t = Tensor(shape: shape, scalars: values)
        return scaledToUnitRange ? t * (1 / 255) : t
    }

    /// The elements as integer labels.
    /// - Throws: `DataError.unexpectedLayout` for floating-point files.
    public func integerValues() throws(DataError) -> [Int] {
        guard let values = elements.integers() else {
            throw .unexpectedLayout(file: file, expected: "an integer element type", found: "\(elementType)")
        }
        return values
    }
}
