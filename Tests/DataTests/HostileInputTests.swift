import Testing
@testable import Data

/// Inputs found by fuzzing or by the bad-input sweep (issue 9) that once trapped
/// or allocated without bound; each must now be a one-line `DataError`.
@Suite("hostile data files")
struct HostileInputTests {
    @Test("an IDX file with zero samples but a sample shape whose size overflows is rejected")
    func zeroSamplesHugeSampleShape() throws {
        // [0, 65536, 65536, 65536, 65536]: the payload is empty, but the sample
        // shape's element count (2^64) overflowed in TensorDataset and trapped.
        let bytes = Fixtures.idx(type: 0x08, shape: [0, 65536, 65536, 65536, 65536], payload: [])
        expectError(try IDXReader.decode(bytes, file: "zero.idx"),
                    contains: ["zero.idx: dimensions [0, 65536, 65536, 65536, 65536] describe more elements than can be addressed"])
        // A zero-sample file with a sane sample shape still reads.
        let empty = try IDXReader.decode(Fixtures.idx(type: 0x08, shape: [0, 28, 28], payload: []), file: "empty.idx")
        #expect(empty.shape == [0, 28, 28] && empty.elements.count == 0)
    }

    @Test("an IDX label far above any class count is rejected instead of making billions of classes")
    func hugeLabel() throws {
        let fixtures = try Fixtures()
        let images = try fixtures.write("images.idx", Fixtures.idx(uint8: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2]))
        let labels = try fixtures.write("labels.idx", Fixtures.idx(
            type: 0x0C, shape: [2], payload: Fixtures.bigEndian(Int32(1)) + Fixtures.bigEndian(Int32.max)))
        expectError(try TensorDataset.images(imageFile: images, labelFile: labels),
                    contains: ["labels.idx: sample 1: label 2147483647 is out of range (allowed: integers 0...65535)"])
        #expect(try TensorDataset.classTargets([0, 65535], file: "ok") == .classes([0, 65535], count: 65536))
    }
}
