/// A dense, row-major tensor of `Float` values with value semantics.
///
/// Storage is a Swift array, so copies are cheap and copy-on-write: mutating one
/// copy never changes another. Shapes follow PyTorch: `[]` is a scalar, `[N]` a
/// vector, `[N, C]` a batch of rows, and so on.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = (x * 2 + 1).sum(axes: [1])   // shape [2]
/// ```
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public internal(set) var shape: [Int]
    /// The values in row-major order; `scalars.count == shape.product`.
    public internal(set) var scalars: [Float]

    /// Creates a tensor from a shape and matching row-major values.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(Shape.count(shape) == scalars.count,
                     "shape \(shape) needs \(Shape.count(shape)) values, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor, or throws `TensorError.countMismatch` when the counts disagree.
    public static func validated(shape: [Int], scalars: [Float]) throws(TensorError) -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }), Shape.count(shape) == scalars.count else {
            throw .countMismatch(shape: shape, count: scalars.count)
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// A rank-0 tensor holding one value.
    @inlinable
    public init(_ value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// A rank-1 tensor holding `values`.
    @inlinable
    public init(_ values: [Float]) {
        self.init(shape: [values.count], scalars: values)
    }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows of unequal length")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// A tensor of the given shape with every element equal to `value`.
    @inlinable
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Shape.count(shape)))
    }

    /// A tensor of zeros.
    @inlinable
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// A tensor of ones.
    @inlinable
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }
    /// A tensor filled with `value`.
    @inlinable
    public static func full(_ shape: [Int], _ value: Float) -> Tensor { Tensor(repeating: value, shape: shape) }
    /// A tensor of zeros shaped like `other`.
    @inlinable
    public static func zeros(like other: Tensor) -> Tensor { .zeros(other.shape) }
    /// A tensor of ones shaped like `other`.
    @inlinable
    public static func ones(like other: Tensor) -> Tensor { .ones(other.shape) }

    /// `[start, start + step, …]` up to but excluding `end`, as `torch.arange`.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange step must be non-zero")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<n).map { start + Float($0) * step })
    }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The single value of a one-element tensor.
    @inlinable public var item: Float {
        precondition(scalars.count == 1, "item needs a one-element tensor, shape is \(shape)")
        return scalars[0]
    }

    /// The element at a full multi-index.
    public subscript(_ index: Int...) -> Float {
        get { scalars[Shape.offset(of: index, in: shape)] }
        set { scalars[Shape.offset(of: index, in: shape)] = newValue }
    }

    /// Calls `body` with read access to the contiguous values.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with write access to the contiguous values (copying first if shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// A tensor of `shape` whose values `body` writes into uninitialized storage.
    /// `body` must initialize every element.
    @inlinable
    public static func build(
        shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) throws -> Void
    ) rethrows -> Tensor {
        let n = Shape.count(shape)
        let values = try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            try body(buffer)
            initialized = n
        }
        return Tensor(shape: shape, scalars: values)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        let more = scalars.count > 8 ? ", … (\(scalars.count) values)" : ""
        return "Tensor(shape: \(shape), [\(shown)\(more)])"
    }
}
