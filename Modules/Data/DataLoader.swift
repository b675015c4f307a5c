import TensorCore

/// Serves a data set as mini-batches, optionally reshuffled each epoch.
///
/// The shuffle is a seeded Fisher–Yates: the same seed and epoch give the same
/// order on every run and machine, and each epoch gets its own order. Batches
/// are written into buffers the iterator allocates once and reuses (a buffer is
/// only copied if the caller still holds the previous batch).
///
/// ```swift
/// let loader = try DataLoader(train, batchSize: 128, seed: 42)
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) { … batch.features, batch.targets … }
/// }
/// ```
public struct DataLoader<Source: Dataset>: Sendable {
    /// The data set served.
    public let dataset: Source
    /// Samples per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a fresh seeded order.
    public let shuffle: Bool
    /// The seed of the shuffle.
    public let seed: UInt64
    /// Whether a final batch smaller than `batchSize` is dropped.
    public let dropLast: Bool
    /// Whether binary targets are shaped `[B, 1]` instead of `[B]`.
    public let binaryTargetsAsColumn: Bool
    /// The part of every batch this process takes in data-parallel training
    /// (``Shard/whole`` otherwise); `batchSize` and `batchCount` stay the global ones.
    public let shard: Shard

    /// - Throws: `DataError.invalidArgument` when `batchSize < 1`.
    public init(_ dataset: Source, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0,
                dropLast: Bool = false, binaryTargetsAsColumn: Bool = false, shard: Shard = .whole) throws(DataError) {
        guard batchSize >= 1 else { throw .invalidArgument("batch size must be at least 1, got \(batchSize)") }
        self.shard = shard
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.binaryTargetsAsColumn = binaryTargetsAsColumn
    }

    /// The number of batches per epoch.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the samples.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        var rng = Shuffle.generator(seed: seed, epoch: epoch)
        return Shuffle.permutation(count: dataset.count, using: &rng)
    }

    /// The batches of epoch `epoch`.
    public func batches(epoch: Int) -> Batches { Batches(loader: self, order: order(epoch: epoch)) }

    /// The batches of one epoch, in order.
    public struct Batches: Sequence, Sendable {
        let loader: DataLoader
        let order: [Int]

        public func makeIterator() -> Iterator { Iterator(loader: loader, order: order) }
        public var underestimatedCount: Int { loader.batchCount }

        /// Fills reused feature and target buffers for each batch: one set for
        /// full batches and, when the epoch ends on a partial batch, one for it,
        /// both allocated when the epoch starts.
        public struct Iterator: IteratorProtocol {
            let loader: DataLoader
            let order: [Int]
            var position = 0
            var full: Buffers
            var partial: Buffers?

            /// The feature and target buffers of one batch size.
            struct Buffers {
                var features: Tensor
                var classes: IndexTensor
                var values: Tensor

                init(_ loader: DataLoader, size b: Int) {
                    let set = loader.dataset
                    features = Tensor.zeros([b] + set.sampleShape)
                    classes = IndexTensor(shape: [b], indices: [Int](repeating: 0, count: b))
                    values = Tensor.zeros(set.targetKind.valueShape(batch: b, binaryAsColumn: loader.binaryTargetsAsColumn))
                }
            }

            init(loader: DataLoader, order: [Int]) {
                self.loader = loader
                self.order = order
                full = Buffers(loader, size: loader.shard.range(inBatchOf: loader.batchSize).count)
                let rest = order.count % loader.batchSize
                partial = rest > 0 && !loader.dropLast ? Buffers(loader, size: loader.shard.range(inBatchOf: rest).count) : nil
            }

            public mutating func next() -> Batch? {
                let size = Swift.min(loader.batchSize, order.count - position)
                guard size > 0, !(loader.dropLast && size < loader.batchSize) else { return nil }
                let part = loader.shard.range(inBatchOf: size)
                let picked = order[position + part.lowerBound..<position + part.upperBound]
                position += size
                if size == loader.batchSize { return Self.fill(&full, picked, from: loader.dataset) }
                return Self.fill(&partial!, picked, from: loader.dataset)
            }

            /// Static, so filling holds no second reference to the buffers (which would make the writes copy them).
            private static func fill(_ buffers: inout Buffers, _ picked: ArraySlice<Int>, from set: Source) -> Batch {
                buffers.features.withUnsafeMutableBufferPointer { set.copyFeatures(of: picked, into: $0) }
                let targets: BatchTargets
                switch set.targetKind {
                case .classes:
                    buffers.classes.indices.withUnsafeMutableBufferPointer { set.copyClasses(of: picked, into: $0) }
                    targets = .classes(buffers.classes)
                case .binary, .oneHot:
                    buffers.values.withUnsafeMutableBufferPointer { set.copyTargetValues(of: picked, into: $0) }
                    targets = .values(buffers.values)
                }
                return Batch(features: buffers.features, targets: targets, indices: picked)
            }
        }
    }
}

/// One process's part of each batch when `count` processes train one model
/// (data parallelism): of a global batch of `n` samples, rank `r` takes the
/// consecutive samples `n·r/count ..< n·(r+1)/count`, so the parts are equal when
/// `count` divides `n` and differ by at most one sample otherwise, and together they
/// are the batch one process would take, in its order.
public struct Shard: Sendable, Equatable {
    public let rank: Int
    public let count: Int
    /// The whole batch (one process).
    public static let whole = Shard(uncheckedRank: 0, count: 1)

    /// - Throws: `DataError.invalidArgument` unless `0 ≤ rank < count`.
    public init(rank: Int, count: Int) throws(DataError) {
        guard count >= 1, (0..<count).contains(rank) else {
            throw .invalidArgument("shard rank \(rank) is not in 0..<\(count)")
        }
        self.init(uncheckedRank: rank, count: count)
    }

    private init(uncheckedRank rank: Int, count: Int) { (self.rank, self.count) = (rank, count) }

    /// The positions in a batch of `size` samples that this shard takes.
    public func range(inBatchOf size: Int) -> Range<Int> { size * rank / count ..< size * (rank + 1) / count }
}
