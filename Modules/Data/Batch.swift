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
