import TensorCore

/// The targets of one batch, typed by the data set's `TargetKind`.
public enum BatchTargets: Sendable, Equatable {
    /// Class indices `[B]` (for cross-entropy).
    case classes(IndexTensor)
    /// Float targets: binary labels `[B]` or `[B, 1]`, or one-hot rows `[B, C]`.
    case values(Tensor)

    /// The class indices, or `nil` for float targets.
    public var classes: IndexTensor? {
        if case let .classes(c) = self { return c }
        return nil
    }

    /// The float targets, or `nil` for class indices.
    public var values: Tensor? {
        if case let .values(v) = self { return v }
        return nil
    }
}

/// One mini-batch: features `[B] + sampleShape` and their targets.
public struct Batch: Sendable, Equatable {
    /// The features, `[B] + sampleShape` (`[B, D]` for flat samples).
    public var features: Tensor
    /// The targets of the same B samples.
    public var targets: BatchTargets
    /// The data set indices of the samples, in batch order.
    public var indices: ArraySlice<Int>

    /// The number of samples.
    public var size: Int { indices.count }
}

extension TargetKind {
    /// The shape of a batch's float targets (`[0]` for class targets, which have none).
    func valueShape(batch: Int, binaryAsColumn: Bool) -> [Int] {
        switch self {
        case .classes: [0]
        case .binary: binaryAsColumn ? [batch, 1] : [batch]
        case let .oneHot(classes): [batch, classes]
        }
    }
}

extension Dataset {
    /// The samples at `indices` as one freshly allocated batch: features
    /// `[indices.count] + sampleShape`, targets as `targetKind` says. Use it for
    /// single samples (`batch(of: [i])`) or whole-set evaluation; `DataLoader`
    /// reuses buffers instead.
    /// - Precondition: every index is in `0..<count`.
    public func batch(of indices: ArraySlice<Int>, binaryTargetsAsColumn: Bool = false) -> Batch {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < count }, "sample index out of range for \(count) samples")
        let size = indices.count
        let features = Tensor.build(shape: [size] + sampleShape) { copyFeatures(of: indices, into: $0) }
        let targets: BatchTargets
        switch targetKind {
        case .classes:
            var classes = IndexTensor(shape: [size], indices: [Int](repeating: 0, count: size))
            classes.indices.withUnsafeMutableBufferPointer { copyClasses(of: indices, into: $0) }
            targets = .classes(classes)
        case .binary, .oneHot:
            let shape = targetKind.valueShape(batch: size, binaryAsColumn: binaryTargetsAsColumn)
            targets = .values(Tensor.build(shape: shape) { copyTargetValues(of: indices, into: $0) })
        }
        return Batch(features: features, targets: targets, indices: indices)
    }

    /// Every sample, in order, as one batch (for evaluation on a small set).
    public func allSamples(binaryTargetsAsColumn: Bool = false) -> Batch {
        batch(of: Array(0..<count)[...], binaryTargetsAsColumn: binaryTargetsAsColumn)
    }
}
