extension TensorDataset {
    /// An image data set from an IDX image file (u8, `[N, H, W]` or any rank ≥ 2)
    /// and an IDX label file (integer type, `[N]`), plain or gzip.
    ///
    /// Pixels stay bytes; batches convert them to Float (use `scaledToUnitRange()`
    /// for [0, 1]). Classes are `0...max label`.
    /// - Throws: `DataError` for unreadable or malformed files, a layout other
    ///   than u8 images and rank-1 integer labels, different sample counts, or
    ///   a negative label.
    public static func images(imageFile: String, labelFile: String) throws(DataError) -> TensorDataset {
        let images = try IDXReader.read(contentsOf: imageFile)
        let labels = try IDXReader.read(contentsOf: labelFile)
        guard case let .uint8(pixels) = images.elements, images.shape.count >= 2 else {
            throw .unexpectedLayout(file: imageFile, expected: "u8 images of rank >= 2",
                                    found: "\(images.elementType) of shape \(images.shape)")
        }
        guard labels.shape.count == 1, labels.elementType.isInteger else {
            throw .unexpectedLayout(file: labelFile, expected: "integer labels of rank 1",
                                    found: "\(labels.elementType) of shape \(labels.shape)")
        }
        guard images.count == labels.count else {
            throw .countMismatch(file: imageFile, count: images.count, otherFile: labelFile, otherCount: labels.count)
        }
        let classes = try labels.integerValues()
        if let bad = classes.firstIndex(where: { $0 < 0 }) {
            throw .invalidArgument("\(labelFile): sample \(bad): negative label \(classes[bad]) (labels must be >= 0)")
        }
        return try TensorDataset(features: .bytes(pixels, scale: 1, offset: 0), sampleShape: Array(images.shape.dropFirst()),
                                 targets: .classes(classes, count: (classes.max() ?? -1) + 1))
    }
}
