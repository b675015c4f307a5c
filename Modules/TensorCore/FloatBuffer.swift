/// Float storage allocated once and reached through a raw pointer, without
/// copy-on-write checks: optimizer state and `StepPlan` buffers, which must not
/// allocate per step.
public final class FloatBuffer {
    public let shape: [Int]
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled buffer of `shape`.
    public init(zeros shape: [Int]) {
        self.shape = shape
        count = shape.reduce(1, *)
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    /// A buffer holding a copy of `values`.
    public convenience init(copying values: Tensor) {
        self.init(zeros: values.shape)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    deinit { pointer.deallocate() }

    /// A copy of the contents as a tensor.
    public var tensor: Tensor {
        Tensor.build(shape: shape) { $0.baseAddress!.initialize(from: pointer, count: count) }
    }
}
