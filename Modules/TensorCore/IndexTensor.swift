/// A dense, row-major tensor of integer indices: class labels, gather
/// indices, argmax results. The counterpart of PyTorch's `torch.long` tensors.
public struct IndexTensor: Sendable, Equatable {
    /// The extent of each dimension.
    public var shape: [Int]
    /// The indices in row-major order.
    public var indices: [Int]

    /// Creates an index tensor from a shape and matching values.
    public init(shape: [Int], indices: [Int]) {
        precondition(Shape.count(shape) == indices.count,
                     "shape \(shape) needs \(Shape.count(shape)) values, got \(indices.count)")
        self.shape = shape
        self.indices = indices
    }

    /// A rank-1 index tensor.
    public init(_ indices: [Int]) { self.init(shape: [indices.count], indices: indices) }

    /// The number of elements.
    public var count: Int { indices.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The indices as float values (for comparisons and metrics).
    public var asTensor: Tensor { Tensor(shape: shape, scalars: indices.map(Float.init)) }

    /// Row-major `[count, classes]` one-hot encoding.
    /// - Precondition: every index is in `0..<classes`.
    public func oneHot(classes: Int) -> Tensor {
        var out = [Float](repeating: 0, count: indices.count * classes)
        for (i, c) in indices.enumerated() {
            precondition(c >= 0 && c < classes, "class index \(c) out of range for \(classes) classes")
            out[i * classes + c] = 1
        }
        return Tensor(shape: shape + [classes], scalars: out)
    }
}
