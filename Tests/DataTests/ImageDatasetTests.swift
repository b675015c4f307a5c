import Testing
import TensorCore
@testable import Data

@Suite("image data sets from IDX files")
struct ImageDatasetTests {
    /// 3 gzip'd 2×2 images with labels [2, 0, 1] in a temporary directory.
    private func files(labelCount: Int = 3, labelType: UInt8 = 0x08) throws -> (images: String, labels: String) {
        let fixtures = try Fixtures()
        let images = try fixtures.write("images-idx3-ubyte.gz",
                                        Gzip.compress(Fixtures.idx(uint8: (0..<12).map { UInt8($0 * 20) }, shape: [3, 2, 2])))
        let labels = try fixtures.write("labels-idx1-ubyte",
                                        Fixtures.idx(type: labelType, shape: [labelCount],
                                                     payload: Array([2, 0, 1, 1].prefix(labelCount))))
        return (images, labels)
    }

    @Test("images stay bytes, classes come from the labels, batches convert to Float")
    func loads() throws {
        let (images, labels) = try files()
        let set = try TensorDataset.images(imageFile: images, labelFile: labels)
        #expect(set.count == 3 && set.sampleShape == [2, 2])
        #expect(set.targets == .classes([2, 0, 1], count: 3))
        #expect(set.features == .bytes((0..<12).map { UInt8($0 * 20) }, scale: 1, offset: 0))
        let loader = try DataLoader(set.scaledToUnitRange().flattened(), batchSize: 2, shuffle: false)
        let first = try #require(Array(loader.batches(epoch: 0)).first)
        #expect(first.features.shape == [2, 4])
        let expected = Tensor(shape: [2, 4], scalars: [0, 20, 40, 60, 80, 100, 120, 140].map { Float($0) / 255 })
        #expect(first.features.isClose(to: expected))
    }

    @Test("image and label files with different counts are rejected, naming both")
    func countMismatch() throws {
        let (images, labels) = try files(labelCount: 4)
        expectError(try TensorDataset.images(imageFile: images, labelFile: labels),
                    contains: ["images-idx3-ubyte.gz: holds 3 samples but", "labels-idx1-ubyte holds 4"])
    }

    @Test("labels must be integers of rank 1; images u8")
    func layout() throws {
        let (images, _) = try files()
        let fixtures = try Fixtures()
        let floatLabels = try fixtures.write("f.idx", Fixtures.idx(type: 0x0D, shape: [1], payload: [0, 0, 0, 0]))
        expectError(try TensorDataset.images(imageFile: images, labelFile: floatLabels),
                    contains: ["f.idx: expected integer labels of rank 1, found f32 of shape [1]"])
        expectError(try TensorDataset.images(imageFile: floatLabels, labelFile: floatLabels),
                    contains: ["expected u8 images of rank >= 2"])
    }
}
