import TensorCore

/// An in-memory data set. Features stay in their compact form (one byte per
/// pixel for images, `Float` for tabular data) and become `Float` only when a
/// batch is copied out.
public struct TensorDataset: Dataset, Equatable {
    /// How the feature values are stored.
    public enum Features: Sendable, Equatable {
        /// Raw bytes, each read as `Float(byte) * scale + offset`; the transforms
        /// `scaledToUnitRange` and `normalized(mean:std:)` only change the two numbers.
        case bytes([UInt8], scale: Float, offset: Float)
        /// Float values used as they are.
        case floats([Float])
    }

    /// How the targets are stored.
    public enum Targets: Sendable, Equatable {
        /// Class indices in `0..<count`.
        case classes([Int], count: Int)
        /// Binary 0/1 labels.
        case binary([Float])
        /// Class indices served as one-hot rows.
        case oneHot([Int], classes: Int)
    }

    /// The feature values of all samples, row-major `[count] + sampleShape`.
    public internal(set) var features: Features
    /// The targets of all samples.
    public internal(set) var targets: Targets
    /// The shape of one sample's features.
    public internal(set) var sampleShape: [Int]
    /// The names of the classes, by index, when known (e.g. from a CSV's string labels).
    public var classNames: [String]?

    /// A data set of `features` `[N, …]` (first axis is the sample) and targets for N samples.
    /// - Throws: `DataError.invalidArgument` when the counts disagree.
    public init(features: Features, sampleShape: [Int], targets: Targets, classNames: [String]? = nil) throws(DataError) {
        let width = sampleShape.reduce(1, *)
        let valueCount: Int
        switch features {
        case let .bytes(b, _, _): valueCount = b.count
        case let .floats(f): valueCount = f.count
        }
        let n = Self.count(of: targets)
        guard width > 0 ? valueCount == n * width : valueCount == 0 else {
            throw .invalidArgument("features hold \(valueCount) values, but \(n) samples of shape \(sampleShape) need \(n * width)")
        }
        if case let .classes(labels, classes) = targets, let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw .invalidArgument("class index \(bad) is out of range for \(classes) classes")
        }
        self.features = features
        self.sampleShape = sampleShape
        self.targets = targets
        self.classNames = classNames
    }

    /// A data set of float features `[N, …]` with class indices in `0..<classCount`.
    public init(features: Tensor, classes: [Int], classCount: Int) throws(DataError) {
        try self.init(features: .floats(features.scalars), sampleShape: Array(features.shape.dropFirst()),
                      targets: .classes(classes, count: classCount))
    }

    /// A data set of float features `[N, …]` with binary 0/1 labels.
    public init(features: Tensor, binaryLabels: [Float]) throws(DataError) {
        try self.init(features: .floats(features.scalars), sampleShape: Array(features.shape.dropFirst()),
                      targets: .binary(binaryLabels))
    }

    public var count: Int { Self.count(of: targets) }

    public var targetKind: TargetKind {
        switch targets {
        case let .classes(_, count): .classes(count: count)
        case .binary: .binary
        case let .oneHot(_, classes): .oneHot(classes: classes)
        }
    }

    private static func count(of targets: Targets) -> Int {
        switch targets {
        case let .classes(labels, _), let .oneHot(labels, _): labels.count
        case let .binary(values): values.count
        }
    }

    /// The class index of every sample (`nil` for binary targets).
    public var classIndices: [Int]? {
        switch targets {
        case let .classes(labels, _), let .oneHot(labels, _): labels
        case .binary: nil
        }
    }

    // MARK: Bulk copies

    public func copyFeatures(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Float>) {
        let width = featuresPerSample
        precondition(buffer.count >= indices.count * width, "batch buffer too small")
        guard width > 0, var dst = buffer.baseAddress else { return }
        switch features {
        case let .bytes(bytes, scale, offset):
            // Rows scattered over the set are memory-latency bound: a batch's rows are
            // converted on all cores at once (`Parallel.run`, no allocation).
            bytes.withUnsafeBufferPointer { all in
                indices.withUnsafeBufferPointer { picked in
                    guard let first = picked.baseAddress else { return }
                    var rows = ByteRows(source: all.baseAddress!, indices: first, count: picked.count, width: width,
                                        scale: scale, offset: offset, destination: dst)
                    let parts = picked.count * width >= 1 << 15 ? Parallel.threads : 1
                    withUnsafePointer(to: &rows) { rows in
                        Parallel.run(parts: parts, context: UnsafeRawPointer(rows)) { context, part, parts in
                            let rows = context.assumingMemoryBound(to: ByteRows.self).pointee
                            rows.convert(Parallel.range(part, of: parts, count: rows.count))
                        }
                    }
                }
            }
        case let .floats(values):
            values.withUnsafeBufferPointer { all in
                for i in indices {
                    dst.update(from: all.baseAddress! + i * width, count: width)
                    dst += width
                }
            }
        }
    }

    /// Byte rows picked by index, converted to floats (`x · scale + offset`).
    private struct ByteRows {
        var source: UnsafePointer<UInt8>, indices: UnsafePointer<Int>, count: Int
        var width: Int, scale: Float, offset: Float
        var destination: UnsafeMutablePointer<Float>

        /// Converts the picked rows `range` (positions in the batch).
        func convert(_ range: Range<Int>) {
            for r in range {
                let src = source + indices[r] * width, dst = destination + r * width
                for j in 0..<width { dst[j] = Float(src[j]) * scale + offset }
            }
        }
    }

    public func copyClasses(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Int>) {
        guard let labels = classIndices else { preconditionFailure("binary targets have no class indices") }
        for (k, i) in indices.enumerated() { buffer[k] = labels[i] }
    }

    public func copyTargetValues(of indices: ArraySlice<Int>, into buffer: UnsafeMutableBufferPointer<Float>) {
        switch targets {
        case .classes: preconditionFailure("class targets have no float values; use copyClasses")
        case let .binary(values):
            for (k, i) in indices.enumerated() { buffer[k] = values[i] }
        case let .oneHot(labels, classes):
            buffer.update(repeating: 0)
            for (k, i) in indices.enumerated() { buffer[k * classes + labels[i]] = 1 }
        }
    }

    /// All features as one Float tensor `[count] + sampleShape`.
    public func featureTensor() -> Tensor {
        let all = Array(0..<count)
        return Tensor.build(shape: [count] + sampleShape) { copyFeatures(of: all[...], into: $0) }
    }

    // MARK: Subsets and splits

    /// The samples at `indices`, in that order (a copy; bytes stay bytes).
    /// - Throws: `DataError.invalidArgument` for an index outside `0..<count`.
    public func selecting(_ indices: [Int]) throws(DataError) -> TensorDataset {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw .invalidArgument("sample index \(bad) is out of range for a data set of \(count) samples")
        }
        let width = featuresPerSample
        var copy = self
        switch features {
        case let .bytes(bytes, scale, offset):
            var picked = [UInt8]()
            picked.reserveCapacity(indices.count * width)
            for i in indices { picked.append(contentsOf: bytes[i * width..<(i + 1) * width]) }
            copy.features = .bytes(picked, scale: scale, offset: offset)
        case let .floats(values):
            var picked = [Float]()
            picked.reserveCapacity(indices.count * width)
            for i in indices { picked.append(contentsOf: values[i * width..<(i + 1) * width]) }
            copy.features = .floats(picked)
        }
        switch targets {
        case let .classes(labels, n): copy.targets = .classes(indices.map { labels[$0] }, count: n)
        case let .binary(values): copy.targets = .binary(indices.map { values[$0] })
        case let .oneHot(labels, n): copy.targets = .oneHot(indices.map { labels[$0] }, classes: n)
        }
        return copy
    }

    /// The first `limit` samples (all of them when `limit >= count`).
    public func prefix(_ limit: Int) -> TensorDataset {
        // In range by construction, so `selecting` cannot throw.
        (try? selecting(Array(0..<max(0, min(limit, count))))) ?? self
    }

    /// A seeded random split into training and validation samples: the same
    /// seed gives the same split everywhere. The validation part gets
    /// `round(count × validationFraction)` samples.
    public func split(validationFraction: Double, seed: UInt64) throws(DataError)
        -> (training: TensorDataset, validation: TensorDataset) {
        let (train, validation) = try Self.splitIndices(count: count, validationFraction: validationFraction, seed: seed)
        return (try selecting(train), try selecting(validation))
    }

    /// The index lists behind `split(validationFraction:seed:)`: disjoint, and
    /// together a permutation of `0..<count`.
    public static func splitIndices(count: Int, validationFraction: Double, seed: UInt64) throws(DataError)
        -> (training: [Int], validation: [Int]) {
        guard validationFraction >= 0, validationFraction <= 1 else {
            throw .invalidArgument("validation fraction must be in [0, 1], got \(validationFraction)")
        }
        var rng = SeededGenerator(seed: seed)
        let order = Shuffle.permutation(count: count, using: &rng)
        let validationCount = Int((Double(count) * validationFraction).rounded())
        return (Array(order[validationCount...]), Array(order[..<validationCount]))
    }
}
