import Testing
import TensorCore
@testable import Data

@Suite("data loader")
struct DataLoaderTests {
    /// 10 samples of 2 features: sample i is [i, 10 i], class i % 3.
    private func dataset() throws -> TensorDataset {
        let features = Tensor(shape: [10, 2], scalars: (0..<10).flatMap { [Float($0), Float(10 * $0)] })
        return try TensorDataset(features: features, classes: (0..<10).map { $0 % 3 }, classCount: 3)
    }

    @Test("same seed and epoch give the same order; another epoch or seed a different one")
    func deterministicShuffle() throws {
        let a = try DataLoader(dataset(), batchSize: 4, seed: 7), b = try DataLoader(dataset(), batchSize: 4, seed: 7)
        #expect(a.order(epoch: 0) == b.order(epoch: 0))
        #expect(a.order(epoch: 3) == b.order(epoch: 3))
        #expect(a.order(epoch: 0) != a.order(epoch: 1))
        #expect(a.order(epoch: 0) != (try DataLoader(dataset(), batchSize: 4, seed: 8)).order(epoch: 0))
        #expect(a.order(epoch: 0).sorted() == Array(0..<10))
        // A pinned order guards against silent changes to the shuffle (and so to runs).
        var rng = Shuffle.generator(seed: 7, epoch: 0)
        #expect(Shuffle.permutation(count: 10, using: &rng) == a.order(epoch: 0))
    }

    @Test("batches hold the right rows and classes; the last batch is partial")
    func partialLastBatch() throws {
        let loader = try DataLoader(dataset(), batchSize: 4, shuffle: false)
        let batches = Array(loader.batches(epoch: 0))
        #expect(loader.batchCount == 3)
        #expect(batches.map(\.size) == [4, 4, 2])
        #expect(batches[0].features.shape == [4, 2])
        #expect(batches[2].features.shape == [2, 2])
        #expect(batches[2].features.scalars == [8, 80, 9, 90])
        #expect(batches[1].targets.classes == IndexTensor([1, 2, 0, 1]))
        #expect(batches[2].targets.classes == IndexTensor([2, 0]))
    }

    @Test("shards split every global batch in order: together they are the one-process batches", arguments: [1, 2, 3, 5])
    func shardsCoverEachBatch(ranks: Int) throws {
        let whole = try DataLoader(dataset(), batchSize: 4, seed: 3)
        let parts = try (0..<ranks).map { try DataLoader(dataset(), batchSize: 4, seed: 3, shard: Shard(rank: $0, count: ranks)) }
        for epoch in 0..<2 {
            let expected = whole.batches(epoch: epoch).map { Array($0.indices) }
            let shards = parts.map { $0.batches(epoch: epoch).map { (Array($0.indices), $0.features.shape[0], $0.size) } }
            #expect(shards.allSatisfy { $0.count == whole.batchCount })
            for b in expected.indices {
                #expect(shards.flatMap { $0[b].0 } == expected[b])
                #expect(shards.allSatisfy { $0[b].1 == $0[b].0.count && $0[b].2 == $0[b].0.count })
            }
        }
    }

    @Test("a shard outside the job is an error")
    func badShard() throws {
        #expect(throws: DataError.self) { try Shard(rank: 2, count: 2) }
        #expect(throws: DataError.self) { try Shard(rank: 0, count: 0) }
        #expect(Shard.whole.range(inBatchOf: 7) == 0..<7)
        #expect(try Shard(rank: 1, count: 2).range(inBatchOf: 7) == 3..<7)
    }

    @Test("drop_last drops the partial batch")
    func dropLast() throws {
        let loader = try DataLoader(dataset(), batchSize: 4, seed: 1, dropLast: true)
        let batches = Array(loader.batches(epoch: 2))
        #expect(loader.batchCount == 2)
        #expect(batches.map(\.size) == [4, 4])
    }

    @Test("shuffled batches carry the features and targets of their indices, and an epoch covers every sample once")
    func shuffledBatchesMatchIndices() throws {
        let loader = try DataLoader(dataset(), batchSize: 3, seed: 42)
        var seen: [Int] = []
        for batch in loader.batches(epoch: 5) {
            let expected = batch.indices.flatMap { [Float($0), Float(10 * $0)] }
            #expect(batch.features.scalars == expected)
            #expect(batch.targets.classes?.indices == batch.indices.map { $0 % 3 })
            seen += batch.indices
        }
        #expect(seen == loader.order(epoch: 5))
        #expect(seen.sorted() == Array(0..<10))
    }

    @Test("binary targets come as Float [B] or [B, 1]; one-hot as [B, C]")
    func targetShapes() throws {
        let binary = try dataset().binaryTargets(positiveClasses: [2])
        let flat = try DataLoader(binary, batchSize: 4, shuffle: false)
        let first = try #require(flat.batches(epoch: 0).first(where: { _ in true }))
        #expect(first.targets.values == Tensor([0, 0, 1, 0]))
        let column = try DataLoader(binary, batchSize: 4, shuffle: false, binaryTargetsAsColumn: true)
        #expect(Array(column.batches(epoch: 0)).last?.targets.values?.shape == [2, 1])
        let oneHot = try DataLoader(dataset().oneHotTargets(), batchSize: 4, shuffle: false)
        #expect(Array(oneHot.batches(epoch: 0))[2].targets.values == Tensor(shape: [2, 3], scalars: [0, 0, 1, 1, 0, 0]))
    }

    @Test("single samples and the whole set as one batch")
    func adHocBatches() throws {
        let set = try dataset()
        let one = set.batch(of: [7])
        #expect(one.features == Tensor(shape: [1, 2], scalars: [7, 70]))
        #expect(one.targets.classes == IndexTensor([1]))
        let all = try set.binaryTargets(positiveClasses: [0]).allSamples(binaryTargetsAsColumn: true)
        #expect(all.features.shape == [10, 2])
        #expect(all.targets.values?.shape == [10, 1])
        #expect(all.targets.values?.scalars == (0..<10).map { $0 % 3 == 0 ? 1 : 0 })
    }

    @Test("a batch size below 1 is rejected")
    func badBatchSize() {
        expectError(try DataLoader(dataset(), batchSize: 0), contains: ["batch size must be at least 1, got 0"])
    }
}
