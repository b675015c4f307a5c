import Foundation
import Testing
@testable import Data

private let installed = FileManager.default.fileExists(atPath: FashionMNIST.files(.train).labels)

/// Checks on the real Fashion-MNIST files; skipped (with a note) when the
/// Debian package `dataset-fashion-mnist` is not installed.
@Suite("Fashion-MNIST files", .enabled(if: installed, "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist"))
struct FashionMNISTTests {
    @Test("label files: 60000 and 10000 labels, 6000 and 1000 per class")
    func labels() throws {
        for (split, perClass) in [(FashionMNIST.Split.train, 6000), (.test, 1000)] {
            let labels = try IDXReader.read(contentsOf: FashionMNIST.files(split).labels)
            #expect(labels.elementType == .uint8)
            #expect(labels.shape == [perClass * 10])
            var histogram = [Int](repeating: 0, count: 10)
            for label in try labels.integerValues() { histogram[label] += 1 }
            #expect(histogram == [Int](repeating: perClass, count: 10))
        }
    }

    @Test("test set loads as 10000 byte images of 28×28 with 10 classes")
    func testSet() throws {
        let set = try FashionMNIST.load(.test)
        #expect(set.count == 10000)
        #expect(set.sampleShape == [28, 28])
        #expect(set.targetKind == .classes(count: 10))
        guard case let .bytes(pixels, _, _) = set.features else { Issue.record("images should stay bytes"); return }
        #expect(pixels.count == 10000 * 784)
        let loader = try DataLoader(set.scaledToUnitRange().flattened().prefix(300), batchSize: 128, seed: 1)
        let first = try #require(Array(loader.batches(epoch: 0)).first)
        #expect(first.features.shape == [128, 784])
        #expect(first.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("train image header: 60000 images of 28×28 u8")
    func trainHeader() throws {
        let bytes = try BinaryFile.decompressedContents(of: FashionMNIST.files(.train).images)
        let (type, shape, offset) = try IDXReader.header(of: bytes, file: "train")
        #expect(type == .uint8 && shape == [60000, 28, 28] && offset == 16)
    }

    @Test("image and label files with different counts are rejected")
    func countMismatch() {
        let files = FashionMNIST.files(.test)
        expectError(try TensorDataset.images(imageFile: files.images, labelFile: FashionMNIST.files(.train).labels),
                    contains: ["t10k-images-idx3-ubyte.gz: holds 10000 samples but", "train-labels-idx1-ubyte.gz holds 60000"])
    }
}
