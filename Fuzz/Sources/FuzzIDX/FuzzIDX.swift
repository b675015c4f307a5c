import Data

/// IDX files, raw or gzip (the reader recognises gzip by its magic, so gzip
/// seeds exercise inflation and mutated ones its error paths). A decoded
/// array is then used as `TensorDataset.images` would: as u8 images with
/// labels, or as integer labels; and gzip must round-trip the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let array = try IDXReader.decode(bytes, file: "fuzz.idx")
        _ = array.elements.valueRange()
        _ = array.count
        if array.elements.count <= 1 << 16 { _ = array.tensor(scaledToUnitRange: true) }
        // (Labels come from a second file that must hold `count` of them; a zero-size
        // sample shape can make `count` huge with no payload, so cap it here.)
        if case let .uint8(pixels) = array.elements, array.shape.count >= 2, array.count <= 1 << 20 {
            let labels = [Int](repeating: 0, count: array.count)
            _ = try? TensorDataset(features: .bytes(pixels, scale: 1, offset: 0),
                                   sampleShape: Array(array.shape.dropFirst()),
                                   targets: .classes(labels, count: 1))
        }
        if let values = try? array.integerValues(), array.shape.count == 1 {
            _ = try? TensorDataset.classTargets(values, file: "fuzz.idx")
        }
    } catch {
        precondition(!error.description.isEmpty)
    }
    if size <= 4096 {
        let roundTrip = try? Gzip.decompress(Gzip.compress(bytes, level: Int32(size % 10)), file: "fuzz.gz")
        precondition(roundTrip == bytes, "gzip round trip changed the bytes")
    }
    return 0
}
