/// What a data set's targets are, which decides the type of a batch's targets.
public enum TargetKind: Sendable, Equatable, Codable {
    /// Integer class indices in `0..<count` (for cross-entropy); batches carry an `IndexTensor` `[B]`.
    case classes(count: Int)
    /// Float 0/1 labels (for the BCE family); batches carry a `Tensor` `[B]` (or `[B, 1]`).
    case binary
    /// One-hot rows of `classes` floats; batches carry a `Tensor` `[B, classes]`.
    case oneHot(classes: Int)

    /// Float target values per sample (0 for class indices, which are integers).
    public var valuesPerSample: Int {
        switch self {
        case .classes: 0
        case .binary: 1
        case let .oneHot(classes): classes
        }
    }
}

/// A finite, indexable collection of (features, target) samples that can copy
/// any list of samples straight into a batch buffer.
///
/// Features of one sample have shape `sampleShape` (`[28, 28]` for an image,
/// `[D]` for a CSV row); a batch of `B` samples is `[B] + sampleShape`.
public protocol Dataset: Sendable {
    /// The number of samples.
    var count: Int { get }
    /// The shape of one sample's features.
    var sampleShape: [Int] { get }
    /// The kind of target each sample has.
    var targetKind: TargetKind { get }

    /// Writes the features of `indices`, in order, as Float rows into `buffer`
    /// (`indices.count × sampleShape.product` values).
    func copyFeatures(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Float>)
    /// Writes the class index of each of `indices` into `buffer` (class targets only).
    func copyClasses(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Int>)
    /// Writes the float targets of `indices` (`targetKind.valuesPerSample` each) into `buffer`.
    func copyTargetValues(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Float>)
}

extension Dataset {
    /// The number of feature values per sample.
    public var featuresPerSample: Int { sampleShape.reduce(1, *) }
}
