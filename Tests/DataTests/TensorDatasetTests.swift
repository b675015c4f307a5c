import Foundation
import Testing
import TensorCore
@testable import Data

@Suite("datasets, splits and transforms")
struct TensorDatasetTests {
    /// 5 byte "images" of 2×2 pixels; image i holds 10 i + [0, 1, 2, 3]; class i.
    private func images() throws -> TensorDataset {
        try TensorDataset(features: .bytes((0..<5).flatMap { i in (0..<4).map { UInt8(10 * i + $0) } }, scale: 1, offset: 0),
                          sampleShape: [2, 2], targets: .classes([0, 1, 2, 3, 4], count: 5))
    }

    @Test("the split is seeded, disjoint and covers every sample")
    func split() throws {
        let (train, validation) = try TensorDataset.splitIndices(count: 101, validationFraction: 0.2, seed: 3)
        #expect(validation.count == 20)
        #expect(Set(train).isDisjoint(with: validation))
        #expect((train + validation).sorted() == Array(0..<101))
        #expect(try TensorDataset.splitIndices(count: 101, validationFraction: 0.2, seed: 3) == (train, validation))
        let parts = try images().split(validationFraction: 0.4, seed: 9)
        #expect(parts.training.count == 3 && parts.validation.count == 2)
        #expect(Set(parts.training.classIndices! + parts.validation.classIndices!) == Set(0..<5))
        expectError(try images().split(validationFraction: 1.5, seed: 0), contains: ["validation fraction"])
    }

    @Test("subsets keep bytes compact; prefix limits")
    func subsets() throws {
        let picked = try images().selecting([4, 1])
        #expect(picked.features == .bytes([40, 41, 42, 43, 10, 11, 12, 13], scale: 1, offset: 0))
        #expect(picked.classIndices == [4, 1])
        #expect(try images().prefix(2).count == 2)
        #expect(try images().prefix(99).count == 5)
        expectError(try images().selecting([5]), contains: ["sample index 5 is out of range"])
    }

    @Test("scaling and normalizing compose onto the byte-to-float conversion")
    func byteTransforms() throws {
        let scaled = try images().scaledToUnitRange()
        #expect(scaled.featureTensor().scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(abs(scaled.featureTensor()[4, 1, 1] - 43 / 255) < 1e-6)
        let normalized = try scaled.normalized(mean: 0.5, std: 0.25)
        #expect(abs(normalized.featureTensor()[1, 0, 0] - (10 / 255 - 0.5) / 0.25) < 1e-5)
        if case .bytes = normalized.features {} else { Issue.record("byte features should stay bytes") }
        let flat = normalized.flattened()
        #expect(flat.sampleShape == [4])
        #expect(flat.featureTensor().shape == [5, 4])
        expectError(try images().normalized(mean: 0, std: 0), contains: ["positive std"])
    }

    @Test("binary relabel maps the chosen classes to 1")
    func binaryRelabel() throws {
        let binary = try images().binaryTargets(positiveClasses: [1, 3])
        #expect(binary.targets == .binary([0, 1, 0, 1, 0]))
        #expect(binary.targetKind == .binary)
        expectError(try binary.oneHotTargets(), contains: ["binary targets"])
    }

    @Test("standardization uses the population std (ddof = 0), fits on training data only, and is Codable")
    func standardization() throws {
        let train = Tensor(shape: [4, 2], scalars: [1, 10, 2, 10, 3, 10, 4, 10])
        let norm = Normalization.standardization(fittedOn: train)
        #expect(norm.shift == [2.5, 10])
        #expect(abs(norm.scale[0] - Float(1.25).squareRoot()) < 1e-6)   // population std of 1...4
        #expect(norm.scale[1] == 1)                             // constant column: no division by 0
        let applied = try norm.apply(to: Tensor(shape: [1, 2], scalars: [5, 10]))
        #expect(abs(applied.scalars[0] - 2.5 / Float(1.25).squareRoot()) < 1e-6 && applied.scalars[1] == 0)
        let decoded = try JSONDecoder().decode(Normalization.self, from: JSONEncoder().encode(norm))
        #expect(decoded == norm)
        expectError(try norm.apply(to: Tensor.zeros([2, 3])), contains: ["2 features"])
    }

    @Test("min-max maps the training range to [0, 1]")
    func minMax() throws {
        let set = try TensorDataset(features: Tensor(shape: [3, 2], scalars: [0, 5, 5, 5, 10, 5]), binaryLabels: [0, 1, 0])
        let norm = Normalization.minMax(fittedOn: set)
        #expect(try set.normalized(by: norm).featureTensor().scalars == [0, 0, 0.5, 0, 1, 0])
    }

    @Test("one map for every pixel: fitted over all values, applied as a byte transform")
    func globalStandardization() throws {
        let set = try images().prefix(2)   // bytes 0, 1, 2, 3, 10, 11, 12, 13
        let values: [Double] = [0, 1, 2, 3, 10, 11, 12, 13]
        let mean = values.reduce(0, +) / 8
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8).squareRoot()
        let norm = Normalization.standardization(fittedOn: set, perFeature: false)
        #expect(norm.shift == [Float(mean)] && norm.scale == [Float(std)])
        let mapped = try set.normalized(by: norm)
        if case .bytes = mapped.features {} else { Issue.record("a single map should keep byte features") }
        let expected = values.map { Float(($0 - mean) / std) }
        #expect(zip(mapped.featureTensor().scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        // The same map applies to float tensors of any width.
        let applied = try norm.apply(to: Tensor(shape: [1, 3], scalars: [0, 10, 13]))
        #expect(abs(applied.scalars[1] - Float((10 - mean) / std)) < 1e-6)
        let range = Normalization.minMax(fittedOn: set, perFeature: false)
        #expect(range.shift == [0] && range.scale == [13])
    }
}
